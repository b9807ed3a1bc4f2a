import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, existsSync, writeFileSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import {
  generate,
  mergeDatasets,
  readDataset,
  datasetInfo,
  validateSpec,
  parseSpec,
  expandSpec,
  sampleCount,
  journalPathFor,
  recordLayout,
  gridPoints,
  Journal,
  type DatasetData,
  type SpecInput,
} from '../../src/dataset/index.js';

const FAKE = new URL('./fake-sampler.js', import.meta.url).href;

/** 2 tasks per structure class, 3 snapshots each: 30 samples. bcc at 1000 K is "transformed" by the test double. */
const tiny: SpecInput = {
  element: 'Ni',
  seed: 1234,
  structures: [
    { structure: 'fcc', temperature: [300, 600], lattice: 3.524, cells: 3 },
    { structure: 'hcp', temperature: { from: 300, to: 320, step: 20 }, lattice: 2.49, cells: [4, 3, 3] },
    { structure: 'bcc', temperature: [300, 1000], lattice: 2.8, cells: 4 },
    { structure: 'diamond', temperature: [100], lattice: { a0: 5.75, step: 0.02, i: [-1, 1] }, cells: 2 },
    { structure: 'liquid', temperature: [1600, 1800], lattice: 3.68, cells: 3 },
  ],
  md: { snapshots: 3 },
  grids: {
    k: { min: 2, max: 12, step: 0.5 },
    r: { min: 1.5, max: 4.5, step: 0.1 },
    theta: { min: 0.5, max: 179.5, step: 2 },
  },
};

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'exafsnn-gen-'));
}

function assertSameData(a: DatasetData, b: DatasetData, what: string): void {
  assert.equal(a.n, b.n, `${what}: n`);
  assert.deepEqual(a.k, b.k);
  assert.deepEqual(a.chi, b.chi, `${what}: chi`);
  assert.deepEqual(a.gr, b.gr, `${what}: gr`);
  assert.deepEqual(a.bad, b.bad, `${what}: bad`);
  assert.deepEqual(Object.keys(a.meta).sort(), Object.keys(b.meta).sort());
  for (const k of Object.keys(a.meta)) assert.deepEqual(a.meta[k], b.meta[k], `${what}: meta ${k}`);
  assert.equal(a.attrs.spec_hash, b.attrs.spec_hash);
}

test('spec expansion is ordered and deterministic; errors name the field', () => {
  const spec = validateSpec(tiny);
  const tasks = expandSpec(spec);
  assert.equal(tasks.length, 10);
  assert.equal(sampleCount(tasks), 30);
  assert.deepEqual(
    tasks.map((t) => t.structure),
    ['fcc', 'fcc', 'hcp', 'hcp', 'bcc', 'bcc', 'diamond', 'diamond', 'liquid', 'liquid'],
  );
  assert.deepEqual(
    tasks.filter((t) => t.structure === 'diamond').map((t) => t.lattice),
    [5.73, 5.77],
  );
  assert.deepEqual(expandSpec(validateSpec(tiny)), tasks);
  assert.equal(new Set(tasks.map((t) => t.seed)).size, tasks.length);
  assert.equal(spec.dE.min, -5);
  assert.equal(spec.dE.max, 10);
  assert.throws(() => validateSpec({ ...tiny, seed: -1 }), /seed/);
  assert.throws(
    () =>
      validateSpec({
        ...tiny,
        structures: [
          { structure: 'fcc', temperature: { from: 300, to: 200, step: 20 }, lattice: 3.5, cells: 3 },
        ],
      }),
    /structures\[0\]\.temperature/,
  );
  assert.throws(
    () =>
      validateSpec({ ...tiny, structures: [{ structure: 'bct', temperature: 300, lattice: 3.5, cells: 3 }] }),
    /structures\[0\]\.structure/,
  );
  assert.throws(() => validateSpec({ ...tiny, md: { snapshots: 0 } }), /md\.snapshots/);
  assert.throws(
    () => validateSpec({ ...tiny, structures: [{ structure: 'fcc', temperature: 300, lattice: 3.5 }] }),
    /atoms.*cells/,
  );
  assert.throws(() => validateSpec({ ...tiny, grids: { k: { min: 2, max: 1, step: 0.05 } } }), /grids\.k/);
  assert.throws(() => validateSpec({ ...tiny, colour: 'red' }), /colour/);
  assert.throws(() => parseSpec('element: Ni\nseed: [1,\n', 'x.yaml'), /x\.yaml:\d+: not valid JSON\/YAML/);
  const y = parseSpec(
    'element: Ni\nseed: 7\nstructures:\n  - {structure: fcc, temperature: 300, lattice: 3.52, atoms: 500}\n',
    'y.yaml',
  );
  assert.deepEqual(expandSpec(y)[0].reps, [5, 5, 5]);
});

test('same spec → identical arrays: whole (1 worker), 2 workers, 3 shards merged; relabels recorded', async () => {
  const dir = tmp();
  try {
    const spec = validateSpec(tiny);
    const one = join(dir, 'one.h5');
    const r1 = await generate({ spec, out: one, workers: 1, quiet: true, samplerUrl: FAKE });
    assert.equal(r1.samples, 30);
    assert.equal(r1.relabelled, 3);
    assert.ok(!existsSync(journalPathFor(one)), 'journal removed after success');
    await generate({ spec, out: join(dir, 'two.h5'), workers: 2, quiet: true, samplerUrl: FAKE });
    const shards = [];
    for (let i = 1; i <= 3; i++) {
      const p = join(dir, `s${i}.h5`);
      await generate({
        spec,
        out: p,
        workers: 2,
        shard: { index: i, count: 3 },
        quiet: true,
        samplerUrl: FAKE,
      });
      shards.push(p);
    }
    const m = await mergeDatasets([shards[2], shards[0], shards[1]], join(dir, 'merged.h5'));
    assert.equal(m.samples, 30);
    const a = await readDataset(one);
    assertSameData(a, await readDataset(join(dir, 'two.h5')), '2 workers');
    assertSameData(a, await readDataset(join(dir, 'merged.h5')), '3 shards merged');
    // order is (task, snapshot); every sample once
    const keys = Array.from(
      a.meta.task as Int32Array,
      (t, i) => t * 100 + (a.meta.snapshot as Int32Array)[i],
    );
    assert.deepEqual(
      keys,
      [...keys].sort((x, y) => x - y),
    );
    assert.equal(new Set(keys).size, 30);
    // relabelled: the hot bcc run
    const rel = a.meta.structure.map((s, i) => `${a.meta.label[i]}>${s}`).filter((x) => x === 'bcc>fcc');
    assert.equal(rel.length, 3);
    const info = await datasetInfo(join(dir, 'merged.h5'));
    assert.equal(info.samples, 30);
    assert.deepEqual(Object.keys(info.structures).sort(), ['bcc', 'diamond', 'fcc', 'hcp', 'liquid']);
    assert.equal(info.structures.fcc.samples, 9);
    assert.equal(info.relabels['bcc→fcc'], 3);
    assert.ok(info.checks.ok, info.checks.problems.join('; '));
    // refuse policy: those 3 are left out and counted
    const refusing = await generate({
      spec: validateSpec({ ...tiny, mismatch: 'refuse' }),
      out: join(dir, 'refuse.h5'),
      workers: 2,
      quiet: true,
      samplerUrl: FAKE,
    });
    assert.equal(refusing.samples, 27);
    assert.equal(refusing.refused, 3);
    assert.equal((await readDataset(join(dir, 'refuse.h5'))).attrs.n_refused, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGKILL mid-run, then --resume: every sample exactly once, identical to an uninterrupted run', async () => {
  const dir = tmp();
  try {
    const spec = validateSpec(tiny);
    const ref = join(dir, 'ref.h5');
    await generate({ spec, out: ref, workers: 2, quiet: true, samplerUrl: FAKE });
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(tiny));
    const out = join(dir, 'killed.h5');
    const jpath = journalPathFor(out);
    const L = recordLayout(
      gridPoints(spec.grids.k).length,
      gridPoints(spec.grids.r).length,
      gridPoints(spec.grids.theta).length,
    );
    const child = spawn(
      process.execPath,
      [new URL('./gen-child.js', import.meta.url).pathname, specFile, out, '2'],
      {
        env: { ...process.env, FAKE_SAMPLER_DELAY_MS: '40' },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // wait until ≥ 8 records are committed, then kill -9
    const t0 = Date.now();
    for (;;) {
      await new Promise((res) => setTimeout(res, 20));
      const size = existsSync(jpath) ? statSync(jpath).size : 0;
      if (size >= 65536 + 8 * L.size) break;
      if (Date.now() - t0 > 30000) throw new Error('child made no progress');
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(!existsSync(out), 'no output file after a kill');
    // simulate a torn record: append half a record of garbage
    const { appendFileSync } = await import('node:fs');
    appendFileSync(jpath, Buffer.alloc(L.size >> 1, 7));
    const before = Journal.open(jpath, undefined, { readOnly: true });
    const committed = before.count;
    before.close();
    assert.ok(committed >= 8 && committed < 30, `committed ${committed}`);
    const r = await generate({ spec, out, workers: 2, resume: true, quiet: true, samplerUrl: FAKE });
    assert.equal(r.resumed, committed);
    assert.equal(r.computed + r.resumed, 30);
    assert.equal(r.samples, 30);
    assertSameData(await readDataset(ref), await readDataset(out), 'resumed');
    assert.ok(!existsSync(jpath));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('disk full while committing: clear error, no output, committed samples kept; resume completes', async () => {
  const dir = tmp();
  try {
    const spec = validateSpec(tiny);
    const out = join(dir, 'full.h5');
    let writes = 0;
    const io = {
      writeSync: (fd: number, buf: Uint8Array, off: number, len: number, pos: number) => {
        if (pos >= 65536 && ++writes > 5)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        const { writeSync } = require_fs();
        return writeSync(fd, buf, off, len, pos);
      },
      fsyncSync: (fd: number) => require_fs().fsyncSync(fd),
    };
    await assert.rejects(
      generate({ spec, out, workers: 1, quiet: true, samplerUrl: FAKE, io }),
      /disk is full.*5 samples committed.*--resume/s,
    );
    assert.ok(!existsSync(out));
    const j = Journal.open(journalPathFor(out), undefined, { readOnly: true });
    assert.equal(j.count, 5);
    assert.equal(j.tornBytes, 0);
    j.close();
    const r = await generate({ spec, out, workers: 2, resume: true, quiet: true, samplerUrl: FAKE });
    assert.equal(r.resumed, 5);
    assert.equal(r.samples, 30);
    const ref = join(dir, 'ref.h5');
    await generate({ spec, out: ref, workers: 1, quiet: true, samplerUrl: FAKE });
    assertSameData(await readDataset(ref), await readDataset(out), 'after disk full');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import * as fsMod from 'node:fs';
function require_fs(): typeof fsMod {
  return fsMod;
}

test('bad input: unwritable output, existing output, mismatched shards → clear errors, no corrupt file', async () => {
  const dir = tmp();
  try {
    const spec = validateSpec(tiny);
    await assert.rejects(
      generate({ spec, out: join(dir, 'nope', 'x.h5'), quiet: true, samplerUrl: FAKE }),
      /folder .*nope does not exist/,
    );
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'ro');
      fsMod.mkdirSync(ro);
      chmodSync(ro, 0o555);
      await assert.rejects(
        generate({ spec, out: join(ro, 'x.h5'), quiet: true, samplerUrl: FAKE }),
        /not writable/,
      );
    }
    const a1 = join(dir, 'a1.h5');
    const a2 = join(dir, 'a2.h5');
    await generate({
      spec,
      out: a1,
      shard: { index: 1, count: 2 },
      workers: 2,
      quiet: true,
      samplerUrl: FAKE,
    });
    await generate({
      spec,
      out: a2,
      shard: { index: 2, count: 2 },
      workers: 2,
      quiet: true,
      samplerUrl: FAKE,
    });
    await assert.rejects(
      generate({ spec, out: a1, shard: { index: 1, count: 2 }, quiet: true, samplerUrl: FAKE }),
      /exists.*--force/,
    );
    // different spec (seed)
    const b2 = join(dir, 'b2.h5');
    await generate({
      spec: validateSpec({ ...tiny, seed: 99 }),
      out: b2,
      shard: { index: 2, count: 2 },
      workers: 2,
      quiet: true,
      samplerUrl: FAKE,
    });
    await assert.rejects(mergeDatasets([a1, b2], join(dir, 'm.h5')), /different specs/);
    // different grids
    const c2 = join(dir, 'c2.h5');
    await generate({
      spec: validateSpec({ ...tiny, grids: { ...tiny.grids, k: { min: 2, max: 14, step: 0.5 } } }),
      out: c2,
      shard: { index: 2, count: 2 },
      workers: 2,
      quiet: true,
      samplerUrl: FAKE,
    });
    await assert.rejects(mergeDatasets([a1, c2], join(dir, 'm.h5')), /different k grids/);
    await assert.rejects(mergeDatasets([a1], join(dir, 'm.h5')), /missing shard 2\/2/);
    await assert.rejects(mergeDatasets([a1, a1], join(dir, 'm.h5')), /given twice/);
    assert.ok(!existsSync(join(dir, 'm.h5')));
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('.') || f.includes('partial')),
      [],
    );
    const ok = await mergeDatasets([a2, a1], join(dir, 'm.h5'));
    assert.equal(ok.samples, 30);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
