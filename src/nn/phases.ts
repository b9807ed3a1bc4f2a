/**
 * Test-set scoring per phase: crystal (fcc, hcp, bcc, diamond), liquid (a liquid at or above the
 * potential's melting point Tm) and undercooled (a liquid below Tm), as the seed's question about
 * melts asks. Per phase: the MSE of every head against the training-mean baseline and, for models
 * with the local-order head, the error of the predicted 1551 share (and of the icosahedral atom
 * fraction) against the configuration's truth: mean |error|, the largest, and the share of samples
 * within ±tolerance (0.05 by default, the issue's target).
 */
import { UserError } from '../util/errors.js';
import { buildInputs, buildTargets } from './data.js';
import { combine, memberOutputs, headSlices, type Ensemble, type EnsemblePrediction } from './predict.js';
import { LOCAL_ORDER_HEAD, type TrainingData } from './types.js';

export const PHASES = ['crystal', 'liquid', 'undercooled', 'other'] as const;
export type Phase = (typeof PHASES)[number];

const CRYSTALS = new Set(['fcc', 'hcp', 'bcc', 'diamond']);

/**
 * The phase of a sample from its structure label (after the dataset's fingerprint verdict) and
 * temperature: a liquid below `meltingPoint` is undercooled; without a melting point every liquid is
 * "liquid".
 */
export function phaseOf(structure: string, temperature: number, meltingPoint: number | null): Phase {
  if (CRYSTALS.has(structure)) return 'crystal';
  if (structure === 'liquid')
    return meltingPoint !== null && temperature < meltingPoint ? 'undercooled' : 'liquid';
  return 'other';
}

/** Error of one predicted fraction against the truth over a set of samples. */
export interface FractionError {
  n: number;
  /** mean of the true values */
  mean_true: number;
  /** mean of the predicted values */
  mean_pred: number;
  /** mean |predicted − true| */
  mae: number;
  /** largest |predicted − true| */
  max_abs: number;
  /** share of samples with |predicted − true| ≤ tolerance */
  within_tolerance: number;
  /** share of samples with |predicted − true| ≤ the predicted σ */
  within_1sigma: number;
}

export interface PhaseScore {
  name: Phase;
  n: number;
  /** temperature range of the phase's samples [K] */
  temperature: [number, number];
  mse: Record<string, number>;
  baseline_mse: Record<string, number>;
  /** local-order errors; null when the model has no local-order head */
  pairs_1551: FractionError | null;
  cna_ico: FractionError | null;
}

export interface PhaseEvaluation {
  /** Tm used to separate liquid from undercooled [K]; null: not separated */
  melting_point: number | null;
  /** |error| tolerance of within_tolerance */
  tolerance: number;
  phases: PhaseScore[];
}

class Fraction {
  n = 0;
  sumTrue = 0;
  sumPred = 0;
  sumAbs = 0;
  max = 0;
  inTol = 0;
  inSigma = 0;
  add(pred: number, std: number, truth: number, tol: number): void {
    const e = Math.abs(pred - truth);
    this.n++;
    this.sumTrue += truth;
    this.sumPred += pred;
    this.sumAbs += e;
    if (e > this.max) this.max = e;
    if (e <= tol) this.inTol++;
    if (e <= std) this.inSigma++;
  }
  result(): FractionError {
    const d = Math.max(1, this.n);
    return {
      n: this.n,
      mean_true: this.sumTrue / d,
      mean_pred: this.sumPred / d,
      mae: this.sumAbs / d,
      max_abs: this.max,
      within_tolerance: this.inTol / d,
      within_1sigma: this.inSigma / d,
    };
  }
}

/**
 * Score an ensemble per phase on the samples testIdx (baseline: the mean of trainIdx). Needs
 * the dataset's temperatures (TrainingData.labels.temperature) to find undercooled liquids.
 */
export function evaluatePhases(
  ens: Ensemble,
  d: TrainingData,
  testIdx: ArrayLike<number>,
  trainIdx: ArrayLike<number>,
  opts: { meltingPoint?: number | null; tolerance?: number; predictions?: EnsemblePrediction[] } = {},
): PhaseEvaluation {
  const tm = opts.meltingPoint ?? null;
  const tol = opts.tolerance ?? 0.05;
  const temperature = d.labels?.temperature;
  if (tm !== null && !temperature)
    throw new UserError('the dataset has no /meta/temperature: liquid and undercooled cannot be separated');
  const nTest = testIdx.length;
  if (nTest === 0) throw new UserError('the test set is empty');
  const heads = ens.arch.heads;
  const sl = headSlices(ens.arch);
  const y = buildTargets(d, heads);
  const nOut = y.length / d.n;
  let preds = opts.predictions;
  if (!preds) {
    const nIn = ens.arch.nIn;
    const xall = buildInputs(d, ens.k, ens.kweight);
    const x0 = new Float32Array(nTest * nIn);
    for (let t = 0; t < nTest; t++) x0.set(xall.subarray(testIdx[t] * nIn, (testIdx[t] + 1) * nIn), t * nIn);
    const outs = memberOutputs(ens, x0, nTest);
    preds = Array.from({ length: nTest }, (_, t) => combine(ens, outs, t));
  }
  const base = new Float64Array(nOut);
  for (let t = 0; t < trainIdx.length; t++)
    for (let j = 0; j < nOut; j++) base[j] += y[trainIdx[t] * nOut + j];
  for (let j = 0; j < nOut; j++) base[j] /= Math.max(1, trainIdx.length);
  const lo = heads.find((h) => h.name === LOCAL_ORDER_HEAD);
  const col = (c: string) => (lo?.columns ? sl[LOCAL_ORDER_HEAD][0] + lo.columns.indexOf(c) : -1);
  const c1551 = col('pairs_1551');
  const cIco = col('cna_ico');
  const acc = new Map<
    Phase,
    {
      n: number;
      tmin: number;
      tmax: number;
      se: number[];
      bse: number[];
      cols: number[];
      f1551: Fraction;
      fIco: Fraction;
    }
  >();
  for (let t = 0; t < nTest; t++) {
    const s = testIdx[t];
    const T = temperature ? temperature[s] : NaN;
    const ph = phaseOf(d.structure[s] ?? 'other', T, tm);
    let a = acc.get(ph);
    if (!a) {
      a = {
        n: 0,
        tmin: Infinity,
        tmax: -Infinity,
        se: heads.map(() => 0),
        bse: heads.map(() => 0),
        cols: heads.map(() => 0),
        f1551: new Fraction(),
        fIco: new Fraction(),
      };
      acc.set(ph, a);
    }
    a.n++;
    if (T < a.tmin) a.tmin = T;
    if (T > a.tmax) a.tmax = T;
    const p = preds[t];
    heads.forEach((h, hi) => {
      const [from, to] = sl[h.name];
      const mean =
        h.name === 'g'
          ? p.g
          : h.name === 'bad'
            ? p.bad
            : h.name === 'density'
              ? [p.density]
              : p.heads[h.name].mean;
      for (let j = from; j < to; j++) {
        const truth = y[s * nOut + j];
        a.se[hi] += (mean[j - from] - truth) ** 2;
        a.bse[hi] += (base[j] - truth) ** 2;
      }
      a.cols[hi] += to - from;
    });
    if (p.local_order && c1551 >= 0 && cIco >= 0) {
      a.f1551.add(p.local_order.pairs_1551.mean, p.local_order.pairs_1551.std, y[s * nOut + c1551], tol);
      a.fIco.add(p.local_order.atoms.ico.mean, p.local_order.atoms.ico.std, y[s * nOut + cIco], tol);
    }
  }
  const phases: PhaseScore[] = PHASES.filter((ph) => acc.has(ph)).map((ph) => {
    const a = acc.get(ph)!;
    return {
      name: ph,
      n: a.n,
      temperature: [a.tmin, a.tmax],
      mse: Object.fromEntries(heads.map((h, hi) => [h.name, a.se[hi] / a.cols[hi]])),
      baseline_mse: Object.fromEntries(heads.map((h, hi) => [h.name, a.bse[hi] / a.cols[hi]])),
      pairs_1551: a.f1551.n ? a.f1551.result() : null,
      cna_ico: a.fIco.n ? a.fIco.result() : null,
    };
  });
  return { melting_point: tm, tolerance: tol, phases };
}

/** Text lines of a phase evaluation (for `evaluate`'s summary). */
export function formatPhases(pe: PhaseEvaluation): string[] {
  const out = [
    `  per phase (crystal; liquid ${pe.melting_point !== null ? `T ≥ Tm = ${pe.melting_point} K; undercooled: liquid below Tm` : 'at any T — no melting point given, so undercooled is not separated'}):`,
  ];
  const pc = (x: number) => `${(100 * x).toFixed(1)} %`;
  for (const p of pe.phases) {
    out.push(
      `    ${p.name.padEnd(11)} n=${String(p.n).padEnd(5)} T ${p.temperature[0].toFixed(0)}–${p.temperature[1].toFixed(0)} K: ` +
        Object.entries(p.mse)
          .map(([k, v]) => `${k} ${v.toExponential(2)}`)
          .join(', '),
    );
    if (p.pairs_1551)
      out.push(
        `      1551 share: truth ${pc(p.pairs_1551.mean_true)}, predicted ${pc(p.pairs_1551.mean_pred)}, |error| mean ${p.pairs_1551.mae.toFixed(4)}, ` +
          `max ${p.pairs_1551.max_abs.toFixed(4)}; within ±${pe.tolerance}: ${pc(p.pairs_1551.within_tolerance)}; within ±1σ: ${pc(p.pairs_1551.within_1sigma)}`,
      );
    if (p.cna_ico)
      out.push(
        `      icosahedral atoms: truth ${pc(p.cna_ico.mean_true)}, predicted ${pc(p.cna_ico.mean_pred)}, |error| mean ${p.cna_ico.mae.toFixed(4)}, max ${p.cna_ico.max_abs.toFixed(4)}`,
      );
  }
  return out;
}
