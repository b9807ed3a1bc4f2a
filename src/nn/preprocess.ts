/**
 * Network input and target scaling. Input: k^w·χ(k) on the model's k grid, standardised per
 * k point with the mean and standard deviation of the member's training split only. Targets:
 * g(r), N(θ), ρ concatenated; each column centred on its training mean and each head divided by
 * one scale (the RMS of its centred values), so the scaled MSE is proportional to the physical
 * MSE of the head and bins with no variance (g = 0 below the first shell) are not blown up.
 */
import { UserError } from '../util/errors.js';
import type { HeadSpec } from './types.js';
import { ETOK } from '../util/physics.js';


/** Linear interpolation of (xs, ys) at xq (xs ascending); throws outside the range. */
export function interpInto(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  xq: ArrayLike<number>,
  out: Float32Array | Float64Array,
  ysOffset = 0,
): void {
  const n = xs.length;
  let j = 0;
  for (let i = 0; i < xq.length; i++) {
    const x = xq[i];
    if (!(x >= xs[0] - 1e-9 && x <= xs[n - 1] + 1e-9))
      throw new RangeError(`x = ${x} outside [${xs[0]}, ${xs[n - 1]}]`);
    while (j < n - 2 && xs[j + 1] < x) j++;
    while (j > 0 && xs[j] > x) j--;
    const x0 = xs[j];
    const x1 = xs[j + 1];
    const t = x1 > x0 ? Math.min(1, Math.max(0, (x - x0) / (x1 - x0))) : 0;
    out[i] = ys[ysOffset + j] * (1 - t) + ys[ysOffset + j + 1] * t;
  }
}

/** Check that (k, χ) covers the model's k grid; a clear error otherwise. */
export function checkCoverage(k: ArrayLike<number>, modelK: ArrayLike<number>, what = 'χ(k)'): void {
  if (k.length < 2) throw new UserError(`${what}: needs at least 2 k points, got ${k.length}`);
  for (let i = 1; i < k.length; i++)
    if (!(k[i] > k[i - 1]))
      throw new UserError(
        `${what}: k must be strictly ascending (k[${i - 1}] = ${k[i - 1]}, k[${i}] = ${k[i]})`,
      );
  const k0 = modelK[0];
  const k1 = modelK[modelK.length - 1];
  if (k[0] > k0 + 1e-6 || k[k.length - 1] < k1 - 1e-6)
    throw new UserError(
      `${what} covers k = ${k[0].toFixed(3)}…${k[k.length - 1].toFixed(3)} Å⁻¹ but the model needs ${k0.toFixed(3)}…${k1.toFixed(3)} Å⁻¹; ` +
        `measure/extract χ(k) over the model's range or use a model trained on a shorter k range`,
    );
}

/**
 * k^w·χ on the model grid for one spectrum (χ given on grid k). With dE ≠ 0 the energy origin is
 * shifted: χ is evaluated at k' = √(k² + ETOK·ΔE) (docs/design.md, "ΔE sign"; ETOK from src/util/physics.ts).
 */
export function kWeightedOnGrid(
  k: ArrayLike<number>,
  chi: ArrayLike<number>,
  chiOffset: number,
  modelK: Float64Array,
  kweight: number,
  out: Float32Array,
  outOffset = 0,
  dE = 0,
  scratch?: Float64Array,
): void {
  const nk = modelK.length;
  const q = scratch ?? new Float64Array(nk);
  const tmp = new Float64Array(nk);
  for (let i = 0; i < nk; i++)
    q[i] = dE === 0 ? modelK[i] : Math.sqrt(Math.max(0, modelK[i] * modelK[i] + ETOK * dE));
  interpInto(k, chi, q, tmp, chiOffset);
  for (let i = 0; i < nk; i++) out[outOffset + i] = Math.pow(modelK[i], kweight) * tmp[i];
}

export interface Normalisation {
  /** per input feature */
  x_mean: number[];
  x_std: number[];
  /** per output column */
  y_mean: number[];
  /** per head (same order as architecture.heads) */
  y_scale: number[];
}

/** Mean and std per column of rows `idx` of an n × m matrix; std floored to keep division sane. */
export function columnStats(
  a: Float32Array,
  m: number,
  idx: ArrayLike<number>,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(m);
  const sq = new Float64Array(m);
  for (let t = 0; t < idx.length; t++) {
    const o = idx[t] * m;
    for (let j = 0; j < m; j++) mean[j] += a[o + j];
  }
  for (let j = 0; j < m; j++) mean[j] /= Math.max(1, idx.length);
  for (let t = 0; t < idx.length; t++) {
    const o = idx[t] * m;
    for (let j = 0; j < m; j++) {
      const d = a[o + j] - mean[j];
      sq[j] += d * d;
    }
  }
  const std = new Float64Array(m);
  let maxStd = 0;
  for (let j = 0; j < m; j++) {
    std[j] = Math.sqrt(sq[j] / Math.max(1, idx.length));
    if (std[j] > maxStd) maxStd = std[j];
  }
  const floor = Math.max(maxStd * 1e-3, 1e-12);
  for (let j = 0; j < m; j++) if (std[j] < floor) std[j] = floor;
  return { mean, std };
}

/** Target normalisation from training rows: column means, one RMS scale per head. */
export function targetStats(
  y: Float32Array,
  heads: HeadSpec[],
  idx: ArrayLike<number>,
): { y_mean: number[]; y_scale: number[] } {
  const m = heads.reduce((s, h) => s + h.size, 0);
  const { mean } = columnStats(y, m, idx);
  const y_scale: number[] = [];
  let o = 0;
  for (const h of heads) {
    let s = 0;
    for (let t = 0; t < idx.length; t++) {
      const r = idx[t] * m;
      for (let j = o; j < o + h.size; j++) {
        const d = y[r + j] - mean[j];
        s += d * d;
      }
    }
    let rms = Math.sqrt(s / Math.max(1, idx.length * h.size));
    if (!(rms > 1e-12)) {
      // no variance in the training targets of this head (e.g. one density only): keep units
      let am = 0;
      for (let j = o; j < o + h.size; j++) am = Math.max(am, Math.abs(mean[j]));
      rms = am > 0 ? am : 1;
    }
    y_scale.push(rms);
    o += h.size;
  }
  return { y_mean: Array.from(mean), y_scale };
}

/** Standardise inputs in place (rows × nIn). */
export function standardiseX(x: Float32Array, rows: number, norm: Normalisation): void {
  const m = norm.x_mean.length;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < m; j++) x[i * m + j] = (x[i * m + j] - norm.x_mean[j]) / norm.x_std[j];
}

/** Column → head-scale lookup. */
export function columnScales(heads: HeadSpec[], y_scale: number[]): Float64Array {
  const m = heads.reduce((s, h) => s + h.size, 0);
  const c = new Float64Array(m);
  let o = 0;
  heads.forEach((h, i) => {
    for (let j = 0; j < h.size; j++) c[o + j] = y_scale[i];
    o += h.size;
  });
  return c;
}

export function scaleY(y: Float32Array, rows: number, norm: Normalisation, colScale: Float64Array): void {
  const m = norm.y_mean.length;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < m; j++) y[i * m + j] = (y[i * m + j] - norm.y_mean[j]) / colScale[j];
}

export function unscaleY(y: Float32Array, rows: number, norm: Normalisation, colScale: Float64Array): void {
  const m = norm.y_mean.length;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < m; j++) y[i * m + j] = y[i * m + j] * colScale[j] + norm.y_mean[j];
}
