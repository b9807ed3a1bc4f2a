/**
 * The EXAFS of one FEFF path (FEFF 8 documentation, feffNNNN.dat columns):
 *   χ(k) = Im{ S0²·deg·mag·red / (k·reff²) · e^(−2reff/λ) · e^(i(2k·reff + phase + 2phc)) }
 * where the file's second column already holds 2·phc.
 */
import { splineInterp } from './spline.js';
import type { FeffPath } from './feffFiles.js';

/**
 * Complex reduced amplitude of a path on FEFF's k grid, with the fast 2k·reff removed:
 *   C(k) = deg·mag·red/(k·reff²)·e^(−2reff/λ)·e^(i(phase + 2phc)),   χ(k) = Im{C(k)·e^(2ik·reff)}.
 * At k = 0 (where FEFF's mag = 0 and 1/k diverges) C is extrapolated linearly from the next two points.
 */
export function pathReducedAmplitude(p: FeffPath, deg = p.deg): { re: Float64Array; im: Float64Array } {
  const n = p.k.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = p.k[i];
    if (k <= 0) continue;
    const a = (deg * p.mag[i] * p.red[i] * Math.exp((-2 * p.reff) / p.lambda[i])) / (k * p.reff * p.reff);
    const ph = p.phase[i] + p.phc2[i];
    re[i] = a * Math.cos(ph);
    im[i] = a * Math.sin(ph);
  }
  if (p.k[0] <= 0 && n > 2) {
    const t = (p.k[0] - p.k[1]) / (p.k[2] - p.k[1]);
    re[0] = re[1] + t * (re[2] - re[1]);
    im[0] = im[1] + t * (im[2] - im[1]);
  }
  return { re, im };
}

/**
 * χ(k) of one path on any k grid, the way FEFF/Larch do it: amplitude and (unwrapped) phase
 * interpolated from FEFF's grid with cubic splines. Reference for the table tests and bench.
 */
export function pathChi(p: FeffPath, kOut: ArrayLike<number>, deg = p.deg): Float64Array {
  const n = p.k.length;
  const amp = new Float64Array(n);
  const ph = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = p.k[i];
    amp[i] =
      k > 0 ? (deg * p.mag[i] * p.red[i] * Math.exp((-2 * p.reff) / p.lambda[i])) / (k * p.reff * p.reff) : 0;
    ph[i] = p.phase[i] + p.phc2[i];
  }
  if (p.k[0] <= 0 && n > 2) amp[0] = 2 * amp[1] - amp[2];
  for (let i = 1; i < n; i++) ph[i] -= 2 * Math.PI * Math.round((ph[i] - ph[i - 1]) / (2 * Math.PI));
  const A = splineInterp(p.k, amp, kOut);
  const P = splineInterp(p.k, ph, kOut);
  const out = new Float64Array(kOut.length);
  for (let i = 0; i < kOut.length; i++) out[i] = A[i] * Math.sin(2 * kOut[i] * p.reff + P[i]);
  return out;
}
