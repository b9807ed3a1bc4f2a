// σ calibration (src/nn/calibration.ts, src/nn/uncertainty.ts): the fit reaches the Gaussian
// shares on data drawn from a known error model; train writes a calibration on its held-out split,
// predict and evaluate apply it; a model directory without one still loads, uncalibrated, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syntheticData,
  trainToDir,
  architectureFor,
  loadEnsemble,
  predictChi,
  evaluateEnsemble,
  DEFAULT_ADAM,
  NO_AUGMENTATION,
} from '../../src/nn/index.js';
import { coverage, fitTerm, fitCalibration } from '../../src/nn/calibration.js';
import { calibratedSigma, termAt } from '../../src/nn/uncertainty.js';
import { Rng } from '../../src/util/rng.js';

test('fitTerm recovers scale and floor of a known error model and reaches 68 % / 95 % on fresh draws', () => {
  // errors ~ N(0, (3·s)² + 0.02²), s the "ensemble spread" in 0.002…0.05
  const draw = (seed: number, n: number) => {
    const rng = new Rng(seed);
    const err = new Float64Array(n);
    const spread = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      spread[i] = rng.range(0.002, 0.05);
      err[i] = Math.hypot(3 * spread[i], 0.02) * rng.normal();
    }
    return { err, spread };
  };
  const fit = draw(1, 20000);
  const before = coverage(fit);
  assert.ok(before[0] < 0.45, `bare spread covers ${before[0]}`);
  const term = fitTerm(fit);
  assert.ok(Math.abs(term.scale - 3) < 0.4, `scale ${term.scale}`);
  assert.ok(Math.abs(term.floor - 0.02) < 0.008, `floor ${term.floor}`);
  const [c1, c2] = coverage(draw(2, 20000), term);
  assert.ok(Math.abs(c1 - 0.683) < 0.02 && Math.abs(c2 - 0.954) < 0.015, `fresh coverage ${c1} / ${c2}`);
  // the model-form term enters in quadrature
  assert.equal(calibratedSigma({ scale: 1, floor: 3, model_form: 4 }, 0), 5);
  assert.equal(calibratedSigma(undefined, 0.7), 0.7);
});

test('fitTerm with proportional: errors growing with the predicted value are covered in both groups (c recovered); without it c stays 0', () => {
  // a crystal-like majority (share ≈ 0.005, error 0.004) and a melt-like minority (share 0.1–0.3,
  // error 0.2·ŷ), the spread (0.002…0.004) not following: err ~ N(0, (1·s)² + 0.003² + (0.2·ŷ)²)
  const draw = (seed: number, n: number) => {
    const rng = new Rng(seed);
    const err = new Float64Array(n);
    const spread = new Float64Array(n);
    const pred = new Float64Array(n);
    const melt = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      melt[i] = rng.uniform() < 0.25 ? 1 : 0;
      pred[i] = melt[i] ? rng.range(0.1, 0.3) : rng.range(0, 0.01);
      spread[i] = rng.range(0.002, 0.004);
      err[i] = Math.hypot(spread[i], 0.003, 0.2 * pred[i]) * rng.normal();
    }
    return { err, spread, pred, melt };
  };
  const group = (e: ReturnType<typeof draw>, g: number) => {
    const sel = Array.from(e.melt.keys()).filter((i) => e.melt[i] === g);
    const pick = (a: Float64Array) => Float64Array.from(sel, (i) => a[i]);
    return { err: pick(e.err), spread: pick(e.spread), pred: pick(e.pred) };
  };
  const fit = draw(3, 4000);
  const fresh = draw(4, 4000);
  // the old form: one (scale, floor) — the melts are under-covered, the crystal-like values over
  const plain = fitTerm(fit);
  assert.equal(plain.proportional, undefined);
  const meltPlain = coverage(group(fresh, 1), plain);
  assert.ok(meltPlain[0] < 0.55, `melts inside ±1σ without c: ${meltPlain[0]}`);
  const term = fitTerm(fit, 0, { proportional: true });
  assert.ok(term.proportional !== undefined && Math.abs(term.proportional - 0.2) < 0.05, `c ${term.proportional}`);
  for (const g of [0, 1]) {
    const [c1, c2] = coverage(group(fresh, g), term);
    assert.ok(Math.abs(c1 - 0.683) < 0.06 && Math.abs(c2 - 0.954) < 0.035, `group ${g}: ${c1} / ${c2}`);
  }
  // σ: c·|ŷ| in quadrature; a term without proportional ignores the value (older calibrations)
  assert.equal(calibratedSigma({ scale: 1, floor: 3, model_form: 0, proportional: 2 }, 0, -2), 5);
  assert.equal(calibratedSigma({ scale: 1, floor: 3, model_form: 4 }, 0, 100), 5);
  // errors not growing with ŷ: c ≈ 0 (it adds nothing the floor does not)
  const flat = draw(5, 4000);
  for (let i = 0; i < flat.err.length; i++) flat.err[i] = Math.hypot(3 * flat.spread[i], 0.01) * (flat.err[i] / Math.hypot(flat.spread[i], 0.003, 0.2 * flat.pred[i]));
  const tf = fitTerm(flat, 0, { proportional: true });
  assert.ok((tf.proportional ?? 0) < 0.02, `c on flat errors ${tf.proportional}`);
});

const dir = mkdtempSync(join(tmpdir(), 'exafsnn-cal-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const data = syntheticData({ n: 260, seed: 4, nk: 30, kmin: 3, kmax: 14, nr: 50, rmin: 1.8, rmax: 5, ntheta: 36 });
const model = join(dir, 'model');
const trained = trainToDir(
  data,
  {
    arch: architectureFor(30, 50, 36, [32], { g: 1, bad: 1, density: 0.1 }),
    modelK: data.k,
    kweight: 2,
    epochs: 25,
    patience: 8,
    batch: 16,
    adam: { ...DEFAULT_ADAM, lr: 3e-3 },
    engine: 'js',
    augment: NO_AUGMENTATION,
    seed: 9,
    folds: 3,
    members: 3,
    testFraction: 0.2,
    calibrationFraction: 0.2,
    workers: 1,
  },
  model,
);

test('train holds out a calibration split no member saw and stores the calibration in model.json', async () => {
  const { meta, result } = await trained;
  const cal = meta.calibration!;
  assert.ok(cal, 'model.json has calibration');
  assert.equal(cal.data.source, 'calibration split');
  assert.equal(cal.data.n, 52);
  const inTest = new Set(result.split.test);
  const trainedOn = new Set(result.split.folds.flatMap((f) => Array.from(f)));
  for (const i of result.split.calibration) assert.ok(!inTest.has(i) && !trainedOn.has(i), `sample ${i}`);
  for (const q of ['g', 'bad', 'density', 'r1', 'cn'] as const) {
    assert.ok(cal.terms[q], q);
    const [c1, c2] = cal.coverage.after[q]!;
    assert.ok(c1 > 0.55 && c1 < 0.8 && c2 > 0.85, `${q} on the calibration split: ${c1} / ${c2}`);
  }
  const onDisk = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
  assert.deepEqual(onDisk.calibration.terms, JSON.parse(JSON.stringify(cal.terms)));
  assert.equal(onDisk.split.calibration.length, 52);
});

test('predict applies the calibration (σ ≥ the bare spread where the scale is ≥ 1) and says what σ contains', async () => {
  await trained;
  const ens = loadEnsemble(model);
  const p = predictChi(ens, data.k, data.chi.subarray(0, 30));
  assert.equal(p.uncertainty.calibrated, true);
  assert.match(p.uncertainty.sigma, /held-out spectra/);
  // g(r): the term of the r band each point lies in
  const cal = ens.calibration!;
  assert.equal(cal.bands!.g!.terms.length, 6);
  for (let j = 0; j < p.g.length; j++)
    assert.ok(Math.abs(p.g_std[j] - calibratedSigma(termAt(cal, 'g', ens.r[j]), p.spread.g[j])) < 1e-12);
  assert.ok(Math.abs(p.first_shell.cn_std - calibratedSigma(ens.calibration!.terms.cn, p.spread.cn)) < 1e-12);
});

test('evaluate reports coverage before and after; on the test set the calibrated σ is near the target', async () => {
  const { result } = await trained;
  const ens = loadEnsemble(model);
  const ev = evaluateEnsemble(ens, data, result.split.test, result.split.folds.flatMap((f) => Array.from(f)));
  const by = Object.fromEntries(ev.coverage.map((c) => [c.quantity, c]));
  for (const q of ['g', 'bad', 'r1', 'cn']) {
    const c = by[q];
    assert.ok(c && c.after, q);
    // 52 calibration and 52 test spectra: a loose window around 68 % / 95 %
    assert.ok(c.after![0] > 0.45 && c.after![0] < 0.9, `${q} ±1σ ${c.after![0]}`);
    assert.ok(c.after![1] > 0.75, `${q} ±2σ ${c.after![1]}`);
    assert.ok(c.after![1] >= c.before[1] - 1e-12 || ens.calibration!.terms[q as 'g']!.scale < 1, q);
  }
});

test('a model directory without calibration loads, uncalibrated and saying so; calibrate adds a model-form term', async () => {
  await trained;
  const bare = join(dir, 'bare');
  const { cpSync } = await import('node:fs');
  cpSync(model, bare, { recursive: true });
  const mj = JSON.parse(readFileSync(join(bare, 'model.json'), 'utf8'));
  delete mj.calibration;
  writeFileSync(join(bare, 'model.json'), JSON.stringify(mj));
  const ens = loadEnsemble(bare);
  assert.equal(ens.calibration, null);
  const p = predictChi(ens, data.k, data.chi.subarray(0, 30));
  assert.equal(p.uncertainty.calibrated, false);
  assert.match(p.uncertainty.sigma, /spread of the ensemble members only/);
  assert.deepEqual(Array.from(p.g_std), Array.from(p.spread.g));
  // another "theory": the same structures with χ scaled by 0.8 (an amplitude the networks never saw)
  const other = { ...data, chi: data.chi.map((v) => 0.8 * v), identity: { source: 'synthetic ×0.8' } };
  const idx = ens.meta.split.calibration!;
  const cal = fitCalibration(ens, data, idx, 'calibration split', {
    modelForm: { data: { ...other, n: 60, chi: other.chi.slice(0, 60 * 30) }, provenance: 'χ × 0.8' },
  });
  assert.equal(cal.model_form!.provenance, 'χ × 0.8');
  // g(r) is what a 20 % amplitude change moves most (the toy model's CN error is larger than the change)
  const mf = cal.model_form!;
  assert.ok(mf.rms.g! > mf.rms_in.g!, JSON.stringify(mf));
  assert.ok(cal.terms.g!.model_form > 0);
  assert.ok(Math.abs(mf.term.g! - Math.sqrt(mf.rms.g! ** 2 - mf.rms_in.g! ** 2)) < 1e-12);
  for (const q of ['r1', 'cn'] as const) assert.ok(mf.term[q]! >= 0 && cal.terms[q]!.model_form === mf.term[q]);
});

test('held-out spectra are scaled by S0² draws from the training range: the S0² head gets a calibrated σ, every quantity is measured on the scaled χ', async () => {
  const { s02Head, S02_HEAD } = await import('../../src/nn/index.js');
  const { heldOutErrors, s02DrawsOf, s02Factor, S02_DRAW_SEED } = await import('../../src/nn/calibration.js');
  const sd = syntheticData({ n: 400, seed: 11, nk: 60, nr: 40, ntheta: 36 });
  const out = join(dir, 's02');
  const { meta, result } = await trainToDir(
    sd,
    {
      arch: architectureFor(60, 40, 36, [64, 64], { g: 1, bad: 1, density: 0.1 }, [s02Head(1)]),
      modelK: sd.k,
      kweight: 2,
      epochs: 60,
      patience: 15,
      batch: 32,
      adam: { ...DEFAULT_ADAM, lr: 2e-3 },
      engine: 'js',
      augment: { noise: 0, s02: [0.5, 1.2], dE: 0 },
      seed: 5,
      folds: 3,
      members: 3,
      testFraction: 0.2,
      calibrationFraction: 0.2,
      workers: 1,
    },
    out,
  );
  const ens = loadEnsemble(out);
  const draws = s02DrawsOf(ens)!;
  assert.deepEqual(draws, { range: [0.5, 1.2], seed: S02_DRAW_SEED });
  // draws: in range, fixed per sample, spread over the range
  const f = Array.from({ length: 200 }, (_, s) => s02Factor(draws, s));
  assert.ok(f.every((v) => v >= 0.5 && v < 1.2));
  assert.equal(s02Factor(draws, 17), f[17]);
  assert.ok(Math.min(...f) < 0.55 && Math.max(...f) > 1.15, `draws ${Math.min(...f)}…${Math.max(...f)}`);
  const cal = meta.calibration!;
  assert.deepEqual(cal.data.s02_draws, draws);
  assert.ok(cal.terms.s02, 'an S0² term');
  // the S0² error of a sample is the prediction on its scaled χ minus the drawn S0²
  const idx = result.split.calibration;
  const withDraws = heldOutErrors(ens, sd, idx);
  const s = idx[3];
  const nk = sd.k.length;
  const p = predictChi(ens, sd.k, sd.chi.slice(s * nk, (s + 1) * nk).map((v) => v * s02Factor(draws, s)));
  assert.ok(Math.abs(withDraws.s02.err[3] - (p.heads[S02_HEAD].mean[0] - s02Factor(draws, s))) < 1e-5);
  // every quantity sees the scaled χ: the same errors as unscaled data with χ multiplied by hand,
  // and not those of the unscaled spectra (the structure's truths do not change with S0²)
  const byHand = Float32Array.from(sd.chi);
  for (const i of idx) for (let j = 0; j < nk; j++) byHand[i * nk + j] *= s02Factor(draws, i);
  const scaled = heldOutErrors(ens, { ...sd, chi: byHand }, idx, { s02: null });
  const unscaled = heldOutErrors(ens, sd, idx, { s02: null });
  for (const q of ['g', 'bad', 'density', 'r1', 'cn'] as const) {
    const a = Array.from(withDraws[q].err);
    const b = Array.from(scaled[q].err);
    assert.equal(a.length, b.length, q);
    assert.ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-4 * (1 + Math.abs(v))), `${q}: scaled by hand`);
    assert.notDeepEqual(a, Array.from(unscaled[q].err), `${q}: unscaled`);
  }
  // the stored calibration is the fit on these errors: refit the same split, the same terms
  const again = fitCalibration(ens, sd, idx, 'calibration split');
  for (const q of ['g', 'bad', 'density', 'r1', 'cn', 's02'] as const) assert.deepEqual(again.terms[q], cal.terms[q], q);
  // on the test split (the same draws by sample index, as evaluate uses them) the calibrated σ of S0²
  // covers the drawn truths where the bare spread does not
  const ev = evaluateEnsemble(ens, sd, result.split.test, result.split.folds.flatMap((x) => Array.from(x)));
  const c = ev.coverage.find((x) => x.quantity === 's02')!;
  assert.equal(c.n, result.split.test.length);
  assert.ok(c.after![1] > 0.85 && c.after![1] > c.before[1], `S0² ±2σ ${c.before[1]} → ${c.after![1]}`);
  // predict applies the S0² term
  assert.ok(Math.abs(p.heads[S02_HEAD].std[0] - calibratedSigma(cal.terms.s02, stdOfMembers(p, S02_HEAD))) < 1e-9);
});

/** Sample standard deviation of a one-output head over the members. */
function stdOfMembers(p: ReturnType<typeof predictChi>, head: string): number {
  const v = p.members.map((m) => m.heads[head][0]);
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

test('--model-form-fit joint: scale and floor fitted on the calibration and model-form spectra together, no additive term', async () => {
  await trained;
  const { heldOutErrors } = await import('../../src/nn/calibration.js');
  const ens = loadEnsemble(model);
  const idx = ens.meta.split.calibration!;
  // another "potential": the test spectra with χ × 0.8 (an amplitude this model never saw)
  const other = {
    ...data,
    n: 60,
    chi: data.chi.slice(0, 60 * 30).map((v) => 0.8 * v),
    gr: data.gr.slice(0, 60 * 50),
    bad: data.bad.slice(0, 60 * 36),
    density: data.density.slice(0, 60),
    structure: data.structure.slice(0, 60),
    identity: { source: 'synthetic ×0.8' },
  };
  const additive = fitCalibration(ens, data, idx, 'calibration split', { modelForm: { data: other, provenance: 'χ × 0.8' } });
  const joint = fitCalibration(ens, data, idx, 'calibration split', {
    modelForm: { data: other, provenance: 'χ × 0.8', fit: 'joint' },
  });
  assert.equal(joint.model_form!.fit, 'joint');
  assert.equal(additive.model_form!.fit, undefined);
  // the RMS record is the same; only how it enters σ differs
  assert.deepEqual(joint.model_form!.term, additive.model_form!.term);
  assert.ok(additive.terms.g!.model_form > 0);
  for (const q of ['g', 'r1', 'cn'] as const) assert.equal(joint.terms[q]!.model_form, 0, q);
  // the joint terms are the fit on both sets' errors, and cover both
  const a = heldOutErrors(ens, data, idx);
  const b = heldOutErrors(ens, other, Array.from({ length: 60 }, (_, i) => i));
  for (const q of ['r1', 'cn'] as const) {
    const both = { err: Float64Array.from([...a[q].err, ...b[q].err]), spread: Float64Array.from([...a[q].spread, ...b[q].spread]) };
    assert.deepEqual(joint.terms[q], fitTerm(both, 0), q);
    const [c1, c2] = coverage(both, joint.terms[q]);
    assert.ok(c1 > 0.55 && c2 > 0.88, `${q} joint on both: ${c1} / ${c2}`);
    assert.deepEqual(joint.coverage.after[q], [c1, c2]);
  }
  const { sigmaSentence } = await import('../../src/nn/uncertainty.js');
  assert.match(sigmaSentence(joint), /held-out spectra \(calibration split\) and 60 spectra of configurations another potential made \(χ × 0.8\), so that about 68 %/);
  assert.match(sigmaSentence(additive), /plus a measured model-form term \(χ × 0.8\)/);
});
