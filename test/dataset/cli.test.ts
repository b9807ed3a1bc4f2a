/**
 * The real pipeline end to end through the CLI: MD (builtin) → g(r), N(θ), fingerprint → χ(k)
 * (shipped γ tables) → HDF5; kill -9 and --resume; bad input. Needs data/tables/Ni-K.gamma.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import {
  readDataset,
  journalPathFor,
  recordLayout,
  gridPoints,
  validateSpec,
  Journal,
} from '../../src/dataset/index.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

function haveTables(): boolean {
  try {
    // loadTables searches $EXAFSNN_TABLES and data/tables
    return (
      spawnSync(process.execPath, [
        '-e',
        `import('${new URL('../../src/exafs/index.js', import.meta.url).href}').then(m => m.loadTables('Ni','K'))`,
      ]).status === 0
    );
  } catch {
    return false;
  }
}

/** 6 MD runs of ~250 atoms, 2 snapshots each, very short MD: the real pipeline in seconds. */
const small = {
  element: 'Ni',
  seed: 77,
  structures: [
    { structure: 'fcc', temperature: [300, 900], lattice: 3.524, cells: 4 },
    { structure: 'bcc', temperature: [300], lattice: 2.797, cells: 5, tether: 3.3 },
    { structure: 'diamond', temperature: [300], lattice: 5.755, cells: 3, tether: 4.8 },
    { structure: 'liquid', temperature: [1700, 1900], lattice: 3.683, cells: 4 },
  ],
  md: {
    equilibration: 40,
    interval: 20,
    snapshots: 2,
    melt_steps: 300,
    melt_temperature: 3500,
    cool_steps: 40,
  },
  grids: {
    k: { min: 2, max: 14, step: 0.05 },
    r: { min: 1.5, max: 6, step: 0.02 },
    theta: { min: 0.5, max: 179.5, step: 1 },
  },
};

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

test('dataset spec prints a validated preset; an invalid spec file names the field', () => {
  const r = run(['dataset', 'spec', '--preset', 'quick']);
  assert.equal(r.status, 0, r.stderr);
  const spec = JSON.parse(r.stdout);
  assert.equal(spec.name, 'quick');
  assert.deepEqual(spec.dE, { min: -5, max: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-cli-'));
  try {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'element: Ni\nseed: 1\nstructures:\n  - structure: fcc\n    temperature: {from: 300, to: 600, step: -20}\n    lattice: 3.52\n    cells: 4\n',
    );
    const e = run(['dataset', 'generate', '--spec', bad, '--out', join(dir, 'x.h5')]);
    assert.equal(e.status, 2);
    assert.match(e.stderr, /bad\.yaml: structures\[0\]\.temperature/);
    assert.ok(!existsSync(join(dir, 'x.h5')));
    const e2 = run(['dataset', 'generate', '--preset', 'quick', '--out', join(dir, 'no', 'x.h5')]);
    assert.equal(e2.status, 2);
    assert.match(e2.stderr, /does not exist/);
    const e3 = run(['dataset', 'info', bad]);
    assert.equal(e3.status, 2);
    assert.match(e3.stderr, /not an HDF5 file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('real pipeline via the CLI: generate, info, h5py; kill -9 + --resume and 3 merged shards give the same arrays', async (t) => {
  if (!haveTables()) {
    t.skip(
      'no γ tables for Ni K (data/tables/Ni-K.gamma): build them with "exafsnn tables build --element Ni"',
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-cli-'));
  try {
    const specFile = join(dir, 'small.json');
    writeFileSync(specFile, JSON.stringify(small));
    const whole = join(dir, 'whole.h5');
    const g = run(['dataset', 'generate', '--spec', specFile, '--out', whole, '--workers', '2', '--json']);
    assert.equal(g.status, 0, g.stderr);
    const res = JSON.parse(g.stdout);
    assert.equal(res.samples + res.refused, 12);
    const info = run(['dataset', 'info', whole, '--json']);
    assert.equal(info.status, 0, info.stderr + info.stdout);
    const inf = JSON.parse(info.stdout);
    assert.ok(inf.checks.ok, inf.checks.problems.join('; '));
    assert.ok(inf.structures.fcc.samples >= 4);
    assert.match(String(inf.provenance.tables), /Ni/);
    const d = await readDataset(whole);
    // physics sanity: fcc at 300 K has CN ≈ 12, χ is finite and not zero
    const cn = d.meta.cn as Float64Array;
    const fccIdx = d.meta.structure
      .map((s, i) => [s, i] as const)
      .filter(([s, i]) => s === 'fcc' && d.meta.temperature[i] === 300);
    for (const [, i] of fccIdx) assert.ok(Math.abs(cn[i] - 12) < 0.5, `CN ${cn[i]}`);
    // local-order labels in the file: fcc at 300 K has only 1421 first-shell pairs, no 1551
    for (const [, i] of fccIdx) {
      assert.ok((d.meta.pairs_1421 as Float64Array)[i] > 0.95, `1421 share ${d.meta.pairs_1421[i]}`);
      assert.equal((d.meta.pairs_1551 as Float64Array)[i], 0);
      assert.ok((d.meta.cna_fcc as Float64Array)[i] > 0.9);
    }
    assert.ok(inf.structures.fcc.local_order.pairs_1421 > 0.9, 'info reports the local order per structure');
    let amp = 0;
    for (let i = 0; i < d.chi.length; i++) amp = Math.max(amp, Math.abs(d.chi[i]));
    assert.ok(amp > 1e-3 && amp < 5, `max |χ| ${amp}`);

    // kill -9 after ≥ 3 committed samples, then resume
    const spec = validateSpec(small);
    const L = recordLayout(
      gridPoints(spec.grids.k).length,
      gridPoints(spec.grids.r).length,
      gridPoints(spec.grids.theta).length,
    );
    const out = join(dir, 'killed.h5');
    const jpath = journalPathFor(out);
    const child = spawn(
      process.execPath,
      [CLI, 'dataset', 'generate', '--spec', specFile, '--out', out, '--workers', '1', '--quiet'],
      { stdio: 'ignore' },
    );
    const exited = new Promise((res) => child.on('exit', res));
    const t0 = Date.now();
    for (;;) {
      await new Promise((res) => setTimeout(res, 25));
      if (existsSync(jpath) && statSync(jpath).size >= 65536 + 3 * L.size) break;
      if (Date.now() - t0 > 60000) throw new Error('no progress');
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(!existsSync(out));
    const j = Journal.open(jpath, undefined, { readOnly: true });
    const before = j.count;
    j.close();
    assert.ok(before >= 3 && before < 12, `committed ${before}`);
    const r2 = run([
      'dataset',
      'generate',
      '--spec',
      specFile,
      '--out',
      out,
      '--workers',
      '2',
      '--resume',
      '--json',
    ]);
    assert.equal(r2.status, 0, r2.stderr);
    const rr = JSON.parse(r2.stdout);
    assert.equal(rr.resumed, before);
    assert.equal(rr.computed + rr.resumed, 12);
    const e = await readDataset(out);
    assert.deepEqual(e.chi, d.chi);
    assert.deepEqual(e.gr, d.gr);
    assert.deepEqual(e.bad, d.bad);
    assert.deepEqual(e.meta.task, d.meta.task);
    assert.deepEqual(e.meta.snapshot, d.meta.snapshot);
    assert.deepEqual(e.meta.dE, d.meta.dE);
    assert.deepEqual(readdirSync(dir).sort(), ['killed.h5', 'small.json', 'whole.h5']);

    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import h5py,sys; f=h5py.File(sys.argv[1]); print(f["chi"].shape[0], f["gr"].shape[1], f["bad"].shape[1], len(f["meta/structure"]))',
        out,
      ],
      { encoding: 'utf8' },
    );
    if (py.status === 0) assert.equal(py.stdout.trim(), `${e.n} ${e.r.length} ${e.theta.length} ${e.n}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
