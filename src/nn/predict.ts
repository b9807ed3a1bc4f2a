/**
 * The prediction API used by `predict`, `evaluate` and the browser app: an ensemble of members
 * → mean and standard deviation of g(r), N(θ), ρ, and the first-shell distance R1 and
 * coordination number CN, each computed from every member's own g(r) and ρ (σ = spread of the
 * members, sample standard deviation, n − 1).
 */
import { UserError } from '../util/errors.js';
import { ArrayNet } from './arraynet.js';
import { loadNative } from './gemm.js';
import { loadModelDir, type ModelMeta } from './modeldir.js';
import { checkCoverage, columnScales, kWeightedOnGrid, type Normalisation } from './preprocess.js';
import type { Architecture, NetEngine } from './types.js';

export interface EnsembleMember {
  name: string;
  net: NetEngine;
  norm: Normalisation;
  colScale: Float64Array;
}

export interface Ensemble {
  dir: string;
  meta: ModelMeta;
  arch: Architecture;
  k: Float64Array;
  r: Float64Array;
  theta: Float64Array;
  kweight: number;
  members: EnsembleMember[];
}

export interface FirstShell {
  /** first-shell mean distance (centroid of 4πr²ρg over the shell) [Å] */
  r: number;
  /** coordination number ∫ 4πr²ρ g dr over the first shell */
  cn: number;
  /** the integration limits [Å] */
  r_from: number;
  r_to: number;
}

export interface MemberPrediction {
  g: Float32Array;
  bad: Float32Array;
  density: number;
  first_shell: FirstShell;
}

export interface EnsemblePrediction {
  r: Float64Array;
  g: Float64Array;
  g_std: Float64Array;
  theta: Float64Array;
  bad: Float64Array;
  bad_std: Float64Array;
  density: number;
  density_std: number;
  first_shell: { r: number; r_std: number; cn: number; cn_std: number };
  members: MemberPrediction[];
}

/** Build an ensemble from a loaded model (native OpenBLAS forward pass when built, else JS). */
export function ensembleFromModel(dir: string, meta: ModelMeta, params: import('./types.js').Params[]): Ensemble {
  const arch: Architecture = { nIn: meta.architecture.nIn, hidden: meta.architecture.hidden, heads: meta.architecture.heads };
  const nat = loadNative();
  const members = meta.members.map((m, i) => {
    const net = nat ? new ArrayNet(arch, params[i], undefined, nat.sgemm, nat.adam, 'native') : new ArrayNet(arch, params[i]);
    return { name: m.dir, net, norm: m.norm, colScale: columnScales(arch.heads, m.norm.y_scale) };
  });
  return {
    dir,
    meta,
    arch,
    k: Float64Array.from(meta.k),
    r: Float64Array.from(meta.r),
    theta: Float64Array.from(meta.theta),
    kweight: meta.kweight,
    members,
  };
}

/** Load a model directory (checked: format, version, grids, every member present). */
export function loadEnsemble(dir: string): Ensemble {
  const m = loadModelDir(dir);
  return ensembleFromModel(dir, m.meta, m.params);
}

/** Head slices [from, to) of the output layer. */
export function headSlices(arch: Architecture): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  let o = 0;
  for (const h of arch.heads) {
    out[h.name] = [o, o + h.size];
    o += h.size;
  }
  return out;
}

/**
 * Member outputs for n input rows x0 (k^w·χ on the model grid, not standardised):
 * returns per member an n × nOut matrix in physical units.
 */
export function memberOutputs(ens: Ensemble, x0: Float32Array, n: number): Float32Array[] {
  const nIn = ens.arch.nIn;
  return ens.members.map((m) => {
    const x = new Float32Array(n * nIn);
    for (let i = 0; i < n; i++) for (let j = 0; j < nIn; j++) x[i * nIn + j] = (x0[i * nIn + j] - m.norm.x_mean[j]) / m.norm.x_std[j];
    const y = m.net.predict(x, n);
    const nOut = m.norm.y_mean.length;
    for (let i = 0; i < n; i++) for (let j = 0; j < nOut; j++) y[i * nOut + j] = y[i * nOut + j] * m.colScale[j] + m.norm.y_mean[j];
    return y;
  });
}

/**
 * First coordination shell from g(r) and ρ: from the minimum left of the main peak to the first
 * minimum right of it (a local minimum below half the peak height), CN = ∫ 4πr²ρ g dr there
 * (DESIGN.md convention), R1 = the RDF's centroid over the same range. Negative g (possible in a
 * network's output) is clipped to 0.
 */
export function firstShell(r: ArrayLike<number>, g: ArrayLike<number>, rho: number): FirstShell {
  const n = r.length;
  let p = 0;
  for (let i = 1; i < n; i++) if (g[i] > g[p]) p = i;
  let hi = n - 1;
  for (let i = p + 1; i < n - 1; i++)
    if (g[i] <= g[i - 1] && g[i] < g[i + 1] && g[i] < 0.5 * g[p]) {
      hi = i;
      break;
    }
  let lo = 0;
  for (let i = p - 1; i > 0; i--)
    if (g[i] <= g[i + 1] && g[i] < g[i - 1] && g[i] < 0.5 * g[p]) {
      lo = i;
      break;
    }
  let cn = 0;
  let m1 = 0;
  for (let i = lo; i < hi; i++) {
    const dr = r[i + 1] - r[i];
    const a = 4 * Math.PI * r[i] * r[i] * rho * Math.max(0, g[i]);
    const b = 4 * Math.PI * r[i + 1] * r[i + 1] * rho * Math.max(0, g[i + 1]);
    cn += 0.5 * (a + b) * dr;
    m1 += 0.5 * (a * r[i] + b * r[i + 1]) * dr;
  }
  return { r: cn > 0 ? m1 / cn : NaN, cn, r_from: r[lo], r_to: r[hi] };
}

function meanStd(vals: number[]): [number, number] {
  const n = vals.length;
  const m = vals.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return [m, 0];
  const v = vals.reduce((a, b) => a + (b - m) * (b - m), 0) / (n - 1);
  return [m, Math.sqrt(v)];
}

/** Combine member outputs of one sample (row `row` of each matrix) into the ensemble prediction. */
export function combine(ens: Ensemble, outs: Float32Array[], row: number): EnsemblePrediction {
  const sl = headSlices(ens.arch);
  const nOut = ens.members[0].norm.y_mean.length;
  const members: MemberPrediction[] = outs.map((y) => {
    const o = row * nOut;
    const g = y.slice(o + sl.g[0], o + sl.g[1]);
    const bad = y.slice(o + sl.bad[0], o + sl.bad[1]);
    const density = sl.density ? y[o + sl.density[0]] : NaN;
    return { g, bad, density, first_shell: firstShell(ens.r, g, density) };
  });
  const stat = (get: (m: MemberPrediction) => Float32Array, len: number) => {
    const mean = new Float64Array(len);
    const std = new Float64Array(len);
    const tmp: number[] = new Array(members.length);
    for (let j = 0; j < len; j++) {
      for (let i = 0; i < members.length; i++) tmp[i] = get(members[i])[j];
      [mean[j], std[j]] = meanStd(tmp);
    }
    return { mean, std };
  };
  const g = stat((m) => m.g, ens.r.length);
  const bad = stat((m) => m.bad, ens.theta.length);
  const [rho, rhoStd] = meanStd(members.map((m) => m.density));
  const [r1, r1s] = meanStd(members.map((m) => m.first_shell.r));
  const [cn, cns] = meanStd(members.map((m) => m.first_shell.cn));
  return {
    r: ens.r,
    g: g.mean,
    g_std: g.std,
    theta: ens.theta,
    bad: bad.mean,
    bad_std: bad.std,
    density: rho,
    density_std: rhoStd,
    first_shell: { r: r1, r_std: r1s, cn, cn_std: cns },
    members,
  };
}

/**
 * Predict from one χ(k) (not k-weighted) on any ascending k grid covering the model's k range:
 * interpolated to the model grid, k-weighted with the model's w, standardised per member.
 */
export function predictChi(ens: Ensemble, k: ArrayLike<number>, chi: ArrayLike<number>): EnsemblePrediction {
  if (k.length !== chi.length) throw new UserError(`χ(k): k has ${k.length} points but χ has ${chi.length}`);
  for (let i = 0; i < chi.length; i++) if (!Number.isFinite(chi[i])) throw new UserError(`χ(k): value ${i} (k = ${k[i]}) is ${chi[i]}; expected a finite number`);
  checkCoverage(k, ens.k, 'χ(k)');
  const x0 = new Float32Array(ens.arch.nIn);
  kWeightedOnGrid(k, chi, 0, ens.k, ens.kweight, x0, 0);
  return combine(ens, memberOutputs(ens, x0, 1), 0);
}
