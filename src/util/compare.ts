/**
 * The comparison metric used throughout exafsnn's checks against FEFF and Larch: the relative RMS
 * difference of k^w·χ, √(Σ (k^w (a − b))² / Σ (k^w b)²) over kmin ≤ k ≤ kmax, with b the reference
 * and a, b on the same k grid.
 */
export function relativeRmsK(
  k: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  kmin = 3,
  kmax = 14,
  kweight = 2,
): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < k.length && i < a.length && i < b.length; i++) {
    if (k[i] < kmin - 1e-9 || k[i] > kmax + 1e-9) continue;
    const f = Math.pow(k[i], kweight);
    num += (f * (a[i] - b[i])) ** 2;
    den += (f * b[i]) ** 2;
  }
  return Math.sqrt(num / den);
}
