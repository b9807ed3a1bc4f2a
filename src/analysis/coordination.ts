/**
 * Coordination numbers from g(r) and the first-shell cutoff.
 *
 * CN(rcut) = ∫₀^rcut 4πr²ρ g(r) dr, evaluated bin by bin with the exact shell volumes used by the
 * histogram (so it equals the mean neighbour count within rcut when rcut is a bin edge; a bin cut
 * by rcut contributes the fraction of its shell volume below rcut).
 *
 * The first-shell cutoff is the first minimum of g(r) after the first peak (the usual
 * convention, e.g. Waseda, The Structure of Non-Crystalline Materials, 1980): g is smoothed with a
 * narrow Gaussian (σ = 0.05 Å, widened up to 0.2 Å when the data are noisy) so statistical noise
 * does not create false minima; the first peak is the highest point of the first region where the
 * smoothed g exceeds 30 % of its maximum; the minimum is the lowest point before g rises again by
 * more than 5 % of the peak height (or 5 noise standard deviations). If the
 * raw g(r) is exactly zero there (ideal or cold crystals: delta-like shells with an empty gap),
 * the cutoff is the middle of that empty gap between shell 1 and shell 2.
 */
import { UserError } from '../util/errors.js';
import { shellVolume } from './rdf.js';

function binWidth(r: ArrayLike<number>): number {
  if (r.length < 2) throw new UserError('g(r) needs at least 2 bins');
  return r[1] - r[0];
}

/** Coordination number ∫₀^rcut 4πr²ρ g(r) dr for g on bin centres r (uniform bins). */
export function coordinationNumber(
  r: ArrayLike<number>,
  g: ArrayLike<number>,
  rho: number,
  rcut: number,
): number {
  if (r.length !== g.length)
    throw new UserError(`coordinationNumber: r and g differ in length (${r.length} vs ${g.length})`);
  if (!(rho > 0)) throw new UserError(`coordinationNumber: density must be positive, got ${rho}`);
  const dr = binWidth(r);
  let cn = 0;
  for (let k = 0; k < r.length; k++) {
    const lo = r[k] - dr / 2;
    const hi = r[k] + dr / 2;
    if (lo >= rcut) break;
    const v = shellVolume(Math.max(0, lo), hi);
    const part = hi <= rcut ? v : shellVolume(Math.max(0, lo), rcut);
    cn += rho * g[k] * part;
  }
  return cn;
}

/** Gaussian smoothing with σ in bins (truncated at 4σ, renormalised at the edges). */
export function smoothGaussian(g: ArrayLike<number>, sigmaBins: number): Float64Array {
  const n = g.length;
  const out = new Float64Array(n);
  if (sigmaBins <= 0) {
    for (let i = 0; i < n; i++) out[i] = g[i];
    return out;
  }
  const h = Math.max(1, Math.ceil(4 * sigmaBins));
  const w = new Float64Array(2 * h + 1);
  for (let k = -h; k <= h; k++) w[k + h] = Math.exp(-(k * k) / (2 * sigmaBins * sigmaBins));
  for (let i = 0; i < n; i++) {
    let s = 0,
      ws = 0;
    const a = Math.max(0, i - h),
      b = Math.min(n - 1, i + h);
    for (let j = a; j <= b; j++) {
      s += w[j - i + h] * g[j];
      ws += w[j - i + h];
    }
    out[i] = s / ws;
  }
  return out;
}

/** Index of the first peak: the highest point of the first region above 30 % of the maximum. */
function firstPeakIndex(gs: Float64Array): number {
  const n = gs.length;
  let gmax = 0;
  for (let i = 0; i < n; i++) if (gs[i] > gmax) gmax = gs[i];
  if (!(gmax > 0)) throw new UserError('firstShellCutoff: g(r) is zero everywhere (no pairs within rmax)');
  let i0 = 0;
  while (i0 < n && gs[i0] < 0.3 * gmax) i0++;
  let p = i0;
  for (let i = i0; i < n && gs[i] >= 0.3 * gmax; i++) if (gs[i] > gs[p]) p = i;
  return p;
}

/**
 * Standard deviation of the noise left in the smoothed g: the raw noise (1.4826 × median
 * |g − gs| over the bins from the first non-zero one) divided by √(effective kernel width).
 */
function smoothedNoise(g: ArrayLike<number>, gs: Float64Array, sigmaBins: number): number {
  let i0 = 0;
  while (i0 < g.length && g[i0] === 0) i0++;
  const res: number[] = [];
  for (let i = i0; i < g.length; i++) res.push(Math.abs(g[i] - gs[i]));
  if (res.length === 0) return 0;
  res.sort((a, b) => a - b);
  const mad = res[res.length >> 1];
  return (1.4826 * mad) / Math.sqrt(2 * Math.sqrt(Math.PI) * sigmaBins);
}

export interface FirstShell {
  /** cutoff (Å): first minimum of g after the first peak */
  cutoff: number;
  /** position of the first peak (Å) */
  peak: number;
  /** index of the first peak in the smoothed g */
  peakIndex: number;
  /** true when the cutoff is the middle of an empty gap of the raw g(r) */
  gap: boolean;
}

/** Locate the first peak and the first-shell cutoff (see the module comment for the rule). */
export function firstShell(
  r: ArrayLike<number>,
  g: ArrayLike<number>,
  opts: { smooth?: number } = {},
): FirstShell {
  if (r.length !== g.length)
    throw new UserError(`firstShellCutoff: r and g differ in length (${r.length} vs ${g.length})`);
  const n = g.length;
  const dr = binWidth(r);
  // smoothing: σ = 0.05 Å, widened (0.1, 0.15, 0.2 Å) while the counting noise left in the
  // smoothed curve exceeds 2 % of the first-peak height (small systems, one frame)
  let gs: Float64Array = new Float64Array(0);
  let p = 0;
  let noiseS = 0;
  const widths = opts.smooth !== undefined ? [opts.smooth] : [0.05, 0.1, 0.15, 0.2];
  for (const w of widths) {
    const sb = Math.max(1, w / dr);
    gs = smoothGaussian(g, sb);
    p = firstPeakIndex(gs);
    noiseS = smoothedNoise(g, gs, sb);
    if (noiseS <= 0.02 * gs[p]) break;
  }
  // first minimum after it: lowest point before g rises again by more than 5 % of the peak
  // height (or 5 standard deviations of the smoothed curve's noise, if larger)
  let m = p;
  const prom = Math.max(0.05 * gs[p], 5 * noiseS);
  let q = -1;
  for (let j = p + 1; j < n; j++) {
    if (gs[j] < gs[m]) m = j;
    else if (gs[j] - gs[m] > prom) {
      q = j;
      break;
    }
  }
  if (q < 0 || m === p)
    throw new UserError(
      `firstShellCutoff: no minimum after the first peak at ${r[p].toFixed(3)} Å within rmax ${(r[n - 1] + dr / 2).toFixed(3)} Å; ` +
        'give the cutoff explicitly or use a larger rmax',
    );
  // an empty gap in the raw g between the shells (cold or ideal crystal): take its middle,
  // from the first empty bin after shell 1 to the last empty bin before shell 2
  let a = -1;
  for (let j = p + 1; j <= q; j++)
    if (g[j] === 0) {
      a = j;
      break;
    }
  if (a >= 0) {
    let b = a;
    for (let j = a; j <= q; j++) if (g[j] === 0) b = j;
    while (b < n - 1 && g[b + 1] === 0) b++;
    return { cutoff: (r[a] - dr / 2 + r[b] + dr / 2) / 2, peak: r[p], peakIndex: p, gap: true };
  }
  return { cutoff: r[m], peak: r[p], peakIndex: p, gap: false };
}

/** First-shell cutoff (Å): the first minimum of g(r) after the first peak. */
export function firstShellCutoff(
  r: ArrayLike<number>,
  g: ArrayLike<number>,
  opts: { smooth?: number } = {},
): number {
  return firstShell(r, g, opts).cutoff;
}
