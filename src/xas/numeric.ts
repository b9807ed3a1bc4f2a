/**
 * Small numerical helpers with the index conventions Larch uses (index_of, index_nearest,
 * Python's round-half-to-even), and a stable least-squares polynomial fit.
 */

/** Largest index i with a[i] ≤ x (0 when x < a[0]); `a` increasing. */
export function indexOf(a: ArrayLike<number>, x: number): number {
  if (!(x >= a[0])) return 0;
  let lo = 0;
  let hi = a.length - 1;
  if (x >= a[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Index of the element nearest to x (first one on ties); `a` increasing. */
export function indexNearest(a: ArrayLike<number>, x: number): number {
  const i = indexOf(a, x);
  if (i + 1 < a.length && Math.abs(a[i + 1] - x) < Math.abs(a[i] - x)) return i + 1;
  return i;
}

/** Python 3 round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/**
 * Least-squares polynomial of degree `deg` through (x[i], y[i]), i in [i0, i1). Returns the
 * coefficients c (ascending powers of x) for p(x) = Σ c_j x^j. The fit is done in a centred and
 * scaled variable (normal equations in t = (x − xm)/xs, solved by Cholesky) to stay stable for
 * energies ~10⁴ eV, then converted back.
 */
export function polyfit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  deg: number,
  i0 = 0,
  i1 = x.length,
): Float64Array {
  const n = i1 - i0;
  const m = deg + 1;
  if (n < m) throw new Error(`polyfit: ${n} points for degree ${deg}`);
  let xm = 0;
  for (let i = i0; i < i1; i++) xm += x[i];
  xm /= n;
  let xs = 0;
  for (let i = i0; i < i1; i++) xs = Math.max(xs, Math.abs(x[i] - xm));
  if (xs === 0) xs = 1;
  const A = new Float64Array(m * m);
  const b = new Float64Array(m);
  const pw = new Float64Array(2 * m);
  for (let i = i0; i < i1; i++) {
    const t = (x[i] - xm) / xs;
    pw[0] = 1;
    for (let j = 1; j < 2 * m; j++) pw[j] = pw[j - 1] * t;
    for (let r = 0; r < m; r++) {
      b[r] += pw[r] * y[i];
      for (let c = 0; c < m; c++) A[r * m + c] += pw[r + c];
    }
  }
  const ct = solveSpd(A, b, m);
  // p(x) = Σ ct_j ((x − xm)/xs)^j  → ascending powers of x (binomial expansion)
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const cj = ct[j] / Math.pow(xs, j);
    // (x − xm)^j = Σ_i C(j,i) x^i (−xm)^(j−i)
    let binom = 1;
    for (let i = 0; i <= j; i++) {
      out[i] += cj * binom * Math.pow(-xm, j - i);
      binom = (binom * (j - i)) / (i + 1);
    }
  }
  return out;
}

/** Evaluate Σ c_j x^j. */
export function polyval(c: ArrayLike<number>, x: number): number {
  let s = 0;
  for (let j = c.length - 1; j >= 0; j--) s = s * x + c[j];
  return s;
}

/**
 * Solve A x = b for a symmetric positive (semi-)definite m×m matrix (row-major) by Cholesky,
 * with a tiny diagonal boost if needed. A and b are not modified.
 */
export function solveSpd(A: Float64Array, b: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  let boost = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    let ok = true;
    for (let i = 0; i < m && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = A[i * m + j] + (i === j ? boost * Math.max(1e-300, Math.abs(A[i * m + i])) : 0);
        for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
        if (i === j) {
          if (!(s > 0)) {
            ok = false;
            break;
          }
          L[i * m + i] = Math.sqrt(s);
        } else L[i * m + j] = s / L[j * m + j];
      }
    }
    if (ok) {
      const z = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = b[i];
        for (let k = 0; k < i; k++) s -= L[i * m + k] * z[k];
        z[i] = s / L[i * m + i];
      }
      const x = new Float64Array(m);
      for (let i = m - 1; i >= 0; i--) {
        let s = z[i];
        for (let k = i + 1; k < m; k++) s -= L[k * m + i] * x[k];
        x[i] = s / L[i * m + i];
      }
      return x;
    }
    boost = boost === 0 ? 1e-12 : boost * 100;
  }
  throw new Error('solveSpd: matrix is not positive definite');
}

/** Linear interpolation of (x, y) at xs (x increasing); outside the range the end values are held (numpy.interp). */
export function interp(xs: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(xs.length);
  const n = x.length;
  let j = 0;
  for (let i = 0; i < xs.length; i++) {
    const q = xs[i];
    if (q <= x[0]) out[i] = y[0];
    else if (q >= x[n - 1]) out[i] = y[n - 1];
    else {
      if (q < x[j]) j = 0;
      while (j + 1 < n && x[j + 1] < q) j++;
      const t = (q - x[j]) / (x[j + 1] - x[j]);
      out[i] = y[j] + t * (y[j + 1] - y[j]);
    }
  }
  return out;
}
