/**
 * The browser-safe part of prediction (no Node APIs): head slices and the combination of member
 * outputs into mean ± σ, with the first shell (src/analysis/firstShell.ts) of every member and of
 * the mean g(r): the headline R1 and CN come from the mean g(r) and ρ, their spread from the
 * members, each through the same definition. σ is calibrated with model.json's `calibration`
 * when present (src/nn/uncertainty.ts). The browser app loads the members with
 * tf.loadLayersModel, un-scales with model.json's norm, and calls combine().
 */
import { LOCAL_ORDER_HEAD, type Architecture } from './types.js';
import type { Normalisation } from './preprocess.js';
import { firstShell, type FirstShell } from '../analysis/firstShell.js';
import { calibratedSigma, sigmaSentence, termAt, type Calibration, type CalibrationTerm } from './uncertainty.js';
import { anglePeakEstimates, type AnglePeakEstimate } from './anglePeaks.js';

/** What combine() needs of an ensemble (predict.ts's Ensemble satisfies it). */
export interface EnsembleShape {
  arch: Architecture;
  r: Float64Array;
  theta: Float64Array;
  members: { norm: Normalisation }[];
  /** model.json's calibration; absent or null: σ is the bare ensemble spread */
  calibration?: Calibration | null;
}

/** A shell's R1 and CN with σ. */
export interface ShellEstimate {
  /** R1: centroid of 4πr²ρg over the shell [Å] */
  r: number;
  r_std: number;
  /** coordination number ∫ 4πr²ρ g dr over the shell */
  cn: number;
  cn_std: number;
  /** integration limits [Å] */
  r_lower: number;
  r_upper: number;
}

/** The first shell of the prediction (the definition of src/analysis/firstShell.ts). */
export interface FirstShellEstimate extends ShellEstimate {
  /** position of the first maximum of the mean g(r) [Å] */
  peak_r: number;
  /** how the shell's upper limit was found (firstShell's rule); null when the mean g(r) has no shell */
  rule: FirstShell['rule'] | null;
  /** cutoff for N(θ) and triplets (the combined shell's end in bcc) [Å] */
  cutoff: number;
  /** bcc-like 8 + 6 shell: the combined shell; null otherwise */
  combined: ShellEstimate | null;
  /** members whose g(r) had no first shell (left out of σ) */
  members_without_shell: number;
}

export interface MemberPrediction {
  g: Float32Array;
  bad: Float32Array;
  density: number;
  /** the member's own first shell; null when its g(r) has none */
  first_shell: FirstShell | null;
  /** outputs of the heads beyond g, N(θ), ρ, by head name */
  heads: Record<string, Float32Array>;
}

/** Mean and σ (ensemble spread) of one number. */
export interface MeanStd {
  mean: number;
  std: number;
}

/**
 * Local order predicted by the `local_order` head: shares of first-shell pairs with the
 * Honeycutt–Andersen signatures 1551 / 1421 / 1422 and fractions of atoms by conventional CNA
 * (src/analysis/localOrder.ts). Each member's value is clipped to [0, 1] before mean and σ.
 */
export interface LocalOrderPrediction {
  pairs_1551: MeanStd;
  pairs_1421: MeanStd;
  pairs_1422: MeanStd;
  atoms: { fcc: MeanStd; hcp: MeanStd; bcc: MeanStd; ico: MeanStd; other: MeanStd };
}

/** A head beyond g, N(θ), ρ: per output column mean and σ of the members. */
export interface HeadPrediction {
  /** the dataset columns it predicts (head's `columns`), or its name with an index */
  columns: string[];
  mean: Float64Array;
  std: Float64Array;
}

export interface EnsemblePrediction {
  r: Float64Array;
  g: Float64Array;
  g_std: Float64Array;
  theta: Float64Array;
  bad: Float64Array;
  bad_std: Float64Array;
  density: number;
  density_std: number;
  first_shell: FirstShellEstimate;
  /** the N(θ) peak positions of the mean N(θ) (the ones reports show) with σ (src/nn/anglePeaks.ts) */
  bad_peaks: AnglePeakEstimate[];
  /** the bare ensemble spreads (sample standard deviation of the members), before calibration */
  spread: { g: Float64Array; bad: Float64Array; density: number; r1: number; cn: number };
  /** whether σ (the *_std fields) is calibrated, and one sentence saying what it contains */
  uncertainty: { calibrated: boolean; sigma: string };
  /** every head beyond g, N(θ), ρ (e.g. local_order; S0²), by name */
  heads: Record<string, HeadPrediction>;
  /** the local-order head's answer; null for models without that head */
  local_order: LocalOrderPrediction | null;
  members: MemberPrediction[];
}

const BASE_HEADS = new Set(['g', 'bad', 'density']);

/** Head slices [from, to) of the output layer. */
export function headSlices(arch: Architecture): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  let o = 0;
  for (const h of arch.heads) {
    out[h.name] = [o, o + h.size];
    o += h.size;
  }
  return out;
}

function meanStd(all: number[]): [number, number] {
  const vals = all.filter((v) => Number.isFinite(v));
  const n = vals.length;
  if (n === 0) return [NaN, NaN];
  const m = vals.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return [m, 0];
  const v = vals.reduce((a, b) => a + (b - m) * (b - m), 0) / (n - 1);
  return [m, Math.sqrt(v)];
}

/** Combine member outputs of one sample (row `row` of each matrix) into the ensemble prediction. */
export function combine(ens: EnsembleShape, outs: Float32Array[], row: number): EnsemblePrediction {
  const sl = headSlices(ens.arch);
  const nOut = ens.members[0].norm.y_mean.length;
  const members: MemberPrediction[] = outs.map((y) => {
    const o = row * nOut;
    const g = y.slice(o + sl.g[0], o + sl.g[1]);
    const bad = y.slice(o + sl.bad[0], o + sl.bad[1]);
    const density = sl.density ? y[o + sl.density[0]] : NaN;
    const heads: Record<string, Float32Array> = {};
    for (const h of ens.arch.heads)
      if (!BASE_HEADS.has(h.name)) heads[h.name] = y.slice(o + sl[h.name][0], o + sl[h.name][1]);
    return { g, bad, density, first_shell: shellOf(ens.r, g, density), heads };
  });
  const stat = (get: (m: MemberPrediction) => Float32Array, len: number) => {
    const mean = new Float64Array(len);
    const std = new Float64Array(len);
    const tmp: number[] = new Array(members.length);
    for (let j = 0; j < len; j++) {
      for (let i = 0; i < members.length; i++) tmp[i] = get(members[i])[j];
      [mean[j], std[j]] = meanStd(tmp);
    }
    return { mean, std };
  };
  const g = stat((m) => m.g, ens.r.length);
  const bad = stat((m) => m.bad, ens.theta.length);
  const [rho, rhoStd] = meanStd(members.map((m) => m.density));
  const fs = firstShellEstimate(ens.r, g.mean, rho, members);
  const cal = ens.calibration ?? null;
  const spread = { g: g.std, bad: bad.std, density: rhoStd, r1: fs.r_std, cn: fs.cn_std };
  const t = cal?.terms ?? {};
  const gStd = cal ? g.std.map((v, j) => calibratedSigma(termAt(cal, 'g', ens.r[j]), v, g.mean[j])) : g.std;
  const badStd = cal ? bad.std.map((v, j) => calibratedSigma(termAt(cal, 'bad', ens.theta[j]), v, bad.mean[j])) : bad.std;
  if (cal) {
    fs.r_std = calibratedSigma(t.r1, fs.r_std, fs.r);
    fs.cn_std = calibratedSigma(t.cn, fs.cn_std, fs.cn);
  }
  const badPeaks = anglePeakEstimates(
    ens.theta,
    bad.mean,
    members.map((m) => m.bad),
  ).map((p) => ({ ...p, theta_std: calibratedSigma(t.bad_peak, p.spread, p.theta) }));
  const heads: Record<string, HeadPrediction> = {};
  for (const h of ens.arch.heads) {
    if (BASE_HEADS.has(h.name)) continue;
    // fractions (the local-order head) are clipped to [0, 1] member by member
    const clip = h.name === LOCAL_ORDER_HEAD;
    const vals = new Map(
      members.map((m) => [
        m,
        clip ? m.heads[h.name].map((v) => Math.min(1, Math.max(0, v))) : m.heads[h.name],
      ]),
    );
    const st = stat((m) => vals.get(m)!, h.size);
    // σ calibrated like the other heads: a term per column (the local-order columns) or per head
    const terms = t as Partial<Record<string, CalibrationTerm>>;
    const columns = h.columns ?? Array.from({ length: h.size }, (_, j) => `${h.name}_${j}`);
    heads[h.name] = {
      columns,
      mean: st.mean,
      std: cal ? st.std.map((v, j) => calibratedSigma(terms[columns[j]] ?? terms[h.name], v, st.mean[j])) : st.std,
    };
  }
  return {
    r: ens.r,
    g: g.mean,
    g_std: gStd,
    theta: ens.theta,
    bad: bad.mean,
    bad_std: badStd,
    density: rho,
    density_std: cal ? calibratedSigma(t.density, rhoStd, rho) : rhoStd,
    first_shell: fs,
    bad_peaks: badPeaks,
    spread,
    uncertainty: { calibrated: cal !== null, sigma: sigmaSentence(cal) },
    heads,
    local_order: heads[LOCAL_ORDER_HEAD] ? localOrderOf(heads[LOCAL_ORDER_HEAD]) : null,
    members,
  };
}

function shellOf(r: Float64Array, g: ArrayLike<number>, density: number): FirstShell | null {
  try {
    return firstShell(r, g, { density });
  } catch {
    return null;
  }
}

/**
 * R1 and CN from the mean g(r) and ρ, σ from the members' own first shells (the same quantity of
 * each: the first sub-shell, and the combined shell — a member without a split gives its one shell
 * as the combined one).
 */
function firstShellEstimate(
  r: Float64Array,
  g: Float64Array,
  rho: number,
  members: MemberPrediction[],
): FirstShellEstimate {
  const fs = shellOf(r, g, rho);
  const ms = members.map((m) => m.first_shell).filter((f): f is FirstShell => f !== null);
  // fewer than two members with a first shell: the spread, and so σ, is unknown (NaN), not 0
  const spreadOf = (v: number[]) => (v.filter(Number.isFinite).length < 2 ? NaN : meanStd(v)[1]);
  const r1s = spreadOf(ms.map((f) => f.r1));
  const cns = spreadOf(ms.map((f) => f.cn));
  const missing = members.length - ms.length;
  if (!fs)
    return {
      r: NaN,
      r_std: r1s,
      cn: NaN,
      cn_std: cns,
      r_lower: NaN,
      r_upper: NaN,
      peak_r: NaN,
      rule: null,
      cutoff: NaN,
      combined: null,
      members_without_shell: missing,
    };
  let combined: ShellEstimate | null = null;
  if (fs.combined) {
    const [, cr] = meanStd(ms.map((f) => (f.combined ?? f).r1));
    const [, cc] = meanStd(ms.map((f) => (f.combined ?? f).cn));
    combined = {
      r: fs.combined.r1,
      r_std: cr,
      cn: fs.combined.cn,
      cn_std: cc,
      r_lower: fs.combined.r_lower,
      r_upper: fs.combined.r_upper,
    };
  }
  return {
    r: fs.r1,
    r_std: r1s,
    cn: fs.cn,
    cn_std: cns,
    r_lower: fs.r_lower,
    r_upper: fs.r_upper,
    peak_r: fs.peak_r,
    rule: fs.rule,
    cutoff: fs.cutoff,
    combined,
    members_without_shell: missing,
  };
}

/** The local_order answer from the head's columns (pairs_1551 … cna_other). */
export function localOrderOf(h: HeadPrediction): LocalOrderPrediction {
  const at = (c: string): MeanStd => {
    const j = h.columns.indexOf(c);
    return j < 0 ? { mean: NaN, std: NaN } : { mean: h.mean[j], std: h.std[j] };
  };
  return {
    pairs_1551: at('pairs_1551'),
    pairs_1421: at('pairs_1421'),
    pairs_1422: at('pairs_1422'),
    atoms: {
      fcc: at('cna_fcc'),
      hcp: at('cna_hcp'),
      bcc: at('cna_bcc'),
      ico: at('cna_ico'),
      other: at('cna_other'),
    },
  };
}
