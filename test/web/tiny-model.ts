/**
 * A tiny trained model directory for the app and server tests, made with src/nn's own writer
 * (trainToDir on src/nn's synthetic data set: Gaussian shells → single-scattering χ(k)).
 * It is a real ensemble in the real format (tfjs layers + model.json), only small and toy-trained:
 * its numbers on a measured spectrum are not physics and tests do not treat them as such.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syntheticData,
  trainToDir,
  architectureFor,
  modelGrid,
  NO_AUGMENTATION,
  DEFAULT_ADAM,
} from '../../src/nn/index.js';

export async function makeTinyModel(dir?: string): Promise<string> {
  const out = dir ?? join(mkdtempSync(join(tmpdir(), 'exafsnn-tiny-model-')), 'tiny');
  if (existsSync(join(out, 'model.json'))) return out;
  const data = syntheticData({
    n: 240,
    seed: 7,
    nk: 45,
    kmin: 3,
    kmax: 14,
    nr: 60,
    rmin: 1.8,
    rmax: 6,
    ntheta: 60,
  });
  const modelK = modelGrid(data.k);
  const arch = architectureFor(modelK.length, data.r.length, data.theta.length, [48], {
    g: 1,
    bad: 1,
    density: 0.1,
  });
  await trainToDir(
    data,
    {
      arch,
      modelK,
      kweight: 2,
      epochs: 40,
      patience: 10,
      batch: 32,
      adam: { ...DEFAULT_ADAM, lr: 3e-3 },
      engine: 'js',
      augment: NO_AUGMENTATION,
      seed: 11,
      folds: 3,
      members: 3,
      testFraction: 0.1,
      workers: 1,
    },
    out,
    { weights: 'float16', command: 'test/web/tiny-model.ts' },
  );
  return out;
}
