/**
 * AUTOBK background removal (Newville, Līviņš, Yacoby, Rehr & Stern, Phys. Rev. B 47, 14126 (1993)),
 * with the choices and defaults of Larch's `autobk` (xraylarch 0.9.58, larch/xafs/autobk.py):
 *  - μ0(E) is a cubic B-spline in k with nspl = 1 + ⌊2·rbkg·(kmax−kmin)/π⌋ coefficients (5 ≤ nspl ≤ 128),
 *    its knots those of the not-a-knot spline through nspl points spaced evenly in k, started from
 *    a smoothed μ at those points;
 *  - χ(k) = (μ − μ0) interpolated (not-a-knot cubic, as scipy's UnivariateSpline(s=0)) onto
 *    k = 0, kstep, …, kmax; the coefficients minimise the low-R part (the first irbkg points,
 *    R < rbkg) of |FT[k^w Ω(k) χ(k)]|², plus the clamps: clamp_lo·s·χ and clamp_hi·s·χ at the first
 *    and last nclamp k points, s = 1 + 100·⟨FT²⟩;
 *  - χ(k) is finally divided by the edge step.
 * Everything but the clamp scale s is linear in the spline coefficients, so the residual and its
 * exact Jacobian come from a few precomputed small matrices and Levenberg–Marquardt converges in
 * a handful of iterations (Larch uses MINPACK with finite differences).
 */
import { ETOK } from './constants.js';
import { indexOf, indexNearest } from './numeric.js';
import { bsplineBasis, interpolatingBspline, NotAKnotInterpolator } from './spline.js';
import { ftwindow } from './window.js';
import { levenbergMarquardt } from './lm.js';
import { UserError } from '../util/errors.js';

export interface AutobkOptions {
  /** R below which χ(R) is minimised, Å (default 1) */
  rbkg?: number;
  /** number of spline coefficients (default from rbkg and the k range) */
  nknots?: number;
  /** k range of the spline, Å⁻¹ (default 0 to the end of the data) */
  kmin?: number;
  kmax?: number;
  /** k weight of the FT in the fit (default 2 as in docs/design.md; Larch's own default is 1) */
  kweight?: number;
  /** window taper (default 0.1) and shape (default hanning) */
  dk?: number;
  window?: string;
  nfft?: number;
  kstep?: number;
  /** clamps (Larch defaults: nclamp 3, clamp_lo 0, clamp_hi 1) */
  nclamp?: number;
  clamp_lo?: number;
  clamp_hi?: number;
}

export interface AutobkResult {
  /** background μ0(E) on the input energies (equal to μ below E0) */
  bkg: Float64Array;
  /** χ(E) = (μ − μ0)/edge_step on the input energies */
  chie: Float64Array;
  k: Float64Array;
  chi: Float64Array;
  /** spline knots (k, Å⁻¹) and final coefficients */
  knots: Float64Array;
  coefs: Float64Array;
  nspl: number;
  irbkg: number;
  kmin: number;
  kmax: number;
  /** largest k of the data */
  kmax_data: number;
  iterations: number;
  /** ‖residual‖² at the minimum */
  chi2: number;
}

export function autobk(
  energy: Float64Array,
  mu: Float64Array,
  e0: number,
  edgeStep: number,
  opts: AutobkOptions = {},
): AutobkResult {
  const kstep = opts.kstep ?? 0.05;
  const nfft = opts.nfft ?? 2048;
  const kw = opts.kweight ?? 2;
  const dk = opts.dk ?? 0.1;
  const nclamp = Math.max(0, Math.round(opts.nclamp ?? 3));
  const clampLo = Math.abs(opts.clamp_lo ?? 0);
  const clampHi = Math.abs(opts.clamp_hi ?? 1);
  const kmin = opts.kmin ?? 0;
  const rgrid = Math.PI / (kstep * nfft);
  let rbkg = opts.rbkg ?? 1;
  if (rbkg < 2 * rgrid) rbkg = 2 * rgrid;

  const ne = energy.length;
  const ie0 = indexOf(energy, e0);
  const nk = ne - ie0;
  const kraw = new Float64Array(nk);
  let kdata = -Infinity;
  for (let i = 0; i < nk; i++) {
    const d = energy[ie0 + i] - e0;
    kraw[i] = Math.sign(d) * Math.sqrt(ETOK * Math.abs(d));
    kdata = Math.max(kdata, kraw[i]);
  }
  const kmax = opts.kmax === undefined ? kdata : Math.max(0, Math.min(kdata, opts.kmax));
  if (!(kmax - kmin >= 1))
    throw new UserError(
      `AUTOBK: the spline k range ${kmin.toFixed(2)}–${kmax.toFixed(2)} Å⁻¹ is too short (kmin must lie at least 1 Å⁻¹ below kmax and the end of the data)`,
    );
  const nout = Math.trunc(1.01 + kmax / kstep);
  const kout = new Float64Array(nout);
  for (let i = 0; i < nout; i++) kout[i] = kstep * i;
  const iemax = Math.min(ne, 2 + indexOf(energy, e0 + (kmax * kmax) / ETOK)) - 1;
  const nraw = iemax - ie0 + 1;
  const kr = kraw.subarray(0, nraw);
  const muR = mu.subarray(ie0, iemax + 1);

  const win = ftwindow(kout, { xmin: kmin, xmax: kmax, window: opts.window ?? 'hanning', dx: dk, dx2: dk });
  const ftwin = new Float64Array(nout);
  for (let i = 0; i < nout; i++) ftwin[i] = Math.pow(kout[i], kw) * win[i];

  let nspl = 1 + Math.trunc((2 * rbkg * (kmax - kmin)) / Math.PI);
  const irbkg = Math.trunc(1 + ((nspl - 1) * Math.PI) / (2 * rgrid * (kmax - kmin)));
  if (opts.nknots !== undefined) nspl = Math.round(opts.nknots);
  nspl = Math.max(5, Math.min(128, nspl));

  // initial knot positions and values: smoothed μ at nspl points evenly spaced in k
  const splK: number[] = [];
  const splY: number[] = [];
  for (let i = 0; i < nspl; i++) {
    const q = kmin + (i * (kmax - kmin)) / (nspl - 1);
    const ik = indexNearest(kraw, q);
    const i1 = Math.min(nk - 1, ik + 5);
    const i2 = Math.max(0, ik - 5);
    if (splK.length && kraw[ik] <= splK[splK.length - 1]) continue; // sparse data: skip a repeated point
    splK.push(kraw[ik]);
    splY.push((2 * mu[ik + ie0] + mu[i1 + ie0] + mu[i2 + ie0]) / 4);
  }
  nspl = splK.length;
  if (nspl < 4)
    throw new UserError(
      `AUTOBK: only ${nspl} distinct spline points above E0; the data do not extend far enough above the edge`,
    );
  const init = interpolatingBspline(splK, splY);
  const t = init.t;

  // basis matrix on the raw k points and its interpolation onto kout (column j = I(B_j))
  const interp = new NotAKnotInterpolator(kr, kout);
  const col = new Float64Array(nraw);
  const G = new Float64Array(nout * nspl); // row-major nout × nspl
  const GT = new Float64Array(nspl * nout); // the same, column j contiguous
  const tmp = new Float64Array(nout);
  const Bm = new Float64Array(nraw * 4);
  const Bf = new Int32Array(nraw);
  const bb = new Float64Array(4);
  for (let i = 0; i < nraw; i++) {
    Bf[i] = bsplineBasis(t, nspl, kr[i], bb);
    Bm.set(bb, 4 * i);
  }
  for (let j = 0; j < nspl; j++) {
    col.fill(0);
    for (let i = 0; i < nraw; i++) {
      const off = j - Bf[i];
      if (off >= 0 && off < 4) col[i] = Bm[4 * i + off];
    }
    interp.apply(col, tmp);
    GT.set(tmp, j * nout);
    for (let o = 0; o < nout; o++) G[o * nspl + j] = tmp[o];
  }
  const chiMu = interp.apply(muR, new Float64Array(nout));

  // low-R FT rows (real, imag interleaved) of ftwin ⊙ (chiMu − G c): out = a − Q c
  const nft = 2 * irbkg;
  const s = kstep / Math.sqrt(Math.PI);
  const a = new Float64Array(nft);
  const Q = new Float64Array(nft * nspl);
  const cosT = new Float64Array(nfft);
  const sinT = new Float64Array(nfft);
  for (let q = 0; q < nfft; q++) {
    cosT[q] = Math.cos((2 * Math.PI * q) / nfft);
    sinT[q] = Math.sin((2 * Math.PI * q) / nfft);
  }
  const wcv = new Float64Array(nout);
  const wsv = new Float64Array(nout);
  for (let m = 0; m < irbkg; m++) {
    let ac = 0;
    let as = 0;
    for (let o = 0; o < nout; o++) {
      const ph = (o * m) % nfft;
      const wc = s * ftwin[o] * cosT[ph];
      const ws = -s * ftwin[o] * sinT[ph];
      wcv[o] = wc;
      wsv[o] = ws;
      ac += wc * chiMu[o];
      as += ws * chiMu[o];
    }
    a[2 * m] = ac;
    a[2 * m + 1] = as;
    const rowC = 2 * m * nspl;
    const rowS = rowC + nspl;
    for (let j = 0; j < nspl; j++) {
      const off = j * nout;
      let qc = 0;
      let qs = 0;
      for (let o = 0; o < nout; o++) {
        const gv = GT[off + o];
        qc += wcv[o] * gv;
        qs += wsv[o] * gv;
      }
      Q[rowC + j] = qc;
      Q[rowS + j] = qs;
    }
  }
  // clamp rows: chi at the first and last nclamp k points, weights clamp_lo / clamp_hi
  const nc = Math.min(nclamp, nout);
  const clampRows: Array<{ o: number; w: number }> = [];
  if (nc > 0) {
    for (let i = 0; i < nc; i++) clampRows.push({ o: i, w: clampLo });
    for (let i = 0; i < nc; i++) clampRows.push({ o: nout - nc + i, w: clampHi });
  }
  const mres = nft + clampRows.length;
  const out = new Float64Array(nft);
  const dsdc = new Float64Array(nspl);

  const result = levenbergMarquardt(
    {
      n: nspl,
      m: mres,
      evaluate(c, r, J) {
        let ms = 0;
        for (let q = 0; q < nft; q++) {
          let v = a[q];
          const row = q * nspl;
          for (let j = 0; j < nspl; j++) v -= Q[row + j] * c[j];
          out[q] = v;
          r[q] = v;
          ms += v * v;
        }
        const scale = 1 + (100 * ms) / nft;
        if (J) {
          for (let q = 0; q < nft * nspl; q++) J[q] = -Q[q];
          // ∂scale/∂c_j = (200/nft) Σ_q out_q (−Q_qj)
          dsdc.fill(0);
          for (let q = 0; q < nft; q++) {
            const f = (-200 * out[q]) / nft;
            const row = q * nspl;
            for (let j = 0; j < nspl; j++) dsdc[j] += f * Q[row + j];
          }
        }
        for (let k = 0; k < clampRows.length; k++) {
          const { o, w } = clampRows[k];
          let chiO = chiMu[o];
          const grow = o * nspl;
          for (let j = 0; j < nspl; j++) chiO -= G[grow + j] * c[j];
          r[nft + k] = w * scale * chiO;
          if (J) {
            const jrow = (nft + k) * nspl;
            for (let j = 0; j < nspl; j++) J[jrow + j] = w * (-scale * G[grow + j] + chiO * dsdc[j]);
          }
        }
      },
    },
    init.c,
    { maxIterations: 100 },
  );
  const c = result.p;

  const bkg = Float64Array.from(mu);
  for (let i = 0; i < nraw; i++) {
    const f = Bf[i];
    bkg[ie0 + i] =
      c[f] * Bm[4 * i] + c[f + 1] * Bm[4 * i + 1] + c[f + 2] * Bm[4 * i + 2] + c[f + 3] * Bm[4 * i + 3];
  }
  const chie = new Float64Array(ne);
  for (let i = 0; i < ne; i++) chie[i] = (mu[i] - bkg[i]) / edgeStep;
  const chi = new Float64Array(nout);
  for (let o = 0; o < nout; o++) {
    let v = chiMu[o];
    const grow = o * nspl;
    for (let j = 0; j < nspl; j++) v -= G[grow + j] * c[j];
    chi[o] = v / edgeStep;
  }
  return {
    bkg,
    chie,
    k: kout,
    chi,
    knots: t,
    coefs: c,
    nspl,
    irbkg,
    kmin,
    kmax,
    kmax_data: kdata,
    iterations: result.iterations,
    chi2: result.chi2,
  };
}
