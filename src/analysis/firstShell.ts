/**
 * The first coordination shell of a g(r): the one definition used everywhere (analyze, dataset
 * labels, predict per member and for the ensemble mean, evaluate, the forward check, the χ(k)
 * triplet cutoff, the browser app). Browser-safe: no Node imports.
 *
 * g is given on uniform bin centres r (width dr); every integral treats a value as the mean of g
 * over its bin and uses the exact shell volume 4π/3 (b³ − a³) (a bin cut by a limit contributes
 * the part of its volume inside), so CN = ∫ 4πr²ρ g dr is the mean neighbour count when g is a
 * histogram (src/analysis/rdf.ts) or a shell-volume rebinning of one (src/dataset/rebin.ts).
 *
 * Negative g (possible in a network's output) is clipped to 0 before anything is derived from
 * it — one rule for every number below; the plotted g(r) keeps its sign.
 *
 * The rule (first minimum after the first peak, e.g. Waseda, The Structure of Non-Crystalline
 * Materials, 1980), made robust to noise and to network wiggles:
 * 1. g is smoothed with a Gaussian, σ = 0.05 Å, widened (0.1, 0.15, 0.2 Å) while the noise left in
 *    the smoothed curve exceeds 2 % of the first-peak height;
 * 2. the first peak is the highest point of the first region where the smoothed g exceeds 30 % of
 *    its maximum;
 * 3. the upper limit (cutoff) is the lowest point after the peak before the smoothed g rises again
 *    by a prominence of 10 % of the peak height (or 5 noise standard deviations, if larger) — a
 *    wiggle smaller than that does not end the shell; when the raw g is exactly zero between the
 *    shells (ideal or cold crystals) the cutoff is the middle of that empty gap;
 * 4. the lower limit is the lower edge of the shell's foot: going left from the peak, past the point
 *    where the smoothed g falls to 2 % of the peak height, down to the first stretch where g ≤ 0
 *    over the smoothing width (a histogram's foot is counted in full, a network's noise far below
 *    the shell is not);
 * 5. R1 is the centroid of 4πr²ρg between the limits, CN its integral.
 *
 * bcc (8 neighbours at √3a/2, 6 at a, ratio 2/√3 = 1.155): the two sub-shells are reported
 * separately — the headline numbers are the first sub-shell (8) and `combined` is the 8 + 6 shell.
 * The split is recognised when the next peak after the cutoff lies within 1.25 × the first peak
 * position (resolved sub-shells; fcc/hcp's second shell is at √2 = 1.41, diamond's at 1.63, a
 * liquid's near 1.9), or, when thermal broadening has merged them into one peak, by a shoulder on
 * its falling flank (see bccShoulder); then the first sub-shell ends at the midpoint between the
 * sub-shell positions R and 2R/√3 (rule 'split'; for Gaussian shells of σ = 0.15 Å the tails
 * crossing the midpoint cancel to within 0.1 neighbour).
 */
import { UserError } from '../util/errors.js';

/** A shell between two integration limits. */
export interface ShellIntegral {
  /** lower integration limit [Å] */
  r_lower: number;
  /** upper integration limit (the cutoff) [Å] */
  r_upper: number;
  /** R1: centroid of 4πr²ρg between the limits [Å] */
  r1: number;
  /** coordination number ∫ 4πr²ρ g dr between the limits (NaN without a density) */
  cn: number;
}

/** The first coordination shell: headline numbers (the first sub-shell in bcc) and the combined shell. */
export interface FirstShell extends ShellIntegral {
  /** position of the first maximum of the smoothed g(r) [Å] */
  peak_r: number;
  /**
   * how r_upper was found: 'minimum' (first minimum of the smoothed g), 'gap' (middle of an empty
   * gap of the raw g), 'split' (bcc sub-shells merged into one peak with a shoulder: r_upper is
   * the midpoint (1 + 2/√3)/2 × R, R the peak of 4πr²g, between the sub-shell positions)
   */
  rule: 'minimum' | 'gap' | 'split';
  /** the combined 8 + 6 shell when the first shell is split as in bcc, else null */
  combined: ShellIntegral | null;
  /**
   * cutoff for everything counted per first-shell neighbour (N(θ), triplets, CNA): the combined
   * shell's upper limit when split, else r_upper
   */
  cutoff: number;
  /** smoothing width used [Å] */
  smoothing: number;
}

export interface FirstShellOptions {
  /** number density ρ [Å⁻³]; without it (or NaN) every cn is NaN, the distances are unaffected */
  density?: number;
  /** Gaussian smoothing width [Å] (default: automatic, 0.05–0.2 Å) */
  smooth?: number;
}

const PEAK_REGION = 0.3;
const PROMINENCE = 0.1;
const NOISE_PROMINENCE = 5;
const NOISE_LIMIT = 0.02;
const LOWER_EDGE = 0.02;
const SPLIT_RATIO = 1.25;
const SHOULDER_FLAT = 0.2;
const SHOULDER_DROP = 0.6;
const SHOULDER_AT: [number, number] = [1.05, 1.3];
/** largest smoothed noise (× the first-peak height) at which a shoulder is read as bcc sub-shells */
const SHOULDER_NOISE = 0.01;
/** bcc: second-neighbour / nearest-neighbour distance, a / (√3a/2) */
const BCC_RATIO = 2 / Math.sqrt(3);

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

/** Noise σ left in the smoothed g: 1.4826 × median |g − gs| (from the first non-zero bin) / √(kernel width). */
function smoothedNoise(g: ArrayLike<number>, gs: Float64Array, sigmaBins: number): number {
  let i0 = 0;
  while (i0 < g.length && g[i0] === 0) i0++;
  const res: number[] = [];
  for (let i = i0; i < g.length; i++) res.push(Math.abs(g[i] - gs[i]));
  if (res.length === 0) return 0;
  res.sort((a, b) => a - b);
  return (1.4826 * res[res.length >> 1]) / Math.sqrt(2 * Math.sqrt(Math.PI) * sigmaBins);
}

/** ∫ 4πr² g dr (ρ = 1) and its first moment between lo and hi, bins as histogram bins. */
function integrate(
  r: ArrayLike<number>,
  g: ArrayLike<number>,
  dr: number,
  lo: number,
  hi: number,
): [number, number] {
  let n0 = 0;
  let m1 = 0;
  const c = (4 * Math.PI) / 3;
  for (let k = 0; k < r.length; k++) {
    const a = Math.max(0, r[k] - dr / 2, lo);
    const b = Math.min(r[k] + dr / 2, hi);
    if (b <= a) continue;
    const v = c * g[k] * (b * b * b - a * a * a);
    n0 += v;
    m1 += v * (a + b) * 0.5;
  }
  return [n0, m1];
}

/** The end of the shell whose peak is at p: first minimum with the prominence rule, or an empty gap. */
function shellEnd(
  r: ArrayLike<number>,
  graw: ArrayLike<number>,
  gs: Float64Array,
  dr: number,
  p: number,
  prom: number,
): { cutoff: number; gap: boolean; m: number; q: number } | null {
  const n = gs.length;
  let m = p;
  let q = -1;
  for (let j = p + 1; j < n; j++) {
    if (gs[j] < gs[m]) m = j;
    else if (gs[j] - gs[m] > prom) {
      q = j;
      break;
    }
  }
  if (q < 0 || m === p) return null;
  let a = -1;
  for (let j = p + 1; j <= q; j++)
    if (graw[j] === 0) {
      a = j;
      break;
    }
  if (a >= 0) {
    let b = a;
    for (let j = a; j <= q; j++) if (graw[j] === 0) b = j;
    while (b < n - 1 && graw[b + 1] === 0) b++;
    return { cutoff: (r[a] - dr / 2 + r[b] + dr / 2) / 2, gap: true, m, q };
  }
  return { cutoff: r[m], gap: false, m, q };
}

/** The next peak after index q (highest point before the smoothed g falls again by `prom`), or -1. */
function nextPeak(gs: Float64Array, q: number, prom: number): number {
  let p = q;
  for (let j = q + 1; j < gs.length; j++) {
    if (gs[j] > gs[p]) p = j;
    else if (gs[p] - gs[j] > prom) return p;
  }
  return -1;
}

/**
 * A bcc-like shoulder on the falling flank of the first peak (p to the minimum m): the slope of the
 * smoothed g falls to a minimum g'₁, recovers to within SHOULDER_FLAT × |g'₁| of zero at r_s,
 * then falls again at least SHOULDER_DROP × |g'₁| steeply; r_s between 1.05 and 1.30 × the peak
 * position (bcc: 1.11 for Gaussian shells of σ = 0.15 Å). A liquid's asymmetric peak recovers only
 * to ≈ 0.5 |g'₁| (LAMMPS Ni at 2000 K), a network's wiggle on the flank to ≈ 0.3 |g'₁| with a
 * weak second fall. Returns r_s or NaN.
 */
function bccShoulder(r: ArrayLike<number>, gs: Float64Array, dr: number, p: number, m: number): number {
  let min1 = 0;
  let best = NaN;
  let flat = -Infinity;
  let flatAt = -1;
  for (let i = p + 1; i < m; i++) {
    const d = (gs[i + 1] - gs[i - 1]) / (2 * dr);
    if (flatAt < 0) {
      if (d < min1) min1 = d;
      else if (min1 < 0 && d > SHOULDER_FLAT * min1) {
        flat = d;
        flatAt = i;
      }
    } else if (d > flat) {
      flat = d;
      flatAt = i;
    } else if (d < SHOULDER_DROP * min1) {
      best = r[flatAt];
      break;
    }
  }
  return best > SHOULDER_AT[0] * r[p] && best < SHOULDER_AT[1] * r[p] ? best : NaN;
}

/** The first coordination shell of g(r) on uniform bin centres r (rules in the module comment). */
export function firstShell(
  r: ArrayLike<number>,
  g: ArrayLike<number>,
  opts: FirstShellOptions = {},
): FirstShell {
  const n = g.length;
  if (r.length !== n) throw new UserError(`firstShell: r and g differ in length (${r.length} vs ${n})`);
  if (n < 3) throw new UserError('firstShell: g(r) needs at least 3 bins');
  const dr = r[1] - r[0];
  const rho = opts.density ?? NaN;
  const gc = new Float64Array(n);
  for (let i = 0; i < n; i++) gc[i] = g[i] > 0 ? g[i] : 0;
  let gs: Float64Array = new Float64Array(0);
  let p = 0;
  let noise = 0;
  let width = 0;
  const widths = opts.smooth !== undefined ? [opts.smooth] : [0.05, 0.1, 0.15, 0.2];
  for (const w of widths) {
    const sb = Math.max(1, w / dr);
    gs = smoothGaussian(gc, sb);
    let gmax = 0;
    for (let i = 0; i < n; i++) if (gs[i] > gmax) gmax = gs[i];
    if (!(gmax > 0)) throw new UserError('firstShell: g(r) is zero everywhere (no pairs within rmax)');
    let i0 = 0;
    while (i0 < n && gs[i0] < PEAK_REGION * gmax) i0++;
    p = i0;
    for (let i = i0; i < n && gs[i] >= PEAK_REGION * gmax; i++) if (gs[i] > gs[p]) p = i;
    noise = smoothedNoise(gc, gs, sb);
    width = sb * dr;
    if (noise <= NOISE_LIMIT * gs[p]) break;
  }
  const prom = Math.max(PROMINENCE * gs[p], NOISE_PROMINENCE * noise);
  const end = shellEnd(r, g, gs, dr, p, prom);
  if (!end)
    throw new UserError(
      `firstShell: no minimum after the first peak at ${r[p].toFixed(3)} Å within rmax ${(r[n - 1] + dr / 2).toFixed(3)} Å; ` +
        'give the cutoff explicitly or use a larger rmax',
    );
  let l = p;
  while (l > 0 && gs[l - 1] > LOWER_EDGE * gs[p]) l--;
  // then down to the first empty stretch (g ≤ 0 over the smoothing width), so that a histogram's
  // foot (isolated pairs) is counted in full
  const run = Math.max(1, Math.round(width / dr));
  for (let zeros = 0; l > 0 && zeros < run; l--) zeros = gc[l - 1] > 0 ? 0 : zeros + 1;
  while (l < p && gc[l] <= 0) l++;
  const rLower = Math.max(0, r[l] - dr / 2);
  const shell = (lo: number, hi: number): ShellIntegral => {
    const [n0, m1] = integrate(r, gc, dr, lo, hi);
    return { r_lower: lo, r_upper: hi, r1: n0 > 0 ? m1 / n0 : NaN, cn: rho * n0 };
  };
  const first = shell(rLower, end.cutoff);
  const base = { peak_r: r[p], smoothing: width };
  // resolved sub-shells: a second peak within SPLIT_RATIO × the first, followed by its own minimum
  const p2 = nextPeak(gs, end.m, prom);
  if (p2 > 0 && r[p2] < SPLIT_RATIO * r[p]) {
    const end2 = shellEnd(r, g, gs, dr, p2, prom);
    if (end2) {
      const combined = shell(rLower, end2.cutoff);
      return { ...first, ...base, rule: end.gap ? 'gap' : 'minimum', combined, cutoff: combined.r_upper };
    }
  }
  // merged sub-shells (a shoulder, no minimum): split at the midpoint between the sub-shell
  // positions R and 2R/√3, R = the peak of 4πr²g (the quantity integrated)
  // only on a smooth enough g: the counting noise of a single small snapshot (a 256-atom liquid:
  // 1.3–2 % of the peak after smoothing) puts shoulder-like flat spots on a liquid's asymmetric
  // flank, and a melt must never be split; an ensemble's mean g(r) or a large crystal is far below
  if (noise <= SHOULDER_NOISE * gs[p] && Number.isFinite(bccShoulder(r, gs, dr, p, end.m))) {
    let pr = p;
    for (let i = p; i <= end.m; i++) if (r[i] * r[i] * gs[i] > r[pr] * r[pr] * gs[pr]) pr = i;
    const split = shell(rLower, ((1 + BCC_RATIO) / 2) * r[pr]);
    return { ...split, ...base, rule: 'split', combined: first, cutoff: first.r_upper };
  }
  return { ...first, ...base, rule: end.gap ? 'gap' : 'minimum', combined: null, cutoff: first.r_upper };
}
