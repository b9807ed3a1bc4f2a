/**
 * Peaks of a sampled distribution (used for the N(θ) peak positions in reports): local maxima
 * of a lightly smoothed curve above a fraction of the highest one, refined by a parabola through
 * the three samples around each maximum, with the area between the neighbouring minima.
 */

export interface Peak {
  /** position (refined, same unit as x) */
  x: number;
  /** height of the (unsmoothed) curve at the nearest sample */
  height: number;
  /** ∫ y dx between the minima on either side (trapezoid rule) */
  area: number;
}

export interface PeakOptions {
  /** keep maxima at least this fraction of the highest one (default 0.1) */
  minRel?: number;
  /** merge maxima closer than this in x (default 0: none) */
  minSeparation?: number;
  /** half-width in samples of the moving-average smoothing (default 1; 0 = none) */
  smooth?: number;
}

export function findPeaks(x: ArrayLike<number>, y: ArrayLike<number>, opts: PeakOptions = {}): Peak[] {
  const n = Math.min(x.length, y.length);
  if (n < 3) return [];
  const h = Math.max(0, Math.floor(opts.smooth ?? 1));
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let c = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(n - 1, i + h); j++) {
      if (Number.isFinite(y[j])) {
        sum += y[j];
        c++;
      }
    }
    s[i] = c ? sum / c : NaN;
  }
  let top = -Infinity;
  for (let i = 0; i < n; i++) if (s[i] > top) top = s[i];
  if (!(top > 0)) return [];
  const thr = (opts.minRel ?? 0.1) * top;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = i > 0 ? s[i - 1] : -Infinity;
    const r = i < n - 1 ? s[i + 1] : -Infinity;
    // plateau-safe: strictly greater than the left, at least the right
    if (s[i] >= thr && s[i] > l && s[i] >= r) idx.push(i);
  }
  // merge close maxima, keeping the higher
  const sep = opts.minSeparation ?? 0;
  const kept: number[] = [];
  for (const i of idx) {
    const last = kept[kept.length - 1];
    if (last !== undefined && Math.abs(x[i] - x[last]) < sep) {
      if (s[i] > s[last]) kept[kept.length - 1] = i;
    } else kept.push(i);
  }
  return kept.map((i) => {
    let xp = x[i];
    if (i > 0 && i < n - 1) {
      const a = s[i - 1];
      const b = s[i];
      const c = s[i + 1];
      const den = a - 2 * b + c;
      if (den < 0) {
        const d = (0.5 * (a - c)) / den;
        if (Math.abs(d) <= 1) xp = x[i] + d * (d > 0 ? x[i + 1] - x[i] : x[i] - x[i - 1]);
      }
    }
    // area between the minima either side
    let lo = i;
    while (lo > 0 && s[lo - 1] <= s[lo]) lo--;
    let hi = i;
    while (hi < n - 1 && s[hi + 1] <= s[hi]) hi++;
    let area = 0;
    for (let j = lo; j < hi; j++) area += 0.5 * (y[j] + y[j + 1]) * (x[j + 1] - x[j]);
    return { x: xp, height: y[i], area };
  });
}
