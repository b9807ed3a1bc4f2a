/**
 * E0 and pre-edge subtraction / post-edge normalisation, following Larch's `find_e0` and
 * `pre_edge` (xraylarch 0.9.58, larch/xafs/pre_edge.py) in its defaults and index conventions:
 *  - E0: energy of the largest dμ/dE (centred differences) among points whose neighbours are also
 *    above 10 % of the maximum (a guard against one-point glitches), ignoring the first and last 5 %;
 *    when that finds nothing (a glitch dwarfing the edge) the same rule runs on a 3-point running
 *    median of μ (our addition; Larch then returns the first energy).
 *  - pre-edge: a line fitted to μ over [E0+pre1, E0+pre2); defaults pre1 = E0 − E[1] rounded to 5 eV,
 *    pre2 = pre1/3 rounded to 5 eV.
 *  - post-edge: a polynomial of degree nnorm fitted to μ − pre_edge over [E0+norm1, E0+norm2);
 *    defaults norm2 = Emax − E0 rounded to 5 eV, norm1 = min(150, norm2/3 rounded to 5 eV),
 *    nnorm = 2 if norm2 − norm1 ≥ 350 eV, 1 if ≥ 50 eV, else 0.
 *  - edge_step = |post_edge(E0) − pre_edge(E0)|, norm = (μ − pre_edge)/edge_step.
 * Like Larch, a given E0 is snapped to the nearest energy point.
 */
import { indexOf, indexNearest, polyfit, polyval, roundHalfEven } from './numeric.js';

export interface PreEdgeOptions {
  e0?: number;
  /** how E0 is found when not given: 'derivative' (Larch 0.9.58's find_e0, default) or 'smooth' */
  e0Method?: 'derivative' | 'smooth';
  /** edge step to use instead of the fitted one */
  step?: number;
  pre1?: number;
  pre2?: number;
  norm1?: number;
  norm2?: number;
  nnorm?: number;
}

export interface PreEdgeResult {
  e0: number;
  /** index of e0 in the energy array */
  ie0: number;
  edge_step: number;
  pre_edge: Float64Array;
  post_edge: Float64Array;
  norm: Float64Array;
  pre1: number;
  pre2: number;
  norm1: number;
  norm2: number;
  nnorm: number;
  /** pre-edge line: [offset, slope] in μ = offset + slope·E */
  pre_coefs: Float64Array;
  /** post-edge polynomial of (μ − pre_edge), ascending powers of E */
  norm_coefs: Float64Array;
}

/** dμ/dE by centred differences (numpy.gradient(mu)/numpy.gradient(energy)). */
export function derivative(energy: ArrayLike<number>, mu: ArrayLike<number>): Float64Array {
  const n = energy.length;
  const d = new Float64Array(n);
  if (n < 2) return d;
  d[0] = (mu[1] - mu[0]) / (energy[1] - energy[0]);
  d[n - 1] = (mu[n - 1] - mu[n - 2]) / (energy[n - 1] - energy[n - 2]);
  for (let i = 1; i < n - 1; i++) d[i] = (mu[i + 1] - mu[i - 1]) / (energy[i + 1] - energy[i - 1]);
  return d;
}

/**
 * E0 as the energy of the maximum derivative, with Larch's guards (see module comment).
 * Returns the index into `energy`.
 */
export function findE0Index(energy: ArrayLike<number>, mu: ArrayLike<number>): number {
  const i = larchE0Index(energy, mu);
  if (i > 0) return i;
  // Larch's rule found nothing (a glitch so large that the edge is below 10 % of it): retry on μ
  // with one-point spikes removed by a 3-point running median
  const n = mu.length;
  const med = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (j === 0 || j === n - 1) med[j] = mu[j];
    else {
      const a = mu[j - 1];
      const b = mu[j];
      const c = mu[j + 1];
      med[j] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
  }
  return larchE0Index(energy, med);
}

function larchE0Index(energy: ArrayLike<number>, mu: ArrayLike<number>): number {
  const n = energy.length;
  const d = derivative(energy, mu);
  for (let i = 0; i < n; i++) if (!Number.isFinite(d[i])) d[i] = -1;
  const nmin = Math.max(3, Math.floor(n * 0.05));
  let maxd = -Infinity;
  for (let i = nmin; i < n - nmin; i++) if (d[i] > maxd) maxd = d[i];
  const thr = maxd * 0.1;
  let best = 0;
  let bestD = 0;
  for (let i = Math.max(1, nmin); i <= n - nmin && i < n - 1; i++) {
    if (d[i] > thr && d[i] > bestD && d[i + 1] > thr && d[i - 1] > thr) {
      best = i;
      bestD = d[i];
    }
  }
  return best;
}

export function findE0(energy: ArrayLike<number>, mu: ArrayLike<number>): number {
  return energy[findE0Index(energy, mu)];
}

/**
 * E0 from the maximum of the smoothed derivative: dμ/dE convolved with a Gaussian of width
 * `sigma` eV (default 0.5 eV) on the measured energies, then Larch's guards (neighbours above 10 %,
 * ends ignored). Less sensitive than the plain derivative to noise and to closely spaced points.
 * Keep sigma small: with σ ≥ 1 eV the narrow first derivative peak of metal K edges with a shoulder
 * (Ni, Fe foils) is flattened below the main rise and E0 jumps by ~10 eV.
 */
export function findE0SmoothIndex(energy: ArrayLike<number>, mu: ArrayLike<number>, sigma = 0.5): number {
  const n = energy.length;
  const d = derivative(energy, mu);
  const sm = new Float64Array(n);
  let lo = 0;
  for (let i = 0; i < n; i++) {
    while (energy[lo] < energy[i] - 4 * sigma) lo++;
    let sw = 0;
    let s = 0;
    for (let j = lo; j < n && energy[j] <= energy[i] + 4 * sigma; j++) {
      // weight each point by its Gaussian value times the energy interval it represents
      const de =
        0.5 * ((j + 1 < n ? energy[j + 1] : energy[j]) - (j > 0 ? energy[j - 1] : energy[j])) || 1e-9;
      const w = Math.exp(-0.5 * ((energy[j] - energy[i]) / sigma) ** 2) * de;
      sw += w;
      s += w * (Number.isFinite(d[j]) ? d[j] : 0);
    }
    sm[i] = sw > 0 ? s / sw : d[i];
  }
  // guards as Larch's rule, applied to the smoothed derivative (passed as its own "μ" derivative)
  const nmin = Math.max(3, Math.floor(n * 0.05));
  let maxd = -Infinity;
  for (let i = nmin; i < n - nmin; i++) if (sm[i] > maxd) maxd = sm[i];
  let best = 0;
  let bestD = 0;
  for (let i = Math.max(1, nmin); i <= n - nmin && i < n - 1; i++) {
    if (sm[i] > 0.1 * maxd && sm[i] > bestD && sm[i + 1] > 0.1 * maxd && sm[i - 1] > 0.1 * maxd) {
      best = i;
      bestD = sm[i];
    }
  }
  return best;
}

/** Larch-compatible pre-edge subtraction and normalisation (see module comment). */
export function preEdge(energy: Float64Array, mu: Float64Array, opts: PreEdgeOptions = {}): PreEdgeResult {
  const n = energy.length;
  let e0 = opts.e0;
  if (e0 === undefined || !(e0 >= energy[1] && e0 <= energy[n - 2]))
    e0 = energy[opts.e0Method === 'smooth' ? findE0SmoothIndex(energy, mu) : findE0Index(energy, mu)];
  const ie0 = indexNearest(energy, e0);
  e0 = energy[ie0];

  let pre1 = opts.pre1;
  if (pre1 === undefined)
    pre1 = ie0 > 20 ? 5 * roundHalfEven((energy[1] - e0) / 5) : 2 * roundHalfEven((energy[1] - e0) / 2);
  pre1 = Math.max(pre1, energy[0] - e0);
  let pre2 = opts.pre2 ?? 5 * roundHalfEven(pre1 / 15);
  if (pre1 > pre2) [pre1, pre2] = [pre2, pre1];

  const emax = energy[n - 1];
  let norm2 = opts.norm2 ?? 5 * roundHalfEven((emax - e0) / 5);
  if (norm2 < 0) norm2 = emax - e0 - norm2;
  norm2 = Math.min(norm2, emax - e0);
  let norm1 = opts.norm1 ?? Math.min(150, 5 * roundHalfEven(norm2 / 15));
  if (norm1 > norm2) [norm1, norm2] = [norm2, norm1];
  let nnorm = opts.nnorm;
  if (nnorm === undefined) nnorm = norm2 - norm1 < 50 ? 0 : norm2 - norm1 < 350 ? 1 : 2;
  nnorm = Math.max(0, Math.min(5, Math.round(nnorm)));

  // pre-edge line over [p1, p2)
  let p1 = indexOf(energy, pre1 + e0);
  let p2 = indexNearest(energy, pre2 + e0);
  if (p2 - p1 < 2) p2 = Math.min(n, p1 + 2);
  const preCoefs = polyfit(energy, mu, 1, p1, p2);
  const pre = new Float64Array(n);
  for (let i = 0; i < n; i++) pre[i] = preCoefs[0] + preCoefs[1] * energy[i];

  // post-edge polynomial of μ − pre over [p1, p2)
  p1 = indexOf(energy, norm1 + e0);
  p2 = indexNearest(energy, norm2 + e0);
  if (p2 - p1 < 2) p2 = Math.min(n, p1 + 2);
  const presub = new Float64Array(n);
  for (let i = 0; i < n; i++) presub[i] = mu[i] - pre[i];
  const deg = Math.min(nnorm, p2 - p1 - 1);
  const normCoefs = polyfit(energy, presub, deg, p1, p2);
  const post = new Float64Array(n);
  for (let i = 0; i < n; i++) post[i] = pre[i] + polyval(normCoefs, energy[i]);
  let step = opts.step ?? post[ie0] - pre[ie0];
  step = Math.abs(step);
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) norm[i] = (mu[i] - pre[i]) / step;
  return {
    e0,
    ie0,
    edge_step: step,
    pre_edge: pre,
    post_edge: post,
    norm,
    pre1,
    pre2,
    norm1,
    norm2,
    nnorm,
    pre_coefs: preCoefs,
    norm_coefs: normCoefs,
  };
}
