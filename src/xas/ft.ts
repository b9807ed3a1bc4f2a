/**
 * XAFS Fourier transforms with Larch's conventions and defaults (xraylarch larch/xafs/xafsft.py):
 *   χ(R) = (δk/√π) Σ_n kₙ^w χ(kₙ) Ω(kₙ) e^{2i kₙ R}       (xftf, on the grid kₙ = n·δk, N_fft = 2048)
 *   χ(q) = s·(4√π/δk)·(1/N) Σ_m R_m^rw χ(R_m) Ω(R_m) e^{−2i q R_m}   (xftr; s = ½ for complex χ(R))
 * With δk = 0.05 Å⁻¹ and N_fft = 2048, δR = π/(δk·N_fft) ≈ 0.0307 Å.
 * (numpy's FFT sign convention: forward uses e^{−i…}; we keep it so Re/Im agree with Larch's.)
 */
import { fft } from './fft.js';
import { ftwindow } from './window.js';
import { interp } from './numeric.js';

export interface XftfOptions {
  kmin?: number;
  kmax?: number;
  dk?: number;
  dk2?: number;
  window?: string;
  kweight?: number;
  nfft?: number;
  kstep?: number;
  rmax_out?: number;
}

export interface XftfResult {
  r: Float64Array;
  chir_mag: Float64Array;
  chir_re: Float64Array;
  chir_im: Float64Array;
  /** the k window Ω(k) on the uniform k grid used (length of that grid) */
  kwin: Float64Array;
  /** uniform k grid the transform used */
  kgrid: Float64Array;
}

/** Forward XAFS FT χ(k) → χ(R). Defaults as Larch's xftf: kmin 0, kmax 20, dk 1, Kaiser, kweight 0. */
export function xftf(k: ArrayLike<number>, chi: ArrayLike<number>, opts: XftfOptions = {}): XftfResult {
  const kmin = opts.kmin ?? 0;
  const kmax = opts.kmax ?? 20;
  const dk = opts.dk ?? 1;
  const dk2 = opts.dk2 ?? dk;
  const kw = opts.kweight ?? 0;
  const nfft = opts.nfft ?? 2048;
  const kstep = opts.kstep ?? 0.05;
  const rmaxOut = opts.rmax_out ?? 10;
  let kdata = -Infinity;
  for (let i = 0; i < k.length; i++) kdata = Math.max(kdata, k[i]);
  const kTop = Math.max(kdata, kmax + dk2);
  const ngrid = Math.trunc(1.01 + kTop / kstep);
  const kg = new Float64Array(ngrid);
  for (let i = 0; i < ngrid; i++) kg[i] = kstep * i;
  const chiG = interp(kg, k, chi);
  const win = ftwindow(kg, { xmin: kmin, xmax: kmax, dx: dk, dx2: dk2, window: opts.window ?? 'kaiser' });
  const npts = Math.min(ngrid, Math.trunc(1.01 + kdata / kstep), nfft);
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  for (let i = 0; i < npts; i++) re[i] = chiG[i] * Math.pow(kg[i], kw) * win[i];
  fft(re, im);
  const scale = kstep / Math.sqrt(Math.PI);
  const rstep = Math.PI / (kstep * nfft);
  const nr = Math.trunc(Math.min(nfft / 2, 1.01 + rmaxOut / rstep));
  const r = new Float64Array(nr);
  const mag = new Float64Array(nr);
  const cre = new Float64Array(nr);
  const cim = new Float64Array(nr);
  for (let i = 0; i < nr; i++) {
    r[i] = rstep * i;
    cre[i] = scale * re[i];
    cim[i] = scale * im[i];
    mag[i] = Math.hypot(cre[i], cim[i]);
  }
  return { r, chir_mag: mag, chir_re: cre, chir_im: cim, kwin: win.slice(0, npts), kgrid: kg.slice(0, npts) };
}

export interface XftrOptions {
  rmin?: number;
  rmax?: number;
  dr?: number;
  dr2?: number;
  window?: string;
  rweight?: number;
  nfft?: number;
  qmax_out?: number;
}

export interface XftrResult {
  q: Float64Array;
  chiq_mag: Float64Array;
  chiq_re: Float64Array;
  chiq_im: Float64Array;
  rwin: Float64Array;
}

/**
 * Back FT χ(R) → χ(q) on the uniform R grid r (Larch xftr). Pass both parts of χ(R) (then the
 * factor ½ applies, as for complex input in Larch) or only the real part.
 * Defaults: rmin 0, rmax 20, dr 1, Kaiser, rweight 0, qmax_out 30.
 */
export function xftr(
  r: ArrayLike<number>,
  chirRe: ArrayLike<number>,
  chirIm: ArrayLike<number> | null,
  opts: XftrOptions = {},
): XftrResult {
  const nfft = opts.nfft ?? 2048;
  const rstep = r[1] - r[0];
  const kstep = Math.PI / (rstep * nfft);
  const scale = chirIm ? 0.5 : 1;
  const rw = opts.rweight ?? 0;
  const rg = new Float64Array(nfft);
  for (let i = 0; i < nfft; i++) rg[i] = rstep * i;
  const win = ftwindow(rg, {
    xmin: opts.rmin ?? 0,
    xmax: opts.rmax ?? 20,
    dx: opts.dr ?? 1,
    dx2: opts.dr2,
    window: opts.window ?? 'kaiser',
  });
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  const n = Math.min(nfft, chirRe.length);
  for (let i = 0; i < n; i++) {
    const f = win[i] * Math.pow(rg[i], rw);
    re[i] = chirRe[i] * f;
    im[i] = chirIm ? chirIm[i] * f : 0;
  }
  fft(re, im, true);
  const s = (scale * 4 * Math.sqrt(Math.PI)) / kstep;
  const qmax = opts.qmax_out ?? 30;
  const nq = Math.min(nfft / 2, Math.trunc(1.05 + qmax / kstep));
  const q = new Float64Array(nq);
  const mag = new Float64Array(nq);
  const qre = new Float64Array(nq);
  const qim = new Float64Array(nq);
  for (let i = 0; i < nq; i++) {
    q[i] = nq > 1 ? (qmax * i) / (nq - 1) : 0;
    qre[i] = s * re[i];
    qim[i] = s * im[i];
    mag[i] = Math.hypot(qre[i], qim[i]);
  }
  return { q, chiq_mag: mag, chiq_re: qre, chiq_im: qim, rwin: win.slice(0, chirRe.length) };
}
