// The local-order head: labels from dataset columns → targets → trained head → model directory →
// predict's local_order (mean ± σ); models without the head still load and give local_order null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  syntheticData,
  trainToDir,
  architectureFor,
  localOrderHead,
  loadEnsemble,
  predictChi,
  evaluateEnsemble,
  buildTargets,
  hasLabels,
  LOCAL_ORDER_COLUMNS,
  evaluatePhases,
  formatPhases,
  phaseOf,
  DEFAULT_ADAM,
  type EnsembleOptions,
  type TrainingData,
} from '../../src/nn/index.js';

/** Synthetic labels tied to each sample's class (and, for liquids, its density), like real local order. */
function withLabels(d: TrainingData): TrainingData {
  const labels: Record<string, Float32Array> = {};
  for (const c of LOCAL_ORDER_COLUMNS) labels[c] = new Float32Array(d.n);
  // temperatures: crystals 300 K, liquids spread over 1000–2000 K (with Tm = 1500 K half undercooled)
  labels.temperature = Float32Array.from(d.structure, (s, i) =>
    s === 'liquid' ? 1000 + ((i * 37) % 1000) : 300,
  );
  let rhoMin = Infinity,
    rhoMax = -Infinity;
  for (let i = 0; i < d.n; i++)
    if (d.structure[i] === 'liquid') {
      rhoMin = Math.min(rhoMin, d.density[i]);
      rhoMax = Math.max(rhoMax, d.density[i]);
    }
  for (let i = 0; i < d.n; i++) {
    const set = (c: string, v: number) => (labels[c][i] = v);
    switch (d.structure[i]) {
      case 'fcc':
        set('pairs_1421', 0.95);
        set('cna_fcc', 0.9);
        set('cna_other', 0.1);
        break;
      case 'hcp':
        set('pairs_1421', 0.47);
        set('pairs_1422', 0.47);
        set('cna_hcp', 0.85);
        set('cna_other', 0.15);
        break;
      case 'liquid': {
        const x = (d.density[i] - rhoMin) / Math.max(1e-12, rhoMax - rhoMin);
        set('pairs_1551', 0.1 + 0.12 * x);
        set('pairs_1421', 0.05);
        set('pairs_1422', 0.09);
        set('cna_ico', 0.005 * x);
        set('cna_other', 1 - 0.005 * x);
        break;
      }
      default:
        set('cna_bcc', 0.8);
        set('cna_other', 0.2);
    }
  }
  return { ...d, labels };
}

const data = withLabels(syntheticData({ n: 300, seed: 11, nk: 40, nr: 40, ntheta: 36 }));
const dir = mkdtempSync(join(tmpdir(), 'exafsnn-lohead-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const opts = (withHead: boolean): EnsembleOptions => ({
  arch: architectureFor(
    data.k.length,
    data.r.length,
    data.theta.length,
    [48, 48],
    { g: 1, bad: 1, density: 0.1 },
    withHead ? [localOrderHead(1)] : [],
  ),
  modelK: data.k,
  kweight: 2,
  epochs: 40,
  patience: 8,
  batch: 32,
  adam: { ...DEFAULT_ADAM, lr: 2e-3 },
  engine: 'js',
  augment: { noise: 0, s02: null, dE: 0 },
  seed: 4,
  folds: 3,
  members: 3,
  testFraction: 0.2,
  workers: 1,
});

test('targets follow the heads: the local-order columns land in the head slice; missing or NaN labels are refused', () => {
  const heads = opts(true).arch.heads;
  const y = buildTargets(data, heads);
  const m = heads.reduce((a, h) => a + h.size, 0);
  const o = data.r.length + data.theta.length + 1;
  for (let s = 0; s < 5; s++)
    LOCAL_ORDER_COLUMNS.forEach((c, j) => assert.equal(y[s * m + o + j], data.labels![c][s]));
  assert.ok(hasLabels(data, LOCAL_ORDER_COLUMNS));
  const broken = {
    ...data,
    labels: { ...data.labels!, cna_ico: data.labels!.cna_ico.map((v, i) => (i === 7 ? NaN : v)) },
  };
  assert.equal(hasLabels(broken, LOCAL_ORDER_COLUMNS), false);
  assert.throws(() => buildTargets(broken, heads), /cna_ico\[7\] is NaN/);
  assert.throws(
    () => buildTargets({ ...data, labels: {} }, heads),
    /needs the dataset column \/meta\/pairs_1551/,
  );
});

test('a model with the local-order head predicts local_order within the labels’ spread; one without still loads (local_order null)', async () => {
  const withDir = join(dir, 'with');
  const { result } = await trainToDir(data, opts(true), withDir);
  const meta = JSON.parse(readFileSync(join(withDir, 'model.json'), 'utf8'));
  const head = meta.architecture.heads.find((h: { name: string }) => h.name === 'local_order');
  assert.deepEqual(head.columns, [...LOCAL_ORDER_COLUMNS]);
  const ens = loadEnsemble(withDir);
  // a model.json whose head names fewer columns than it has outputs is refused clearly
  const bad = join(dir, 'bad-columns');
  cpSync(withDir, bad, { recursive: true });
  const bm = JSON.parse(readFileSync(join(bad, 'model.json'), 'utf8'));
  bm.architecture.heads.find((h: { name: string }) => h.name === 'local_order').columns.pop();
  writeFileSync(join(bad, 'model.json'), JSON.stringify(bm));
  assert.throws(() => loadEnsemble(bad), /head "local_order" has 8 outputs but names 7 columns/);
  const test = result.split.test;
  let err = 0;
  for (const s of test) {
    const p = predictChi(ens, data.k, data.chi.subarray(s * data.k.length, (s + 1) * data.k.length));
    assert.ok(p.local_order, 'local_order present');
    const lo = p.local_order!;
    for (const v of [lo.pairs_1551, lo.pairs_1421, lo.pairs_1422, ...Object.values(lo.atoms)]) {
      assert.ok(v.mean >= 0 && v.mean <= 1, `fraction ${v.mean} outside [0, 1]`);
      assert.ok(v.std >= 0);
    }
    err += Math.abs(lo.pairs_1551.mean - data.labels!.pairs_1551[s]);
  }
  const mae = err / test.length;
  assert.ok(mae < 0.03, `1551 share MAE on the test set ${mae}`);
  const ev = evaluateEnsemble(
    ens,
    data,
    test,
    Array.from({ length: data.n }, (_, i) => i).filter((i) => !test.includes(i)),
  );
  const h = ev.heads.find((x) => x.name === 'local_order')!;
  assert.ok(h.mse < 0.2 * h.baseline_mse, `local_order test MSE ${h.mse} vs baseline ${h.baseline_mse}`);

  // per phase: crystal / liquid / undercooled (Tm 1500 K), counts and the 1551 errors
  const trainIdx = Array.from({ length: data.n }, (_, i) => i).filter((i) => !test.includes(i));
  const pe = evaluatePhases(ens, data, test, trainIdx, { meltingPoint: 1500 });
  const count = (ph: string) =>
    test.filter((s) => phaseOf(data.structure[s], data.labels!.temperature[s], 1500) === ph).length;
  for (const p of pe.phases) {
    assert.equal(p.n, count(p.name), p.name);
    assert.ok(p.pairs_1551, `${p.name}: 1551 scored`);
    assert.ok(
      p.pairs_1551!.within_tolerance >= 0.9,
      `${p.name}: ${p.pairs_1551!.within_tolerance} within ±0.05`,
    );
    assert.ok(p.mse.local_order < p.baseline_mse.local_order, p.name);
  }
  assert.deepEqual(
    pe.phases.map((p) => p.name),
    ['crystal', 'liquid', 'undercooled'],
  );
  assert.equal(pe.phases.find((p) => p.name === 'crystal')!.pairs_1551!.mean_true, 0);
  assert.ok(formatPhases(pe).some((l) => /undercooled .*T 10\d\d–14\d\d K/.test(l)));
  assert.equal(phaseOf('liquid', 1400, null), 'liquid');
  assert.equal(phaseOf('other', 1400, 1500), 'other');

  // σ calibration: a term per local-order column, applied to local_order's σ like the other heads
  const { fitCalibration } = await import('../../src/nn/calibration.js');
  const cal = fitCalibration(ens, data, trainIdx.slice(0, 60), 'other dataset');
  for (const c of LOCAL_ORDER_COLUMNS) assert.ok(cal.terms[c], `term for ${c}`);
  const t = cal.terms.pairs_1551!;
  const s0 = test[0];
  const chi0 = data.chi.subarray(s0 * data.k.length, (s0 + 1) * data.k.length);
  const bare = predictChi(ens, data.k, chi0).local_order!.pairs_1551;
  const calibrated = predictChi({ ...ens, calibration: cal }, data.k, chi0).local_order!.pairs_1551;
  assert.equal(calibrated.mean, bare.mean);
  assert.ok(
    Math.abs(calibrated.std - Math.sqrt((t.scale * bare.std) ** 2 + t.floor ** 2 + t.model_form ** 2)) <
      1e-12,
  );

  const withoutDir = join(dir, 'without');
  await trainToDir(data, { ...opts(false), epochs: 2 }, withoutDir);
  const old = loadEnsemble(withoutDir);
  const p = predictChi(old, data.k, data.chi.subarray(0, data.k.length));
  assert.equal(p.local_order, null);
  assert.deepEqual(Object.keys(p.heads), []);
});
