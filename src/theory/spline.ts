/**
 * Natural cubic spline on a non-uniform grid (the k grid FEFF writes in feffNNNN.dat is
 * 0.1 Å⁻¹ apart at low k and 1 Å⁻¹ apart at high k). Used to bring amplitudes and phases
 * from FEFF's grid onto any output k grid, as Larch does with the same columns.
 */

/** Second derivatives of the natural cubic spline through (x, y) (x strictly increasing). */
export function splineSecondDerivatives(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const n = x.length;
  const y2 = new Float64Array(n);
  const u = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
    const p = sig * y2[i - 1] + 2;
    y2[i] = (sig - 1) / p;
    const d = (y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1]);
    u[i] = ((6 * d) / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p;
  }
  y2[n - 1] = 0;
  for (let i = n - 2; i >= 0; i--) y2[i] = y2[i] * y2[i + 1] + u[i];
  return y2;
}

/**
 * Evaluation plan of a spline at fixed points xs: for each point the interval index and the
 * four weights (y[lo], y[lo+1], y2[lo], y2[lo+1]). Lets many curves that share x and xs be
 * evaluated cheaply. Points outside [x0, xn] are clamped to the end values.
 */
export interface SplinePlan {
  lo: Int32Array;
  w: Float64Array; // 4 per point
}

export function splinePlan(x: ArrayLike<number>, xs: ArrayLike<number>): SplinePlan {
  const n = x.length;
  const m = xs.length;
  const lo = new Int32Array(m);
  const w = new Float64Array(4 * m);
  let j = 0;
  for (let i = 0; i < m; i++) {
    let t = xs[i];
    if (t <= x[0]) t = x[0];
    if (t >= x[n - 1]) t = x[n - 1];
    if (t < x[j]) j = 0;
    while (j < n - 2 && t > x[j + 1]) j++;
    const h = x[j + 1] - x[j];
    const a = (x[j + 1] - t) / h;
    const b = (t - x[j]) / h;
    lo[i] = j;
    w[4 * i] = a;
    w[4 * i + 1] = b;
    w[4 * i + 2] = ((a * a * a - a) * h * h) / 6;
    w[4 * i + 3] = ((b * b * b - b) * h * h) / 6;
  }
  return { lo, w };
}

/** Evaluate a spline (values y, second derivatives y2) with a plan, into out. */
export function splineApply(
  plan: SplinePlan,
  y: ArrayLike<number>,
  y2: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  const { lo, w } = plan;
  for (let i = 0; i < lo.length; i++) {
    const j = lo[i];
    out[i] = w[4 * i] * y[j] + w[4 * i + 1] * y[j + 1] + w[4 * i + 2] * y2[j] + w[4 * i + 3] * y2[j + 1];
  }
  return out;
}

/** One-shot natural cubic spline interpolation of (x, y) at xs. */
export function splineInterp(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xs: ArrayLike<number>,
): Float64Array {
  return splineApply(splinePlan(x, xs), y, splineSecondDerivatives(x, y), new Float64Array(xs.length));
}
