/**
 * Cubic splines for AUTOBK:
 *  - B-spline basis values (Cox–de Boor recursion, de Boor, "A Practical Guide to Splines", ch. IX),
 *    extrapolating with the end polynomial pieces outside the knot span (as FITPACK's splev does);
 *  - interpolating cubic spline with not-a-knot end conditions (the spline FITPACK builds for
 *    s = 0), as a reusable linear operator: factor once for the abscissae, apply to many ordinates.
 */

/** Knot vector of the not-a-knot interpolating cubic through abscissae x (FITPACK splrep, s=0). */
export function notAKnotKnots(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const t = new Float64Array(n + 4);
  for (let i = 0; i < 4; i++) {
    t[i] = x[0];
    t[n + i] = x[n - 1];
  }
  for (let i = 2; i < n - 2; i++) t[i + 2] = x[i];
  return t;
}

/**
 * Values of the 4 non-zero cubic B-splines at x: writes them into `out` and returns the index of
 * the first one (basis functions first..first+3). `t` has ncoef + 4 knots.
 */
export function bsplineBasis(t: Float64Array, ncoef: number, x: number, out: Float64Array): number {
  // interval l with t[l] ≤ x < t[l+1], clamped to [3, ncoef−1] so outside points extrapolate
  let lo = 3;
  if (x >= t[ncoef]) lo = ncoef - 1;
  else if (x >= t[3]) {
    let hi = ncoef;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t[mid] <= x) lo = mid;
      else hi = mid;
    }
  }
  const l = lo;
  // Cox–de Boor, degree 0 → 3 (de Boor's BSPLVB)
  out[0] = 1;
  const dl = [0, 0, 0];
  const dr = [0, 0, 0];
  for (let j = 0; j < 3; j++) {
    dr[j] = t[l + 1 + j] - x;
    dl[j] = x - t[l - j];
    let saved = 0;
    for (let r = 0; r <= j; r++) {
      const term = out[r] / (dr[r] + dl[j - r]);
      out[r] = saved + dr[r] * term;
      saved = dl[j - r] * term;
    }
    out[j + 1] = saved;
  }
  return l - 3;
}

/** Evaluate Σ c_j B_j(x) at every x. */
export function bsplineEval(t: Float64Array, c: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const ncoef = t.length - 4;
  const b = new Float64Array(4);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const f = bsplineBasis(t, ncoef, x[i], b);
    out[i] = c[f] * b[0] + c[f + 1] * b[1] + c[f + 2] * b[2] + c[f + 3] * b[3];
  }
  return out;
}

/**
 * Coefficients of the not-a-knot interpolating cubic through (x, y), in the B-spline basis of
 * notAKnotKnots(x): solves the (banded) collocation system by Gaussian elimination with partial
 * pivoting on a dense band — n is small (≤ 128 knots in AUTOBK).
 */
export function interpolatingBspline(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { t: Float64Array; c: Float64Array } {
  const n = x.length;
  const t = notAKnotKnots(x);
  const A = new Float64Array(n * n);
  const b = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    const f = bsplineBasis(t, n, x[i], b);
    for (let j = 0; j < 4; j++) if (f + j < n) A[i * n + f + j] = b[j];
  }
  const c = Float64Array.from(y as ArrayLike<number>);
  // Gaussian elimination with partial pivoting
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i * n + k]) > Math.abs(A[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [A[k * n + j], A[p * n + j]] = [A[p * n + j], A[k * n + j]];
      [c[k], c[p]] = [c[p], c[k]];
    }
    const piv = A[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / piv;
      if (f === 0) continue;
      for (let j = k; j < n; j++) A[i * n + j] -= f * A[k * n + j];
      c[i] -= f * c[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = c[i];
    for (let j = i + 1; j < n; j++) s -= A[i * n + j] * c[j];
    c[i] = s / A[i * n + i];
  }
  return { t, c };
}

/**
 * Not-a-knot cubic spline interpolation from abscissae x (strictly increasing, n ≥ 4) to points q,
 * as a linear operator. The slopes s solve a tridiagonal system (de Boor's CUBSPL with not-a-knot
 * ends); the system is factored once, so `apply` costs O(n + m) per ordinate vector.
 */
export class NotAKnotInterpolator {
  readonly n: number;
  private readonly x: Float64Array;
  private readonly h: Float64Array;
  // tridiagonal system a_i s_{i-1} + b_i s_i + c_i s_{i+1} = r_i, factored (Thomas)
  private readonly sub: Float64Array;
  private readonly cp: Float64Array;
  private readonly den: Float64Array;
  // evaluation: interval and local coordinate for each output point
  private readonly seg: Int32Array;
  private readonly u: Float64Array;
  private readonly slopes: Float64Array;
  private readonly rhs: Float64Array;

  constructor(x: ArrayLike<number>, q: ArrayLike<number>) {
    const n = x.length;
    if (n < 4) throw new Error('not-a-knot spline needs at least 4 points');
    this.n = n;
    this.x = Float64Array.from(x as ArrayLike<number>);
    const h = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      h[i] = x[i + 1] - x[i];
      if (!(h[i] > 0))
        throw new Error(`spline abscissae must increase strictly (x[${i}]=${x[i]}, x[${i + 1}]=${x[i + 1]})`);
    }
    this.h = h;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c = new Float64Array(n);
    // left not-a-knot: h1 s0 + (h0+h1) s1 = ...
    b[0] = h[1];
    c[0] = h[0] + h[1];
    for (let i = 1; i < n - 1; i++) {
      a[i] = h[i];
      b[i] = 2 * (h[i - 1] + h[i]);
      c[i] = h[i - 1];
    }
    a[n - 1] = h[n - 2] + h[n - 3];
    b[n - 1] = h[n - 3];
    // the end rows couple three unknowns; eliminate to keep the system tridiagonal:
    // row 0 is (b0, c0) on (s0, s1) — already bidiagonal; row n−1 is (a, b) on (s_{n−2}, s_{n−1}).
    this.sub = a;
    this.cp = new Float64Array(n);
    this.den = new Float64Array(n);
    let prevCp = 0;
    for (let i = 0; i < n; i++) {
      const d = b[i] - (i > 0 ? a[i] * prevCp : 0);
      this.den[i] = d;
      prevCp = i < n - 1 ? c[i] / d : 0;
      this.cp[i] = prevCp;
    }
    const m = q.length;
    this.seg = new Int32Array(m);
    this.u = new Float64Array(m);
    let j = 0;
    for (let k = 0; k < m; k++) {
      const v = q[k];
      if (v < x[j]) j = 0;
      while (j < n - 2 && v >= x[j + 1]) j++;
      this.seg[k] = j;
      this.u[k] = v - x[j];
    }
    this.slopes = new Float64Array(n);
    this.rhs = new Float64Array(n);
  }

  /** Interpolated values at the output points for ordinates y (length n); writes into out. */
  apply(y: ArrayLike<number>, out: Float64Array): Float64Array {
    const { n, h, rhs, slopes } = this;
    const d = (i: number) => (y[i + 1] - y[i]) / h[i];
    rhs[0] = ((h[0] + 2 * (h[0] + h[1])) * h[1] * d(0) + h[0] * h[0] * d(1)) / (h[0] + h[1]);
    for (let i = 1; i < n - 1; i++) rhs[i] = 3 * (h[i] * d(i - 1) + h[i - 1] * d(i));
    rhs[n - 1] =
      (h[n - 2] * h[n - 2] * d(n - 3) + (2 * (h[n - 3] + h[n - 2]) + h[n - 2]) * h[n - 3] * d(n - 2)) /
      (h[n - 3] + h[n - 2]);
    // forward sweep
    slopes[0] = rhs[0] / this.den[0];
    for (let i = 1; i < n; i++) slopes[i] = (rhs[i] - this.sub[i] * slopes[i - 1]) / this.den[i];
    for (let i = n - 2; i >= 0; i--) slopes[i] -= this.cp[i] * slopes[i + 1];
    // cubic Hermite evaluation
    for (let k = 0; k < out.length; k++) {
      const j = this.seg[k];
      const hj = h[j];
      const dj = (y[j + 1] - y[j]) / hj;
      const u = this.u[k];
      const c2 = (3 * dj - 2 * slopes[j] - slopes[j + 1]) / hj;
      const c3 = (slopes[j] + slopes[j + 1] - 2 * dj) / (hj * hj);
      out[k] = y[j] + u * (slopes[j] + u * (c2 + u * c3));
    }
    return out;
  }
}
