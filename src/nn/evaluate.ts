/**
 * Test-set evaluation of an ensemble: MSE per head (physical units) and per structure class,
 * against the trivial baseline (the training-set mean), the worst samples by MSE, example
 * predictions per class with ±σ, calibration (fraction of true values inside ±zσ of the mean).
 */
import { UserError } from '../util/errors.js';
import { buildInputs, buildTargets } from './data.js';
import { firstShell } from '../analysis/firstShell.js';
import { coverage, heldOutErrors } from './calibration.js';
import { CALIBRATED, termAt, type CalibratedQuantity, type Coverage } from './uncertainty.js';
import {
  combine,
  memberOutputs,
  headSlices,
  type Ensemble,
  type EnsemblePrediction,
} from './predict.js';
import type { TrainingData } from './types.js';

export interface HeadMetrics {
  name: string;
  mse: number;
  baseline_mse: number;
}

export interface Evaluation {
  n_test: number;
  heads: HeadMetrics[];
  classes: { name: string; n: number; mse: Record<string, number>; baseline_mse: Record<string, number> }[];
  /** worst test samples by g(r) MSE, descending (up to 200) */
  worst: { index: number; structure: string; mse_g: number; mse_bad: number }[];
  calibration: { head: string; z: number[]; expected: number[]; observed: number[] }[];
  /**
   * first shell (src/analysis/firstShell.ts on the prediction and on the true g(r) of the model grid
   * with the true ρ): mean absolute errors, and the samples where either has no shell
   */
  first_shell: { cn_mae: number; r_mae: number; cn_within_1sigma: number; n: number; no_shell: number };
  /**
   * share of truths inside ±1σ and ±2σ per head and derived number: with the bare ensemble spread
   * (before) and with the model's calibrated σ (after; null for a model without calibration)
   */
  coverage: { quantity: CalibratedQuantity; n: number; before: Coverage; after: Coverage | null }[];
  /** test samples left out because the calibration used them (calibrate on half the test split) */
  test_used_by_calibration: number;
  examples: {
    index: number;
    structure: string;
    pred: EnsemblePrediction;
    g_true: Float32Array;
    bad_true: Float32Array;
  }[];
}

const Z = [0.5, 1, 1.5, 2, 2.5, 3];

type HeadArrays = { mean: ArrayLike<number>; std: ArrayLike<number> };
/** Mean and σ of the base heads (g, N(θ), ρ) in output-column order; every other head is in p.heads. */
const BASE_HEAD_ARRAYS = new Map<string, (p: EnsemblePrediction) => HeadArrays>([
  ['g', (p) => ({ mean: p.g, std: p.g_std })],
  ['bad', (p) => ({ mean: p.bad, std: p.bad_std })],
  ['density', (p) => ({ mean: Float64Array.of(p.density), std: Float64Array.of(p.density_std) })],
]);
const headArrays = (p: EnsemblePrediction, h: string): HeadArrays => BASE_HEAD_ARRAYS.get(h)?.(p) ?? p.heads[h];
const erf = (x: number): number => {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
  const s = Math.sign(x);
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return s * y;
};

/** Check that a dataset matches the model's grids (r, θ exactly; k must cover). */
export function checkDatasetGrids(ens: Ensemble, d: TrainingData, source: string): void {
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    a.length === b.length &&
    Array.from(a).every((v, i) => Math.abs(v - b[i]) <= 1e-6 * Math.max(1, Math.abs(v)));
  if (!same(d.r, ens.r))
    throw new UserError(
      `${source}: /r grid (${d.r.length} points, ${d.r[0]}…${d.r[d.r.length - 1]} Å) differs from the model's (${ens.r.length} points, ${ens.r[0]}…${ens.r[ens.r.length - 1]} Å)`,
    );
  if (!same(d.theta, ens.theta))
    throw new UserError(
      `${source}: /theta grid (${d.theta.length} points) differs from the model's (${ens.theta.length} points)`,
    );
}

export function evaluateEnsemble(
  ens: Ensemble,
  d: TrainingData,
  testIdx: ArrayLike<number>,
  trainIdx: ArrayLike<number>,
  opts: { examplesPerClass?: number; worst?: number; usedByCalibration?: number } = {},
): Evaluation {
  const nTest = testIdx.length;
  if (nTest === 0) throw new UserError('the test set is empty');
  const x0all = buildInputs(d, ens.k, ens.kweight);
  const yall = buildTargets(d, ens.arch.heads);
  const nIn = ens.arch.nIn;
  const nOut = yall.length / d.n;
  const x0 = new Float32Array(nTest * nIn);
  for (let t = 0; t < nTest; t++) x0.set(x0all.subarray(testIdx[t] * nIn, (testIdx[t] + 1) * nIn), t * nIn);
  const outs = memberOutputs(ens, x0, nTest);
  const sl = headSlices(ens.arch);
  // baseline: training-set mean per column
  const base = new Float64Array(nOut);
  for (let t = 0; t < trainIdx.length; t++)
    for (let j = 0; j < nOut; j++) base[j] += yall[trainIdx[t] * nOut + j];
  for (let j = 0; j < nOut; j++) base[j] /= Math.max(1, trainIdx.length);
  const heads = ens.arch.heads.map((h) => h.name);
  const sums: Record<string, { se: number; bse: number; n: number }> = {};
  const cls: Record<string, Record<string, { se: number; bse: number; n: number }>> = {};
  const clsN: Record<string, number> = {};
  const inside: Record<string, number[]> = {};
  const counted: Record<string, number> = {};
  for (const h of heads) {
    sums[h] = { se: 0, bse: 0, n: 0 };
    inside[h] = Z.map(() => 0);
    counted[h] = 0;
  }
  const perSample: { index: number; structure: string; mse_g: number; mse_bad: number }[] = [];
  const preds: EnsemblePrediction[] = [];
  let cnErr = 0;
  let rErr = 0;
  let cnIn = 0;
  let cnN = 0;
  let noShell = 0;
  for (let t = 0; t < nTest; t++) {
    const s = testIdx[t];
    const p = combine(ens, outs, t);
    preds.push(p);
    const label = d.structure[s] ?? 'unknown';
    clsN[label] = (clsN[label] ?? 0) + 1;
    cls[label] ??= Object.fromEntries(heads.map((h) => [h, { se: 0, bse: 0, n: 0 }]));
    const mseOf: Record<string, number> = {};
    for (const h of heads) {
      const [a, b] = sl[h];
      const { mean, std } = headArrays(p, h);
      let se = 0;
      let bse = 0;
      for (let j = a; j < b; j++) {
        const truth = yall[s * nOut + j];
        const e = mean[j - a] - truth;
        se += e * e;
        const be = base[j] - truth;
        bse += be * be;
        const sd = std[j - a];
        Z.forEach((z, zi) => {
          if (Math.abs(e) <= z * sd) inside[h][zi]++;
        });
        counted[h]++;
      }
      sums[h].se += se;
      sums[h].bse += bse;
      sums[h].n += b - a;
      cls[label][h].se += se;
      cls[label][h].bse += bse;
      cls[label][h].n += b - a;
      mseOf[h] = se / (b - a);
    }
    perSample.push({ index: s, structure: label, mse_g: mseOf.g ?? NaN, mse_bad: mseOf.bad ?? NaN });
    if (sl.density) {
      let trueFs: ReturnType<typeof firstShell> | null;
      try {
        trueFs = firstShell(ens.r, d.gr.subarray(s * ens.r.length, (s + 1) * ens.r.length), {
          density: d.density[s],
        });
      } catch {
        trueFs = null;
      }
      if (trueFs && Number.isFinite(p.first_shell.cn) && Number.isFinite(p.first_shell.r)) {
        cnErr += Math.abs(p.first_shell.cn - trueFs.cn);
        rErr += Math.abs(p.first_shell.r - trueFs.r1);
        if (Math.abs(p.first_shell.cn - trueFs.cn) <= p.first_shell.cn_std) cnIn++;
        cnN++;
      } else noShell++;
    }
  }
  const worst = perSample
    .slice()
    .sort((a, b) => b.mse_g - a.mse_g)
    .slice(0, opts.worst ?? 200);
  const examples: Evaluation['examples'] = [];
  const per = opts.examplesPerClass ?? 2;
  const seen: Record<string, number> = {};
  for (let t = 0; t < nTest; t++) {
    const s = testIdx[t];
    const label = d.structure[s] ?? 'unknown';
    if ((seen[label] ?? 0) >= per) continue;
    seen[label] = (seen[label] ?? 0) + 1;
    examples.push({
      index: s,
      structure: label,
      pred: preds[t],
      g_true: d.gr.slice(s * ens.r.length, (s + 1) * ens.r.length),
      bad_true: d.bad.slice(s * ens.theta.length, (s + 1) * ens.theta.length),
    });
  }
  return {
    n_test: nTest,
    heads: heads.map((h) => ({
      name: h,
      mse: sums[h].se / sums[h].n,
      baseline_mse: sums[h].bse / sums[h].n,
    })),
    classes: Object.keys(cls)
      .sort()
      .map((c) => ({
        name: c,
        n: clsN[c],
        mse: Object.fromEntries(heads.map((h) => [h, cls[c][h].se / cls[c][h].n])),
        baseline_mse: Object.fromEntries(heads.map((h) => [h, cls[c][h].bse / cls[c][h].n])),
      })),
    worst,
    calibration: heads.map((h) => ({
      head: h,
      z: Z,
      expected: Z.map((z) => erf(z / Math.SQRT2)),
      observed: inside[h].map((c) => c / Math.max(1, counted[h])),
    })),
    first_shell: {
      cn_mae: cnErr / Math.max(1, cnN),
      r_mae: rErr / Math.max(1, cnN),
      cn_within_1sigma: cnIn / Math.max(1, cnN),
      n: cnN,
      no_shell: noShell,
    },
    coverage: (() => {
      const errs = heldOutErrors(ens, d, testIdx);
      const terms = ens.calibration?.terms;
      return CALIBRATED.filter((q) => errs[q].err.length > 0).map((q) => ({
        quantity: q,
        n: errs[q].err.length,
        before: coverage(errs[q]),
        // a calibration made before a quantity was calibrated (e.g. bad_peak) has no term for it
        after: terms && termAt(ens.calibration, q)
          ? coverage(errs[q], (i) => termAt(ens.calibration, q, errs[q].x ? errs[q].x![i] : NaN))
          : null,
      }));
    })(),
    test_used_by_calibration: opts.usedByCalibration ?? 0,
    examples,
  };
}
