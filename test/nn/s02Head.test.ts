// The S0² head: its targets are the S0² drawn by the augmentation, so a trained ensemble reads the
// amplitude factor of a spectrum back (scaled χ → larger S0²) and keeps it apart from the structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syntheticData,
  trainToDir,
  trainEnsemble,
  architectureFor,
  s02Head,
  loadEnsemble,
  predictChi,
  datasetS02,
  S02_HEAD,
  DEFAULT_ADAM,
  type EnsembleOptions,
} from '../../src/nn/index.js';

const data = syntheticData({ n: 400, seed: 11, nk: 60, nr: 40, ntheta: 36 });
const arch = (extra = [s02Head(1)]) =>
  architectureFor(data.k.length, data.r.length, data.theta.length, [64, 64], { g: 1, bad: 1, density: 0.1 }, extra);
const opts = (): EnsembleOptions => ({
  arch: arch(),
  modelK: data.k,
  kweight: 2,
  epochs: 60,
  patience: 15,
  batch: 32,
  adam: { ...DEFAULT_ADAM, lr: 2e-3 },
  engine: 'js',
  augment: { noise: 0, s02: [0.5, 1.2], dE: 0 },
  seed: 5,
  folds: 3,
  members: 2,
  testFraction: 0.2,
  workers: 1,
});

test('S0² head: predicted S0² follows the amplitude of the input (trained on the augmentation draw)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-s02-'));
  try {
    const out = join(dir, 'm');
    const { meta } = await trainToDir(data, opts(), out);
    const ens = loadEnsemble(out);
    assert.deepEqual(
      meta.architecture.heads.map((h) => h.name),
      ['g', 'bad', 'density', S02_HEAD],
    );
    // the head's centring and scale are those of the uniform draw on [0.5, 1.2]
    const yMean = meta.members[0].norm.y_mean;
    assert.ok(Math.abs(yMean[yMean.length - 1] - 0.85) < 1e-6, `y_mean ${yMean[yMean.length - 1]}`);
    const nk = data.k.length;
    const errs: number[] = [];
    const byScale = new Map<number, number[]>();
    for (let s = 0; s < 40; s++) {
      const chi = Array.from(data.chi.subarray(s * nk, (s + 1) * nk));
      for (const f of [0.6, 0.85, 1.1]) {
        const p = predictChi(
          ens,
          data.k,
          chi.map((v) => v * f),
        );
        const h = p.heads[S02_HEAD];
        assert.ok(h && h.mean.length === 1 && Number.isFinite(h.mean[0]));
        errs.push(Math.abs(h.mean[0] - f));
        byScale.set(f, [...(byScale.get(f) ?? []), h.mean[0]]);
      }
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const [lo, mid, hi] = [0.6, 0.85, 1.1].map((f) => mean(byScale.get(f)!));
    assert.ok(lo < mid && mid < hi, `S0² not monotonic in the amplitude: ${lo} ${mid} ${hi}`);
    // a constant guess (0.85) would give a mean |error| of 1/6 ≈ 0.167 over these three scales
    assert.ok(mean(errs) < 0.1, `mean |ΔS0²| ${mean(errs)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('S0² head without S0² augmentation is refused; datasetS02 reads the spec', async () => {
  await assert.rejects(
    () => trainEnsemble(data, { ...opts(), epochs: 1, augment: { noise: 0, s02: null, dE: 0 } }),
    /needs S0² augmentation/,
  );
  assert.equal(datasetS02(data), 1);
  assert.equal(datasetS02({ ...data, identity: { attrs: { spec: JSON.stringify({ s02: 0.9 }) } } }), 0.9);
});
