/**
 * Fitting the uncertainty calibration (src/nn/uncertainty.ts) on held-out spectra, and measuring
 * coverage: the share of truths inside ±1σ and ±2σ, per head (g(r), N(θ), ρ) and per derived
 * number (R1, CN of the first shell, both from src/analysis/firstShell.ts applied to the true g(r)
 * on the model's grid with the true ρ — the same function predict applies to the prediction).
 *
 * The fit: per quantity, σ = √((a·σ_ens)² + b² + m²) with the measured model-form term m fixed;
 * (a, b) on a grid (a in 1 % steps over 0.2–50, b from 0 and the 1 %…99 % quantiles of |error|)
 * minimising (c₁ − 0.683)² + 4·(c₂ − 0.954)² (the Gaussian shares inside ±1σ and ±2σ) plus the
 * squared distance outside the windows 60–75 % (× 10) and 90–97 % (× 100, its lower end raised by
 * two standard errors of the share on n values) (coverageLoss), plus half the squared distance to
 * the Gaussian shares within the values below and above the median spread; ties go to the smaller σ.
 * Two parameters because the errors of a network ensemble are heavier-tailed than a Gaussian: a
 * pure scale that gets ±1σ right leaves ±2σ short; the floor covers the errors the members share.
 * The N(θ) peak positions (bad_peak) are matched to the true N(θ)'s peaks (nearest within
 * PEAK_MATCH_DEG, src/nn/anglePeaks.ts).
 *
 * S0²: held-out spectra are theory with the dataset's own S0² (1), so on them every truth of the
 * S0² head would be the same number, inside the range it was trained on — a test of one point, not
 * of the head — and every other quantity would be measured on an amplitude no measured spectrum has
 * (the shipped heads read 0.76–0.87 on the LISA foils). For a model trained with S0² augmentation
 * the held-out χ is therefore scaled by S0² drawn uniformly from the training range (seeded by
 * S02_DRAW_SEED and the sample index, so a sample gets the same draw in calibrate and evaluate):
 * the S0² head's truth is dataset S0² × draw, the structure's truths are unchanged. Scaled spectra
 * are in-distribution for such a model (it was trained on them); measured on 360–384 held-out ZJW
 * spectra per element, the shipped Co model's R1 RMS error is 0.030 Å at S0² = 1 but 0.035 Å at 0.8
 * (docs/nn.md, "S0² in the calibration"), so σ calibrated at S0² = 1 alone is short on real spectra.
 */
import { firstShell } from '../analysis/firstShell.js';
import { buildInputs, buildTargets, datasetS02, S02_HEAD } from './data.js';
import { Rng } from '../util/rng.js';
import { combine } from './combine.js';
import { matchPeak, thetaPeakPositions } from './anglePeaks.js';
import { headSlices, memberOutputs, type Ensemble } from './predict.js';
import { LOCAL_ORDER_HEAD, LOCAL_ORDER_COLUMNS, type TrainingData } from './types.js';
import type { LocalOrderColumn } from '../analysis/localOrderColumns.js';
import {
  CALIBRATED,
  calibratedSigma,
  termAt,
  type Calibration,
  type CalibratedQuantity,
  type CalibrationTerm,
  type Coverage,
  type ModelFormTerm,
} from './uncertainty.js';

/** Prediction errors (mean − truth), bare ensemble spreads and predictions of every quantity over some samples. */
export type HeldOutErrors = Record<
  CalibratedQuantity,
  {
    err: Float64Array;
    spread: Float64Array;
    /** the predicted values ŷ (σ's proportional term); absent for g and N(θ) */
    pred?: Float64Array;
    /** grid position (r or θ) of g and N(θ) values */
    x?: Float64Array;
  }
>;

/**
 * The quantities whose σ gets a term proportional to the predicted value, c·|ŷ| (fitted with scale
 * and floor; c = 0 is on the grid): the local-order shares. Their errors grow with the share and
 * the members' spread does not follow: on the Ni held-out set (ZJW, 2026-12-05) |Δ1551| ≈ 0.004 in
 * crystals (share ≈ 0) and ≈ 0.03 in melts (0.1–0.2), so one (scale, floor) set by the crystals,
 * which dominate the calibration data, covered 35 % of liquids and 17 % of undercooled melts inside
 * ±1σ and 99 % of crystals (docs/nn.md, "Uncertainty"). Not for R1, CN, ρ, S0²: fitted the same
 * way on that set their c came out 0 (R1, CN, ρ) or made the coverage worse (S0²: 0.026).
 */
export const PROPORTIONAL: ReadonlySet<CalibratedQuantity> = new Set(LOCAL_ORDER_COLUMNS);

/**
 * Weight of the groups below / above the mean |ŷ| in fitTerm's loss. Measured on the Ni held-out
 * set (calibrated on its even half with the joint model-form fit, scored on the odd half): 1551
 * share of liquids / undercooled melts inside ±1σ/±2σ 52/92 % and 44/89 % with ½ (the spread
 * halves' weight), 63/94 % and 50/94 % with 2; crystals 79/100 → 76/100 %.
 */
const PROP_GROUP_WEIGHT = 2;

/** Number of grid bands with their own calibration terms for g(r) and N(θ). */
const BANDS = 6;

const MAX_POINTS = 60000;
const TARGET: Coverage = [0.6827, 0.9545];
const WINDOW: [[number, number], [number, number]] = [
  [0.6, 0.75],
  [0.9, 0.97],
];

/** Seed of the S0² draws that scale the held-out spectra of the S0² head (fixed: reproducible). */
export const S02_DRAW_SEED = 0x5022;

/** How the S0² head's held-out spectra are scaled: uniform draws in `range` from `seed`. */
export interface S02Draws {
  range: [number, number];
  seed: number;
}

/**
 * The S0² draws for a model: its training augmentation range (model.json
 * training.augmentation.s02) with S02_DRAW_SEED; null for a model without an S0² head or range.
 */
export function s02DrawsOf(ens: Pick<Ensemble, 'arch' | 'meta'>): S02Draws | null {
  if (!ens.arch.heads.some((h) => h.name === S02_HEAD)) return null;
  const aug = (ens.meta?.training as { augmentation?: { s02?: unknown } } | undefined)?.augmentation;
  const r = aug?.s02;
  if (!Array.isArray(r) || r.length !== 2 || !(r[0] > 0) || !(r[1] >= r[0])) return null;
  return { range: [Number(r[0]), Number(r[1])], seed: S02_DRAW_SEED };
}

/** The S0² factor of sample s (the same for that sample whatever else is drawn). */
export function s02Factor(draws: S02Draws, s: number): number {
  return new Rng(Rng.derive(draws.seed, s)).range(draws.range[0], draws.range[1]);
}

/**
 * Errors and spreads of the ensemble on the samples idx of d (g(r), N(θ) thinned to ≤ 60000 values),
 * each χ scaled by its `s02` draw (default: s02DrawsOf(ens); null: unscaled, S0² truth = the
 * dataset's S0²).
 */
export function heldOutErrors(
  ens: Ensemble,
  d: TrainingData,
  idx: ArrayLike<number>,
  opts: { s02?: S02Draws | null } = {},
): HeldOutErrors {
  const n = idx.length;
  const nIn = ens.arch.nIn;
  const x0all = buildInputs(d, ens.k, ens.kweight);
  const yall = buildTargets(d, ens.arch.heads);
  const nOut = yall.length / d.n;
  const x0 = new Float32Array(n * nIn);
  // S0²: χ of sample s times its draw (the input k^w·χ is linear in χ), the S0² truth likewise
  const draws = opts.s02 === undefined ? s02DrawsOf(ens) : opts.s02;
  const s02Base = datasetS02(d);
  const s02Truth = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const f = draws ? s02Factor(draws, idx[t]) : 1;
    s02Truth[t] = s02Base * f;
    const row = x0all.subarray(idx[t] * nIn, (idx[t] + 1) * nIn);
    for (let j = 0; j < nIn; j++) x0[t * nIn + j] = f * row[j];
  }
  // in blocks, so a large calibration set never holds every member's output at once
  const bare = { ...ens, calibration: null };
  const sl = headSlices(ens.arch);
  const nr = ens.r.length;
  const nth = ens.theta.length;
  const strideG = Math.max(1, Math.ceil((n * nr) / MAX_POINTS));
  const strideB = Math.max(1, Math.ceil((n * nth) / MAX_POINTS));
  type Acc = { err: number[]; spread: number[]; pred: number[] };
  const acc: Record<CalibratedQuantity, Acc> = {
    g: { err: [], spread: [], pred: [] },
    bad: { err: [], spread: [], pred: [] },
    density: { err: [], spread: [], pred: [] },
    r1: { err: [], spread: [], pred: [] },
    cn: { err: [], spread: [], pred: [] },
    bad_peak: { err: [], spread: [], pred: [] },
    s02: { err: [], spread: [], pred: [] },
    ...(Object.fromEntries(LOCAL_ORDER_COLUMNS.map((c) => [c, { err: [], spread: [], pred: [] } as Acc])) as Record<
      LocalOrderColumn,
      Acc
    >),
  };
  // the local-order head (when the model has it): each column a quantity of its own
  const lo = sl[LOCAL_ORDER_HEAD];
  const loCols = ens.arch.heads.find((h) => h.name === LOCAL_ORDER_HEAD)?.columns ?? [];
  let cg = 0;
  let cb = 0;
  const xg: number[] = [];
  const xb: number[] = [];
  const BLOCK = 256;
  for (let from = 0; from < n; from += BLOCK) {
    const m = Math.min(BLOCK, n - from);
    const outs = memberOutputs(ens, x0.subarray(from * nIn, (from + m) * nIn), m);
    for (let t = 0; t < m; t++) {
      const s = idx[from + t];
      const p = combine(bare, outs, t);
      const y = yall.subarray(s * nOut, (s + 1) * nOut);
      for (let j = 0; j < nr; j++, cg++)
        if (cg % strideG === 0) {
          acc.g.err.push(p.g[j] - y[sl.g[0] + j]);
          acc.g.spread.push(p.spread.g[j]);
          xg.push(ens.r[j]);
        }
      for (let j = 0; j < nth; j++, cb++)
        if (cb % strideB === 0) {
          acc.bad.err.push(p.bad[j] - y[sl.bad[0] + j]);
          acc.bad.spread.push(p.spread.bad[j]);
          xb.push(ens.theta[j]);
        }
      // N(θ) peak positions: each predicted peak against the true N(θ)'s nearest peak within ±10°
      // (a spurious predicted peak, with no true one near, has no error to calibrate: left out)
      if (p.bad_peaks.length > 0) {
        const truePeaks = thetaPeakPositions(ens.theta, y.subarray(sl.bad[0], sl.bad[1]));
        for (const pk of p.bad_peaks) {
          const tp = matchPeak(pk.theta, truePeaks);
          if (!Number.isFinite(tp) || !Number.isFinite(pk.spread)) continue;
          acc.bad_peak.err.push(pk.theta - tp);
          acc.bad_peak.spread.push(pk.spread);
          acc.bad_peak.pred.push(pk.theta);
        }
      }
      if (p.heads[S02_HEAD]) {
        acc.s02.err.push(p.heads[S02_HEAD].mean[0] - s02Truth[from + t]);
        acc.s02.spread.push(p.heads[S02_HEAD].std[0]);
        acc.s02.pred.push(p.heads[S02_HEAD].mean[0]);
      }
      if (lo && p.heads[LOCAL_ORDER_HEAD])
        loCols.forEach((c, j) => {
          const q = acc[c as LocalOrderColumn];
          if (!q) return;
          q.err.push(p.heads[LOCAL_ORDER_HEAD].mean[j] - y[lo[0] + j]);
          q.spread.push(p.heads[LOCAL_ORDER_HEAD].std[j]);
          q.pred.push(p.heads[LOCAL_ORDER_HEAD].mean[j]);
        });
      if (sl.density && Number.isFinite(p.density)) {
        acc.density.err.push(p.density - d.density[s]);
        acc.density.spread.push(p.spread.density);
        acc.density.pred.push(p.density);
        let truth: ReturnType<typeof firstShell> | null;
        try {
          truth = firstShell(ens.r, d.gr.subarray(s * nr, (s + 1) * nr), { density: d.density[s] });
        } catch {
          truth = null;
        }
        const fs = p.first_shell;
        if (truth && Number.isFinite(fs.r) && Number.isFinite(fs.cn)) {
          acc.r1.err.push(fs.r - truth.r1);
          acc.r1.spread.push(p.spread.r1);
          acc.r1.pred.push(fs.r);
          acc.cn.err.push(fs.cn - truth.cn);
          acc.cn.spread.push(p.spread.cn);
          acc.cn.pred.push(fs.cn);
        }
      }
    }
  }
  const out = {} as HeldOutErrors;
  for (const q of CALIBRATED) {
    out[q] = { err: Float64Array.from(acc[q].err), spread: Float64Array.from(acc[q].spread) };
    if (q !== 'g' && q !== 'bad') out[q].pred = Float64Array.from(acc[q].pred);
  }
  out.g.x = Float64Array.from(xg);
  out.bad.x = Float64Array.from(xb);
  return out;
}

/** Share of |err| inside ±1σ and ±2σ with σ from the term (the bare spread without one; ŷ from e.pred, else 0). */
export function coverage(
  e: { err: Float64Array; spread: Float64Array; pred?: Float64Array },
  term?: CalibrationTerm | ((i: number) => CalibrationTerm | undefined),
): Coverage {
  const n = e.err.length;
  if (n === 0) return [NaN, NaN];
  let c1 = 0;
  let c2 = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(e.err[i]);
    const s = calibratedSigma(typeof term === 'function' ? term(i) : term, e.spread[i], e.pred ? e.pred[i] : 0);
    if (a <= s) c1++;
    if (a <= 2 * s) c2++;
  }
  return [c1 / n, c2 / n];
}

/**
 * How far coverages (c₁, c₂) of n values are from the target: the squared distance to the Gaussian
 * shares (±2σ's counted 4 ×), plus the squared distance outside the acceptance windows — 100 × for
 * ±2σ, 10 × for ±1σ. A network's heavy-tailed errors often cannot meet both; then ±2σ (what a reader
 * uses as an error bar) wins and ±1σ goes above 75 %. The ±2σ window's lower end is raised by two
 * standard errors of a share measured on n values (2·√(0.95·0.05/n): +3.9 % for 113 spectra), so
 * that a fit on a small calibration split still covers 90 % of independent spectra (shipped Cu R1:
 * 93.8 % on its 113-spectrum calibration split but 87.2 % on the test split with one standard error).
 */
export function coverageLoss(c1: number, c2: number, n = Infinity): number {
  const out = (c: number, lo: number, hi: number) => (c < lo ? lo - c : c > hi ? c - hi : 0);
  const lo2 = WINDOW[1][0] + 2 * Math.sqrt((TARGET[1] * (1 - TARGET[1])) / n);
  return (
    (c1 - TARGET[0]) ** 2 +
    4 * (c2 - TARGET[1]) ** 2 +
    10 * out(c1, WINDOW[0][0], WINDOW[0][1]) ** 2 +
    100 * out(c2, Math.min(lo2, TARGET[1]), WINDOW[1][1]) ** 2
  );
}

/** Number of sorted values ≤ v. */
function countAtMost(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fit scale and floor of one quantity (model-form term m fixed), and with `proportional` (and
 * e.pred) the term c·|ŷ| too. Values with a non-finite error, spread or prediction are left out. For
 * each floor b (0 and the 1 %…99 % quantiles of |error|) and each c (0 and 40 log steps over
 * 0.005–2; only 0 without `proportional`) the coverage at every scale a follows from each value's
 * critical a² = (e²/k² − b² − c²ŷ² − m²)/s² (|e| ≤ kσ ⇔ a² ≥ that), sorted once, so a fine grid of
 * a (1 % steps over 0.2–50) costs a binary search per point. The loss: coverageLoss of the pooled
 * shares plus the squared distance to the Gaussian shares within each group of a partition, × ½
 * for the values below / above the median spread, and with `proportional` × PROP_GROUP_WEIGHT for
 * those below / above the mean |ŷ| (the mean, not the median: a few large values, the melts among
 * many crystals, form the upper group), so that c is what makes σ right for large and small values alike.
 */
export function fitTerm(
  e: { err: Float64Array; spread: Float64Array; pred?: Float64Array },
  modelForm = 0,
  opts: { proportional?: boolean } = {},
): CalibrationTerm {
  const prop = !!opts.proportional && !!e.pred;
  const keep: number[] = [];
  for (let i = 0; i < e.err.length; i++)
    if (Number.isFinite(e.err[i]) && Number.isFinite(e.spread[i]) && (!prop || Number.isFinite(e.pred![i])))
      keep.push(i);
  const n = keep.length;
  if (n === 0) return { scale: 1, floor: 0, model_form: modelForm };
  const err = Float64Array.from(keep, (i) => e.err[i]);
  const spread = Float64Array.from(keep, (i) => Math.abs(e.spread[i]));
  const val = prop ? Float64Array.from(keep, (i) => Math.abs(e.pred![i])) : new Float64Array(n);
  const absErr = Float64Array.from(err, Math.abs).sort();
  const floors = [0];
  for (let p = 1; p <= 99; p++) {
    const v = absErr[Math.min(n - 1, Math.floor((p / 100) * n))];
    if (v > floors[floors.length - 1]) floors.push(v);
  }
  const scales: number[] = [];
  for (let i = 0; i <= 555; i++) scales.push(0.2 * Math.pow(250, i / 555));
  const props = [0];
  if (prop) for (let i = 0; i <= 40; i++) props.push(0.005 * Math.pow(400, i / 40));
  // partitions of the values into two groups each: σ must be right in both, not only pooled (scale
  // and floor trade off — a large floor with a small scale can give the pooled shares yet cover the
  // small-spread values too much and the large-spread ones too little; likewise floor and c·|ŷ|)
  const median = Float64Array.from(spread).sort()[n >> 1];
  const partitions: Uint8Array[] = [Uint8Array.from(spread, (s) => (s < median ? 0 : 1))];
  if (prop) {
    let mean = 0;
    for (const v of val) mean += v / n;
    const upper = Uint8Array.from(val, (v) => (v > mean ? 1 : 0));
    const nUp = upper.reduce((a, b) => a + b, 0);
    if (nUp > 0 && nUp < n) partitions.push(upper);
  }
  const groups = partitions.map((part) => {
    const n1 = part.reduce((a, b) => a + b, 0);
    return [n - n1, n1].map((m) => ({ crit1: new Float64Array(m), crit2: new Float64Array(m) }));
  });
  let best: { term: CalibrationTerm; loss: number; size: number } | null = null;
  for (const c of props)
    for (const b of floors) {
      const r = b * b + modelForm * modelForm;
      partitions.forEach((part, pi) => {
        const fill = [0, 0];
        for (let i = 0; i < n; i++) {
          const e2 = err[i] * err[i];
          const s2 = spread[i] * spread[i];
          const rc = r + c * c * val[i] * val[i];
          const hv = groups[pi][part[i]];
          const j = fill[part[i]]++;
          const v1 = e2 - rc;
          const v2 = e2 / 4 - rc;
          hv.crit1[j] = v1 <= 0 ? -Infinity : s2 > 0 ? v1 / s2 : Infinity;
          hv.crit2[j] = v2 <= 0 ? -Infinity : s2 > 0 ? v2 / s2 : Infinity;
        }
        for (const hv of groups[pi]) {
          hv.crit1.sort();
          hv.crit2.sort();
        }
      });
      for (const a of scales) {
        let loss = 0;
        groups.forEach((gs, pi) => {
          const k = gs.map((hv) => [countAtMost(hv.crit1, a * a), countAtMost(hv.crit2, a * a)]);
          if (pi === 0) loss += coverageLoss((k[0][0] + k[1][0]) / n, (k[0][1] + k[1][1]) / n, n);
          for (let h = 0; h < 2; h++) {
            const m = gs[h].crit1.length;
            if (m > 0) loss += (pi === 0 ? 0.5 : PROP_GROUP_WEIGHT) * ((k[h][0] / m - TARGET[0]) ** 2 + (k[h][1] / m - TARGET[1]) ** 2);
          }
        });
        const size = a * a + b * b + c * c;
        if (!best || loss < best.loss - 1e-12 || (Math.abs(loss - best.loss) <= 1e-12 && size < best.size))
          best = {
            term: c > 0 ? { scale: a, floor: b, model_form: modelForm, proportional: c } : { scale: a, floor: b, model_form: modelForm },
            loss,
            size,
          };
      }
    }
  return best!.term;
}

/** Edges of BANDS equal bands over a grid, or null for a grid too short. */
function bandEdges(grid: ArrayLike<number>): number[] | null {
  if (grid.length < BANDS) return null;
  const lo = grid[0];
  const w = (grid[grid.length - 1] - lo) / BANDS;
  return Array.from({ length: BANDS + 1 }, (_, i) => lo + i * w);
}

/** Indices of the values whose grid position x lies in band b (the end bands take what lies beyond). */
function inBand(x: Float64Array, edges: number[], b: number): number[] {
  const sel: number[] = [];
  for (let i = 0; i < x.length; i++)
    if ((b === 0 || x[i] >= edges[b]) && (b === BANDS - 1 || x[i] < edges[b + 1])) sel.push(i);
  return sel;
}

function rmsOf(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return a.length ? Math.sqrt(s / a.length) : NaN;
}

/**
 * The model-form term: the ensemble's errors on spectra made with another theory or potential
 * (a dataset whose truths are known), beyond its errors on the calibration data (same theory).
 * `errs`: those errors when already computed (heldOutErrors on every sample of `other`).
 */
export function measureModelForm(
  ens: Ensemble,
  other: TrainingData,
  inTheory: HeldOutErrors,
  provenance: string,
  errs: HeldOutErrors = heldOutErrors(ens, other, Int32Array.from({ length: other.n }, (_, i) => i)),
): ModelFormTerm {
  const mf: ModelFormTerm = {
    provenance,
    dataset: { ...(other.identity ?? {}) },
    n: other.n,
    offset: {},
    rms: {},
    rms_in: {},
    term: {},
  };
  for (const q of CALIBRATED) {
    const e = errs[q].err;
    if (e.length === 0 || inTheory[q].err.length === 0) continue;
    let m = 0;
    for (const v of e) m += v;
    mf.offset[q] = m / e.length;
    mf.rms[q] = rmsOf(e);
    mf.rms_in[q] = rmsOf(inTheory[q].err);
    mf.term[q] = Math.sqrt(Math.max(0, mf.rms[q]! ** 2 - mf.rms_in[q]! ** 2));
  }
  mf.band_terms = {};
  for (const [q, grid] of [
    ['g', ens.r],
    ['bad', ens.theta],
  ] as const) {
    const edges = bandEdges(grid);
    const a = errs[q];
    const b = inTheory[q];
    if (!edges || !a.x || !b.x) continue;
    mf.band_terms[q] = Array.from({ length: BANDS }, (_, k) => {
      const ra = rmsOf(Float64Array.from(inBand(a.x!, edges, k), (i) => a.err[i]));
      const rb = rmsOf(Float64Array.from(inBand(b.x!, edges, k), (i) => b.err[i]));
      return Number.isFinite(ra) && Number.isFinite(rb) ? Math.sqrt(Math.max(0, ra * ra - rb * rb)) : (mf.term[q] ?? 0);
    });
  }
  return mf;
}

/** The values of two error sets one after the other (grid positions too). */
function concatErrors(a: HeldOutErrors, b: HeldOutErrors): HeldOutErrors {
  const cat = (u: Float64Array, v: Float64Array) => {
    const w = new Float64Array(u.length + v.length);
    w.set(u);
    w.set(v, u.length);
    return w;
  };
  const out = {} as HeldOutErrors;
  for (const q of CALIBRATED) {
    out[q] = { err: cat(a[q].err, b[q].err), spread: cat(a[q].spread, b[q].spread) };
    if (a[q].x && b[q].x) out[q].x = cat(a[q].x!, b[q].x!);
    if (a[q].pred && b[q].pred) out[q].pred = cat(a[q].pred!, b[q].pred!);
  }
  return out;
}

/**
 * How the model-form spectra enter σ: 'additive' — the measured term √max(0, RMS²_other − RMS²_in)
 * is added in quadrature to every σ, then scale and floor are fitted on the calibration data;
 * 'joint' — scale and floor are fitted on the calibration data and the model-form spectra together
 * (model_form = 0 in the terms; the RMS record is kept), so σ covers truths from either source and
 * the change of potential is carried where the members disagree. Measured on the shipped Cu model
 * (docs/nn.md, "Model-form term: additive or joint"): the pooled additive term comes from the
 * liquids (R1 0.029 Å; 0 for fcc) and leaves fcc R1 at 88–90 % inside ±1σ, liquids at 35–41 %.
 */
export type ModelFormFit = 'additive' | 'joint';

/**
 * The calibration of an ensemble from held-out samples idx of d. With `modelForm` (a dataset made
 * with another potential or theory, and what it is) the model-form term is measured and either
 * enters every σ in quadrature before scale and floor are fitted (fit 'additive', the default) or
 * its spectra join the calibration data ('joint').
 */
export function fitCalibration(
  ens: Ensemble,
  d: TrainingData,
  idx: ArrayLike<number>,
  source: Calibration['data']['source'],
  opts: {
    modelForm?: { data: TrainingData; provenance: string; fit?: ModelFormFit } | null;
    recordIndices?: boolean;
  } = {},
): Calibration {
  const draws = s02DrawsOf(ens);
  const inTheory = heldOutErrors(ens, d, idx, { s02: draws });
  const joint = opts.modelForm?.fit === 'joint';
  let errs = inTheory;
  let mf: ModelFormTerm | null = null;
  if (opts.modelForm) {
    const o = opts.modelForm.data;
    const otherErrs = heldOutErrors(ens, o, Int32Array.from({ length: o.n }, (_, i) => i), { s02: draws });
    mf = measureModelForm(ens, o, inTheory, opts.modelForm.provenance, otherErrs);
    if (joint) {
      mf.fit = 'joint';
      errs = concatErrors(inTheory, otherErrs);
    }
  }
  const additive = mf && !joint ? mf : null;
  const terms: Calibration['terms'] = {};
  const bands: NonNullable<Calibration['bands']> = {};
  const before: Calibration['coverage']['before'] = {};
  const after: Calibration['coverage']['after'] = {};
  for (const q of CALIBRATED) {
    if (errs[q].err.length === 0) continue;
    const m = additive?.term[q] ?? 0;
    terms[q] = fitTerm(errs[q], m, { proportional: PROPORTIONAL.has(q) });
    before[q] = coverage(errs[q]);
    after[q] = coverage(errs[q], terms[q]);
  }
  // g(r) and N(θ): one (scale, floor) per band of the grid, equal widths
  for (const [q, grid] of [
    ['g', ens.r],
    ['bad', ens.theta],
  ] as const) {
    const e = errs[q];
    const edges = bandEdges(grid);
    if (!e.x || e.err.length === 0 || !edges) continue;
    const bt: CalibrationTerm[] = [];
    for (let b = 0; b < BANDS; b++) {
      const sel = inBand(e.x, edges, b);
      bt.push(
        sel.length >= 20
          ? fitTerm(
              { err: Float64Array.from(sel, (i) => e.err[i]), spread: Float64Array.from(sel, (i) => e.spread[i]) },
              additive?.band_terms?.[q]?.[b] ?? additive?.term[q] ?? 0,
            )
          : terms[q]!,
      );
    }
    bands[q] = { edges, terms: bt };
    const cal = { terms, bands } as Calibration;
    after[q] = coverage(e, (i) => termAt(cal, q, e.x![i]));
  }
  return {
    version: 1,
    created: new Date().toISOString(),
    data: {
      source,
      n: idx.length,
      dataset: { ...(d.identity ?? {}) },
      ...(opts.recordIndices ? { indices: Array.from(idx) } : {}),
      ...(draws && errs.s02.err.length > 0 ? { s02_draws: draws } : {}),
    },
    terms,
    bands,
    coverage: { before, after },
    model_form: mf,
  };
}
