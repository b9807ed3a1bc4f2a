/**
 * Levenberg–Marquardt least squares, min ½‖r(p)‖², with an analytic Jacobian supplied by the caller
 * (Marquardt's scaling: damping λ·diag(JᵀJ); Moré, "The Levenberg–Marquardt algorithm:
 * implementation and theory", 1978). Small and allocation-free inside the loop: meant for a few
 * dozen parameters.
 */
import { solveSpd } from './numeric.js';

export interface LmProblem {
  /** number of parameters */
  n: number;
  /** number of residuals */
  m: number;
  /** fill r (length m) and, when J is given, the Jacobian J (row-major m×n, ∂r_i/∂p_j) */
  evaluate(p: Float64Array, r: Float64Array, J: Float64Array | null): void;
}

export interface LmOptions {
  maxIterations?: number;
  /** stop when the relative decrease of ‖r‖² in a step is below this */
  ftol?: number;
  /** stop when the relative parameter step is below this */
  xtol?: number;
  /** stop when the scaled gradient is below this */
  gtol?: number;
}

export interface LmResult {
  p: Float64Array;
  /** final ‖r‖² */
  chi2: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

export function levenbergMarquardt(prob: LmProblem, p0: ArrayLike<number>, opts: LmOptions = {}): LmResult {
  const { n, m } = prob;
  const maxIt = opts.maxIterations ?? 200;
  const ftol = opts.ftol ?? 1e-12;
  const xtol = opts.xtol ?? 1e-12;
  const gtol = opts.gtol ?? 1e-14;
  const p = Float64Array.from(p0 as ArrayLike<number>);
  const trial = new Float64Array(n);
  const r = new Float64Array(m);
  const rt = new Float64Array(m);
  const J = new Float64Array(m * n);
  const A = new Float64Array(n * n);
  const Ad = new Float64Array(n * n);
  const g = new Float64Array(n);
  let evals = 0;
  const sq = (v: Float64Array) => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    return s;
  };
  prob.evaluate(p, r, J);
  evals++;
  let chi2 = sq(r);
  let lambda = 1e-3;
  let converged = false;
  let it = 0;
  for (; it < maxIt; it++) {
    // normal equations A = JᵀJ, g = −Jᵀr
    A.fill(0);
    g.fill(0);
    for (let i = 0; i < m; i++) {
      const row = i * n;
      const ri = r[i];
      for (let a = 0; a < n; a++) {
        const ja = J[row + a];
        if (ja === 0) continue;
        g[a] -= ja * ri;
        for (let b = a; b < n; b++) A[a * n + b] += ja * J[row + b];
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) A[a * n + b] = A[b * n + a];
    let gmax = 0;
    for (let a = 0; a < n; a++)
      gmax = Math.max(
        gmax,
        Math.abs(g[a]) / Math.sqrt(Math.max(A[a * n + a], 1e-300) * Math.max(chi2, 1e-300)),
      );
    if (gmax < gtol) {
      converged = true;
      break;
    }
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      Ad.set(A);
      for (let a = 0; a < n; a++) Ad[a * n + a] += lambda * Math.max(A[a * n + a], 1e-30);
      let step: Float64Array;
      try {
        step = solveSpd(Ad, g, n);
      } catch {
        lambda *= 10;
        continue;
      }
      let pn = 0;
      let sn = 0;
      for (let a = 0; a < n; a++) {
        trial[a] = p[a] + step[a];
        pn += p[a] * p[a];
        sn += step[a] * step[a];
      }
      prob.evaluate(trial, rt, null);
      evals++;
      const c2 = sq(rt);
      if (c2 <= chi2) {
        const rel = (chi2 - c2) / Math.max(chi2, 1e-300);
        p.set(trial);
        chi2 = c2;
        prob.evaluate(p, r, J);
        evals++;
        // a small decrease only means convergence once the step is (nearly) Gauss–Newton: with
        // strong damping, poorly determined directions would otherwise be left unconverged
        if ((rel < ftol && lambda <= 1e-8) || Math.sqrt(sn) < xtol * (Math.sqrt(pn) + xtol)) converged = true;
        lambda = Math.max(lambda / 10, 1e-15);
        improved = true;
        break;
      }
      lambda *= 10;
      // a step that barely moves the parameters and cannot improve: we are at the minimum
      if (Math.sqrt(sn) < xtol * (Math.sqrt(pn) + xtol)) {
        converged = true;
        break;
      }
    }
    if (!improved || converged) {
      if (!improved) converged = true;
      break;
    }
  }
  return { p, chi2, iterations: it, evaluations: evals, converged };
}
