import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syntheticData,
  trainEnsemble,
  trainToDir,
  architectureFor,
  loadEnsemble,
  evaluateEnsemble,
  splitIndices,
  memberRows,
  DEFAULT_ADAM,
  type EnsembleOptions,
} from '../../src/nn/index.js';

const data = syntheticData({ n: 300, seed: 7, nk: 40, nr: 40, ntheta: 36 });
const opts = (workers: number, members = 5, engine: 'js' | 'wasm' = 'js'): EnsembleOptions => ({
  arch: architectureFor(data.k.length, data.r.length, data.theta.length, [48, 48], {
    g: 1,
    bad: 1,
    density: 0.1,
  }),
  modelK: data.k,
  kweight: 2,
  epochs: 40,
  patience: 8,
  batch: 32,
  adam: { ...DEFAULT_ADAM, lr: 2e-3 },
  engine,
  augment: { noise: 0, s02: null, dE: 0 },
  seed: 42,
  folds: 5,
  members,
  testFraction: 0.2,
  workers,
});

test('split: 20 % test, the rest in 5 disjoint folds covering everything once', () => {
  const s = splitIndices(103, 9, 0.2, 5);
  assert.equal(s.test.length, 21);
  const all = [...s.test, ...s.folds.flatMap((f) => [...f])].sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: 103 }, (_, i) => i),
  );
  const r = memberRows(s, 2);
  assert.equal(r.train.length + r.val.length, 103 - 21);
  assert.ok([...r.val].every((v) => !r.train.includes(v)));
  assert.deepEqual([...splitIndices(103, 9, 0.2, 5).test], [...s.test], 'seeded');
});

test('ensemble beats the trivial baseline on the test set; parallel workers reproduce the serial result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-nn-'));
  try {
    const out = join(dir, 'model');
    const { result } = await trainToDir(data, opts(1), out);
    for (const m of result.members) assert.ok(m.best_epoch > 0 && m.epochs_run >= m.best_epoch);
    const ens = loadEnsemble(out);
    const test = Array.from(result.split.test);
    const inTest = new Set(test);
    const train = Array.from({ length: data.n }, (_, i) => i).filter((i) => !inTest.has(i));
    const ev = evaluateEnsemble(ens, data, test, train);
    const g = ev.heads.find((h) => h.name === 'g')!;
    const bad = ev.heads.find((h) => h.name === 'bad')!;
    // a large margin: at least 10× below predicting the training mean
    assert.ok(g.mse < 0.1 * g.baseline_mse, `g(r) test MSE ${g.mse} vs baseline ${g.baseline_mse}`);
    assert.ok(bad.mse < 0.1 * bad.baseline_mse, `N(θ) test MSE ${bad.mse} vs baseline ${bad.baseline_mse}`);
    assert.ok(ev.first_shell.cn_mae < 1.0, `first-shell CN mean abs error ${ev.first_shell.cn_mae}`);
    assert.equal(ev.classes.length, 3);
    assert.ok(ev.calibration[0].observed[1] > 0 && ev.calibration[0].observed[1] <= 1);

    const par = await trainEnsemble(data, opts(2));
    for (let m = 0; m < 5; m++) {
      assert.equal(par.members[m].best_epoch, result.members[m].best_epoch, `member ${m} best epoch`);
      assert.deepEqual(
        par.members[m].history.val_loss,
        result.members[m].history.val_loss,
        `member ${m} history`,
      );
      for (let l = 0; l < par.members[m].params.W.length; l++)
        assert.deepEqual(
          par.members[m].params.W[l],
          result.members[m].params.W[l],
          `member ${m} layer ${l} weights`,
        );
    }
    // the same on the tfjs wasm engine (each worker starts its own wasm instance)
    const w = { ...opts(1, 2, 'wasm'), epochs: 3 };
    const ws = await trainEnsemble(data, w);
    const wp = await trainEnsemble(data, { ...w, workers: 2 });
    for (let m = 0; m < 2; m++)
      assert.deepEqual(wp.members[m].params.W[0], ws.members[m].params.W[0], `wasm member ${m}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('augmentation: noise, S0² and ΔE run; ΔE wider than the data k range is refused', async () => {
  const o = { ...opts(1, 1), epochs: 2, modelK: data.k.filter((k) => k >= 3 && k <= 11) };
  o.arch = architectureFor(o.modelK.length, data.r.length, data.theta.length, [16], {
    g: 1,
    bad: 1,
    density: 0.1,
  });
  const r = await trainEnsemble(data, { ...o, augment: { noise: 0.01, s02: [0.8, 1], dE: 5 } });
  assert.ok(Number.isFinite(r.members[0].best_val_loss));
  await assert.rejects(
    () => trainEnsemble(data, { ...o, augment: { noise: 0, s02: null, dE: 200 } }),
    /ΔE augmentation of ±200 eV needs/,
  );
});
