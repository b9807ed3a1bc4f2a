/**
 * The browser-safe part of prediction (no Node APIs): head slices, the first coordination shell
 * from g(r) and ρ, and the combination of member outputs into mean ± σ. The browser app loads the
 * members with tf.loadLayersModel, un-scales with model.json's norm, and calls combine().
 */
import { LOCAL_ORDER_HEAD, type Architecture } from './types.js';
import type { Normalisation } from './preprocess.js';

/** What combine() needs of an ensemble (predict.ts's Ensemble satisfies it). */
export interface EnsembleShape {
  arch: Architecture;
  r: Float64Array;
  theta: Float64Array;
  members: { norm: Normalisation }[];
}

export interface FirstShell {
  /** first-shell mean distance (centroid of 4πr²ρg over the shell) [Å] */
  r: number;
  /** coordination number ∫ 4πr²ρ g dr over the first shell */
  cn: number;
  /** the integration limits [Å] */
  r_from: number;
  r_to: number;
}

export interface MemberPrediction {
  g: Float32Array;
  bad: Float32Array;
  density: number;
  first_shell: FirstShell;
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
  first_shell: { r: number; r_std: number; cn: number; cn_std: number };
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

/**
 * First coordination shell from g(r) and ρ: from the minimum left of the main peak to the first
 * minimum right of it (a local minimum below half the peak height), CN = ∫ 4πr²ρ g dr there
 * (DESIGN.md convention), R1 = the RDF's centroid over the same range. Negative g (possible in a
 * network's output) is clipped to 0.
 */
export function firstShell(r: ArrayLike<number>, g: ArrayLike<number>, rho: number): FirstShell {
  const n = r.length;
  let p = 0;
  for (let i = 1; i < n; i++) if (g[i] > g[p]) p = i;
  let hi = n - 1;
  for (let i = p + 1; i < n - 1; i++)
    if (g[i] <= g[i - 1] && g[i] < g[i + 1] && g[i] < 0.5 * g[p]) {
      hi = i;
      break;
    }
  let lo = 0;
  for (let i = p - 1; i > 0; i--)
    if (g[i] <= g[i + 1] && g[i] < g[i - 1] && g[i] < 0.5 * g[p]) {
      lo = i;
      break;
    }
  let cn = 0;
  let m1 = 0;
  for (let i = lo; i < hi; i++) {
    const dr = r[i + 1] - r[i];
    const a = 4 * Math.PI * r[i] * r[i] * rho * Math.max(0, g[i]);
    const b = 4 * Math.PI * r[i + 1] * r[i + 1] * rho * Math.max(0, g[i + 1]);
    cn += 0.5 * (a + b) * dr;
    m1 += 0.5 * (a * r[i] + b * r[i + 1]) * dr;
  }
  return { r: cn > 0 ? m1 / cn : NaN, cn, r_from: r[lo], r_to: r[hi] };
}

function meanStd(vals: number[]): [number, number] {
  const n = vals.length;
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
    return { g, bad, density, first_shell: firstShell(ens.r, g, density), heads };
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
  const [r1, r1s] = meanStd(members.map((m) => m.first_shell.r));
  const [cn, cns] = meanStd(members.map((m) => m.first_shell.cn));
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
    heads[h.name] = {
      columns: h.columns ?? Array.from({ length: h.size }, (_, j) => `${h.name}_${j}`),
      mean: st.mean,
      std: st.std,
    };
  }
  return {
    r: ens.r,
    g: g.mean,
    g_std: g.std,
    theta: ens.theta,
    bad: bad.mean,
    bad_std: bad.std,
    density: rho,
    density_std: rhoStd,
    first_shell: { r: r1, r_std: r1s, cn, cn_std: cns },
    heads,
    local_order: heads[LOCAL_ORDER_HEAD] ? localOrderOf(heads[LOCAL_ORDER_HEAD]) : null,
    members,
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
