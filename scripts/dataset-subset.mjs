#!/usr/bin/env node
// Cut a dataset for a learning curve: a fixed held-out test set (whole MD runs, so no snapshot of a
// test run is ever in a training subset), and nested training subsets of the remaining runs.
//
//   node scripts/dataset-subset.mjs IN.h5 OUTDIR --test 0.2 --sizes 1000,2500 [--seed 1]
//
// Writes OUTDIR/test.h5, OUTDIR/pool.h5 (every non-test sample) and OUTDIR/train-<n>.h5 (the first n
// samples of the pool in a seeded random order of whole runs, nested: train-1000 ⊂ train-2500 ⊂ pool).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readDataset, writeDataset } from '../dist/src/dataset/index.js';
import { Rng } from '../dist/src/util/rng.js';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : def;
};
const testFraction = Number(opt('test', '0.2'));
const sizes = opt('sizes', '').split(',').filter(Boolean).map(Number);
const seed = Number(opt('seed', '1'));
const [input, outdir] = args;
if (!input || !outdir) {
  console.error('usage: dataset-subset.mjs IN.h5 OUTDIR --test 0.2 --sizes 1000,2500 [--seed 1]');
  process.exit(2);
}
mkdirSync(outdir, { recursive: true });
const d = await readDataset(input);
// group rows by MD run (task)
const byTask = new Map();
d.meta.task.forEach((t, i) => byTask.set(t, [...(byTask.get(t) ?? []), i]));
const tasks = [...byTask.keys()];
new Rng(seed).shuffle(tasks);
const nTest = Math.round(testFraction * tasks.length);
const rowsOf = (ts) => ts.flatMap((t) => byTask.get(t)).sort((a, b) => a - b);

function subset(rows) {
  const nk = d.k.length;
  const nr = d.r.length;
  const nt = d.theta.length;
  const pick = (a, w) => {
    const o = new a.constructor(rows.length * w);
    rows.forEach((r, j) => o.set(a.subarray(r * w, (r + 1) * w), j * w));
    return o;
  };
  const meta = {};
  for (const [name, col] of Object.entries(d.meta))
    meta[name] = Array.isArray(col) ? rows.map((r) => col[r]) : pick(col, 1);
  return {
    n: rows.length,
    k: d.k,
    chi: pick(d.chi, nk),
    r: d.r,
    gr: pick(d.gr, nr),
    theta: d.theta,
    bad: pick(d.bad, nt),
    meta,
    // n_samples is written by the writer itself
    attrs: { ...Object.fromEntries(Object.entries(d.attrs).filter(([k]) => k !== "n_samples")), subset_of: input, subset_seed: seed },
  };
}
const write = async (name, rows) => {
  await writeDataset(join(outdir, name), subset(rows));
  console.log(`${name}: ${rows.length} samples`);
};
await write('test.h5', rowsOf(tasks.slice(0, nTest)));
const pool = tasks.slice(nTest);
await write('pool.h5', rowsOf(pool));
for (const n of sizes) {
  const take = [];
  let count = 0;
  for (const t of pool) {
    if (count >= n) break;
    take.push(t);
    count += byTask.get(t).length;
  }
  await write(`train-${n}.h5`, rowsOf(take));
}
