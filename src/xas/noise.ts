/**
 * Noise in measured χ(k) from the high-R part of χ(R) (Newville, Boyanov & Sayers, J. Synchrotron
 * Rad. 6, 264 (1999); Larch `estimate_noise`, xraylarch larch/xafs/estimate_noise.py): the RMS of
 * Re and Im χ(R) over 15–30 Å, divided by the mean of the k window, is ε_R; Parseval's theorem
 * turns it into the noise per χ(k) point, ε_k = ε_R·√(2π(2w+1) / (δk (kmax^(2w+1) − kmin^(2w+1)))).
 * Defaults as Larch's (k-weight 1, k 0–20, Kaiser window dk 4). Browser-safe.
 */
import { xftf } from './ft.js';

export interface NoiseOptions {
  rmin?: number;
  rmax?: number;
  kweight?: number;
  kmin?: number;
  kmax?: number;
  dk?: number;
  window?: string;
  kstep?: number;
  nfft?: number;
}

export interface NoiseEstimate {
  /** noise per χ(k) point */
  epsilon_k: number;
  /** noise in Re/Im χ(R) of that transform */
  epsilon_r: number;
  settings: Required<NoiseOptions>;
}

export function estimateNoise(
  k: ArrayLike<number>,
  chi: ArrayLike<number>,
  o: NoiseOptions = {},
): NoiseEstimate {
  const s: Required<NoiseOptions> = {
    rmin: o.rmin ?? 15,
    rmax: o.rmax ?? 30,
    kweight: o.kweight ?? 1,
    kmin: o.kmin ?? 0,
    kmax: o.kmax ?? 20,
    dk: o.dk ?? 4,
    window: o.window ?? 'kaiser',
    kstep: o.kstep ?? 0.05,
    nfft: o.nfft ?? 2048,
  };
  const f = xftf(k, chi, {
    kmin: s.kmin,
    kmax: s.kmax,
    dk: s.dk,
    window: s.window,
    kweight: s.kweight,
    kstep: s.kstep,
    nfft: s.nfft,
    rmax_out: Math.min(10 * Math.PI, s.rmax + 2),
  });
  const rstep = f.r[1] - f.r[0];
  const i0 = Math.trunc(0.01 + s.rmin / rstep);
  const i1 = Math.min(s.nfft / 2, Math.trunc(1.01 + s.rmax / rstep), f.r.length);
  let ss = 0;
  let n = 0;
  for (let i = i0; i < i1; i++) {
    ss += f.chir_re[i] ** 2 + f.chir_im[i] ** 2;
    n += 2;
  }
  let wsum = 0;
  for (let i = 0; i < f.kwin.length; i++) wsum += f.kwin[i];
  const kwinAve = (wsum * s.kstep) / (s.kmax - s.kmin);
  const epsR = Math.sqrt(ss / n) / kwinAve;
  const w = 2 * s.kweight + 1;
  const scale = Math.sqrt((2 * Math.PI * w) / (s.kstep * (Math.pow(s.kmax, w) - Math.pow(s.kmin, w))));
  return { epsilon_k: scale * epsR, epsilon_r: epsR, settings: s };
}

/**
 * σ of Re χ(R) and Im χ(R) (each) for white noise ε_k per point through the forward transform
 * χ(R) = (δk/√π) Σ kⁿ^w χ(kₙ) Ω(kₙ) e^{2ikₙR}: σ² = (δk²/π) ε_k² Σ kₙ^{2w} Ω(kₙ)² / 2 (R away from 0).
 */
export function chirSigma(
  epsK: number,
  kgrid: ArrayLike<number>,
  kwin: ArrayLike<number>,
  kweight: number,
  kstep = 0.05,
): number {
  let s = 0;
  for (let i = 0; i < kwin.length; i++) s += Math.pow(kgrid[i], 2 * kweight) * kwin[i] * kwin[i];
  return epsK * kstep * Math.sqrt(s / (2 * Math.PI));
}
