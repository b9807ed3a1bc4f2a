// exafsnn calibrate + evaluate from the command line: a model trained without a calibration split
// is uncalibrated and says so; calibrate (half of its test split) writes model.json's calibration;
// evaluate then prints the ±1σ/±2σ table before and after and scores only the other half.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { syntheticData } from '../../src/nn/index.js';
import { writeDataset } from '../../src/dataset/index.js';

const main = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });

test('calibrate an uncalibrated model, then evaluate prints coverage before and after', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-calibrate-'));
  try {
    const n = 160;
    const s = syntheticData({ n, seed: 31, nk: 30, kmin: 3, kmax: 14, nr: 40, rmin: 1.8, rmax: 5, ntheta: 18 });
    const ds = join(dir, 'd.h5');
    await writeDataset(ds, {
      n,
      k: s.k,
      chi: s.chi,
      r: s.r,
      gr: s.gr,
      theta: s.theta,
      bad: s.bad,
      meta: {
        structure: s.structure,
        temperature: new Float64Array(n).fill(300),
        lattice: new Float64Array(n).fill(3.52),
        density: Float64Array.from(s.density),
        dE: new Float64Array(n),
        seed: Uint32Array.from({ length: n }, (_, i) => i),
      },
      attrs: { generator: 'test/cli/calibrate.test.ts (synthetic)' },
    });
    const m = join(dir, 'm');
    const common = ['--folds', '3', '--epochs', '15', '--hidden', '24', '--batch', '16', '--lr', '3e-3', '--engine', 'js', '--quiet'];
    const t = run(['train', ds, '--out', m, '--calibration-fraction', '0', ...common]);
    assert.equal(t.status, 0, t.stderr);
    const e0 = run(['evaluate', m, ds]);
    assert.equal(e0.status, 0, e0.stderr);
    assert.match(e0.stdout, /model has no calibration/);
    assert.match(e0.stdout, /σ is the spread of the ensemble members only/);
    const c = run(['calibrate', m, ds, '--json']);
    assert.equal(c.status, 0, c.stderr);
    const cal = JSON.parse(c.stdout);
    assert.equal(cal.data.source, 'half of the test split');
    assert.equal(cal.data.n, 16);
    const meta = JSON.parse(readFileSync(join(m, 'model.json'), 'utf8'));
    assert.deepEqual(meta.calibration.terms, cal.terms);
    const e1 = run(['evaluate', m, ds, '--json']);
    assert.equal(e1.status, 0, e1.stderr);
    const ev = JSON.parse(e1.stdout);
    assert.equal(ev.n_test, 16, 'the half used by the calibration is not scored');
    assert.equal(ev.test_used_by_calibration, 16);
    assert.equal(ev.uncertainty.calibrated, true);
    const qs = ev.coverage.map((r: { quantity: string }) => r.quantity);
    for (const q of ['g', 'bad', 'density', 'r1', 'cn']) assert.ok(qs.includes(q), q);
    for (const r of ev.coverage) assert.ok(r.after.length === 2 && r.before.length === 2);
    const e2 = run(['evaluate', m, ds]);
    assert.match(e2.stdout, /σ coverage: share of truths inside ±1σ \/ ±2σ/);
    assert.match(e2.stdout, /16 test samples used by the calibration are not scored/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without --model-form-note the model-form provenance names the spec, potential, engine and tables of the dataset', async () => {
  const { defaultProvenance } = await import('../../src/cli/commands/calibrate.js');
  const identity = {
    attrs: {
      spec: JSON.stringify({ name: 'cu-mishin-modelform', element: 'Cu' }),
      identity: JSON.stringify({
        engine: 'builtin',
        potential: '/usr/share/lammps/potentials/Cu_mishin1.eam.alloy',
        tables: JSON.stringify({ file: 'Cu-K.gamma' }),
      }),
    },
  };
  assert.equal(
    defaultProvenance('/work/x/cu-mishin.h5', { n: 340, identity }),
    '340 spectra of cu-mishin.h5 (spec cu-mishin-modelform, configurations from Cu_mishin1.eam.alloy, builtin MD, χ from Cu-K.gamma)',
  );
  assert.equal(defaultProvenance('a.h5', { n: 3 }), '3 spectra of a.h5');
});
