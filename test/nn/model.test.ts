import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syntheticData,
  trainToDir,
  architectureFor,
  loadEnsemble,
  loadModelDir,
  predictChi,
  validateData,
  getTf,
  toFloat16Bits,
  fromFloat16Bits,
  memberOutputs,
  buildInputs,
  DEFAULT_ADAM,
  type TrainingData,
} from '../../src/nn/index.js';
import { UserError } from '../../src/util/errors.js';
import { firstShell } from '../../src/analysis/firstShell.js';

const data = syntheticData({ n: 120, seed: 3, nk: 30, nr: 40, ntheta: 36 });
const dir = mkdtempSync(join(tmpdir(), 'exafsnn-model-'));
const model = join(dir, 'model');
const trained = trainToDir(
  data,
  {
    arch: architectureFor(30, 40, 36, [24], { g: 1, bad: 1, density: 0.1 }),
    modelK: data.k,
    kweight: 2,
    epochs: 5,
    patience: 5,
    batch: 16,
    adam: { ...DEFAULT_ADAM, lr: 3e-3 },
    engine: 'js',
    augment: { noise: 0, s02: null, dE: 0 },
    seed: 5,
    folds: 3,
    members: 3,
    testFraction: 0.2,
    workers: 1,
  },
  model,
);

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('first-shell CN and R1 from an exact Gaussian shell equal the inputs (independent check of the integral)', () => {
  // g(r) = CN/(4πr²ρ) · N(r; R, σ): ∫4πr²ρ g dr = CN, centroid = R
  const rho = 0.0913;
  const R = 2.49;
  const s = 0.08;
  const CN = 12;
  // (a second shell, 6 at 3.52 Å, 13 σ away, gives the first one its minimum)
  const shell = (x: number, n: number, c: number) =>
    ((n / (4 * Math.PI * x * x * rho)) * Math.exp(-0.5 * ((x - c) / s) ** 2)) / (s * Math.sqrt(2 * Math.PI));
  const r = Float64Array.from({ length: 600 }, (_, i) => 1.5 + i * 0.005);
  const g = r.map((x) => shell(x, CN, R) + shell(x, 6, 3.52));
  const fs = firstShell(r, g, { density: rho });
  assert.ok(Math.abs(fs.cn - CN) < 1e-3, `CN ${fs.cn}`);
  assert.ok(Math.abs(fs.r1 - R) < 1e-3, `R1 ${fs.r1}`);
});

test('model directory round trip; the members load in tfjs (browser format) and give the same numbers', async () => {
  await trained;
  const ens = loadEnsemble(model);
  assert.equal(ens.members.length, 3);
  const meta = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
  assert.equal(meta.format, 'exafsnn-model');
  assert.equal(meta.kweight, 2);
  assert.equal(meta.split.test.length, 24);
  assert.equal(meta.members[0].norm.x_mean.length, 30);
  const x0 = buildInputs(data, ens.k, 2).subarray(0, 4 * 30);
  const ours = memberOutputs(ens, x0, 4)[1];
  // load member-1 with tf.loadLayersModel through an in-memory handler (what the browser does over http)
  const tf = await getTf('cpu');
  const mj = JSON.parse(readFileSync(join(model, 'member-1', 'model.json'), 'utf8'));
  const wb = readFileSync(join(model, 'member-1', 'weights.bin'));
  const m = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: mj.modelTopology,
      weightSpecs: mj.weightsManifest[0].weights,
      weightData: wb.buffer.slice(wb.byteOffset, wb.byteOffset + wb.byteLength),
    }),
  );
  const nm = meta.members[1].norm;
  const xs = Float32Array.from(x0, (v, i) => (v - nm.x_mean[i % 30]) / nm.x_std[i % 30]);
  const y = (m.predict(tf.tensor2d(xs, [4, 30])) as import('@tensorflow/tfjs').Tensor).dataSync();
  const colScale = (j: number) => (j < 40 ? nm.y_scale[0] : j < 76 ? nm.y_scale[1] : nm.y_scale[2]);
  for (let i = 0; i < y.length; i++) {
    const phys = y[i] * colScale(i % 77) + nm.y_mean[i % 77];
    assert.ok(
      Math.abs(phys - ours[i]) < 1e-4 * Math.max(1, Math.abs(ours[i])),
      `output ${i}: tfjs ${phys} vs ours ${ours[i]}`,
    );
  }
});

test('predictChi: any covering k grid; k-range, shape and NaN errors are clear', async () => {
  await trained;
  const ens = loadEnsemble(model);
  // the same spectrum on a finer grid gives (nearly) the same prediction
  const s = 0;
  const chi = data.chi.subarray(s * 30, (s + 1) * 30);
  const p1 = predictChi(ens, data.k, chi);
  // a finer grid that contains the model's points (so the interpolation back is exact) plus midpoints
  const fine = Float64Array.from({ length: 59 }, (_, i) =>
    i % 2 === 0 ? data.k[i / 2] : 0.5 * (data.k[(i - 1) / 2] + data.k[(i + 1) / 2]),
  );
  const chiFine = fine.map((k) => {
    let j = 0;
    while (j < 28 && data.k[j + 1] < k) j++;
    const t = (k - data.k[j]) / (data.k[j + 1] - data.k[j]);
    return chi[j] * (1 - t) + chi[j + 1] * t;
  });
  const p2 = predictChi(ens, fine, chiFine);
  for (let i = 0; i < p1.g.length; i++)
    assert.ok(Math.abs(p1.g[i] - p2.g[i]) < 1e-3 * Math.max(1, Math.abs(p1.g[i])));
  assert.equal(p1.members.length, 3);
  assert.ok(p1.g_std.every((v) => v >= 0) && p1.g_std.some((v) => v > 0));
  assert.ok(Number.isFinite(p1.first_shell.cn) && Number.isFinite(p1.first_shell.cn_std));
  const short = data.k.filter((k) => k < 9);
  assert.throws(
    () => predictChi(ens, short, chi.subarray(0, short.length)),
    (e: Error) => e instanceof UserError && /covers k = .* but the model needs/.test(e.message),
  );
  assert.throws(() => predictChi(ens, data.k, chi.subarray(0, 10)), /k has 30 points but χ has 10/);
  const bad = Float32Array.from(chi);
  bad[4] = NaN;
  assert.throws(() => predictChi(ens, data.k, bad), /value 4 .* is NaN/);
});

test('quantized weights (float16, uint8) load with a small, measured error', async () => {
  await trained;
  for (const x of [0, 1, -2.5, 1e-3, 65504, 6e-5, 3.14159])
    assert.ok(Math.abs(fromFloat16Bits(toFloat16Bits(x)) - x) <= Math.abs(x) * 1e-3 + 6e-8, `f16 ${x}`);
  const ref = loadModelDir(model);
  const { saveModelDir } = await import('../../src/nn/modeldir.js');
  for (const dtype of ['float16', 'uint8'] as const) {
    const q = join(dir, `q-${dtype}`);
    saveModelDir(q, { ...ref.meta, weights: { dtype } }, ref.params);
    const l = loadModelDir(q);
    let maxErr = 0;
    let maxW = 0;
    for (let i = 0; i < ref.params[0].W[0].length; i++) {
      maxErr = Math.max(maxErr, Math.abs(l.params[0].W[0][i] - ref.params[0].W[0][i]));
      maxW = Math.max(maxW, Math.abs(ref.params[0].W[0][i]));
    }
    assert.ok(
      maxErr <= maxW * (dtype === 'float16' ? 1e-3 : 1 / 255),
      `${dtype}: max weight error ${maxErr}`,
    );
  }
});

test('a model directory with a missing member or a changed grid is refused clearly', async () => {
  await trained;
  const broken = join(dir, 'broken');
  const ref = loadModelDir(model);
  const { saveModelDir } = await import('../../src/nn/modeldir.js');
  saveModelDir(broken, ref.meta, ref.params);
  renameSync(join(broken, 'member-2'), join(broken, 'gone'));
  assert.throws(() => loadEnsemble(broken), /ensemble member "member-2" is missing/);
  renameSync(join(broken, 'gone'), join(broken, 'member-2'));
  const meta = JSON.parse(readFileSync(join(broken, 'model.json'), 'utf8'));
  meta.k = meta.k.slice(1);
  writeFileSync(join(broken, 'model.json'), JSON.stringify(meta));
  assert.throws(
    () => loadEnsemble(broken),
    /k grid has 29 points but the network input has 30: grid changed/,
  );
  meta.k = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')).k;
  meta.r = meta.r.slice(2);
  writeFileSync(join(broken, 'model.json'), JSON.stringify(meta));
  assert.throws(() => loadEnsemble(broken), /r grid has 38 points but the g\(r\) head has 40/);
  meta.r = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')).r;
  meta.version = 99;
  writeFileSync(join(broken, 'model.json'), JSON.stringify(meta));
  assert.throws(() => loadEnsemble(broken), /model format version 99/);
  assert.throws(() => loadEnsemble(join(dir, 'nothing')), /not a model directory/);
});

test('a dataset with NaN or mismatched shapes is refused with the field named', () => {
  const d: TrainingData = { ...data, chi: Float32Array.from(data.chi) };
  d.chi[5 * 30 + 7] = NaN;
  assert.throws(() => validateData(d, 'x.h5'), /x\.h5: \/chi\[5, 7\] is NaN \(sample 5\)/);
  assert.throws(
    () => validateData({ ...data, gr: data.gr.subarray(0, 100) }, 'x.h5'),
    /\/gr has 100 values, expected n × 40/,
  );
  assert.throws(
    () => validateData({ ...data, structure: data.structure.slice(1) }, 'x.h5'),
    /\/meta\/structure has 119 entries/,
  );
  const dd = { ...data, density: Float32Array.from(data.density) };
  dd.density[2] = 0;
  assert.throws(() => validateData(dd, 'x.h5'), /density\[2\] = 0/);
});
