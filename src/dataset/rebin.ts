/**
 * Rebinning a histogram-like function onto the dataset's grids, preserving its integral.
 * The dataset's grid points are bin centres with width `step`; a fine source histogram (bins of
 * its own width) is averaged over each target bin with overlap weights: by shell volume 4πr²dr
 * for g(r) (so ∫4πr²ρg dr, the coordination number, is kept) and by length for N(θ) (so ∫N dθ is kept).
 */

/** Average of a fine histogram (centres src, equal width dsrc) over target bins (centres dst, width ddst). */
export function rebin(
  src: ArrayLike<number>,
  values: ArrayLike<number>,
  dst: ArrayLike<number>,
  ddst: number,
  weight: 'length' | 'shell',
  out: Float32Array | Float64Array = new Float64Array(dst.length),
): Float32Array | Float64Array {
  const n = src.length;
  const dsrc = n > 1 ? src[1] - src[0] : 1;
  const lo0 = src[0] - dsrc / 2;
  const w = (a: number, b: number) => (weight === 'length' ? b - a : (b * b * b - a * a * a) / 3);
  for (let i = 0; i < dst.length; i++) {
    const a = dst[i] - ddst / 2;
    const b = dst[i] + ddst / 2;
    let j0 = Math.max(0, Math.floor((a - lo0) / dsrc));
    const j1 = Math.min(n - 1, Math.floor((b - lo0) / dsrc));
    let s = 0;
    let ws = 0;
    for (; j0 <= j1; j0++) {
      const sa = lo0 + j0 * dsrc;
      const x = Math.max(a, sa);
      const y = Math.min(b, sa + dsrc);
      if (y <= x) continue;
      const ww = w(x, y);
      s += values[j0] * ww;
      ws += ww;
    }
    out[i] = ws > 0 ? s / ws : NaN;
  }
  return out;
}
