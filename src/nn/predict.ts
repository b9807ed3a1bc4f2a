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
import { combine, type EnsemblePrediction } from './combine.js';
import type { Calibration } from './uncertainty.js';

export { headSlices, combine } from './combine.js';
export type { FirstShellEstimate, ShellEstimate, MemberPrediction, EnsemblePrediction } from './combine.js';

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
  /** model.json's calibration, null when the model has none (σ = the bare ensemble spread) */
  calibration: Calibration | null;
}

/** Build an ensemble from a loaded model (native OpenBLAS forward pass when built, else JS). */
export function ensembleFromModel(
  dir: string,
  meta: ModelMeta,
  params: import('./types.js').Params[],
): Ensemble {
  const arch: Architecture = {
    nIn: meta.architecture.nIn,
    hidden: meta.architecture.hidden,
    heads: meta.architecture.heads,
  };
  const nat = loadNative();
  const members = meta.members.map((m, i) => {
    const net = nat
      ? new ArrayNet(arch, params[i], undefined, nat.sgemm, nat.adam, 'native')
      : new ArrayNet(arch, params[i]);
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
    calibration: meta.calibration ?? null,
  };
}

/** Load a model directory (checked: format, version, grids, every member present). */
export function loadEnsemble(dir: string): Ensemble {
  const m = loadModelDir(dir);
  return ensembleFromModel(dir, m.meta, m.params);
}

/**
 * Member outputs for n input rows x0 (k^w·χ on the model grid, not standardised):
 * returns per member an n × nOut matrix in physical units.
 */
export function memberOutputs(ens: Ensemble, x0: Float32Array, n: number): Float32Array[] {
  const nIn = ens.arch.nIn;
  return ens.members.map((m) => {
    const x = new Float32Array(n * nIn);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < nIn; j++) x[i * nIn + j] = (x0[i * nIn + j] - m.norm.x_mean[j]) / m.norm.x_std[j];
    const y = m.net.predict(x, n);
    const nOut = m.norm.y_mean.length;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < nOut; j++) y[i * nOut + j] = y[i * nOut + j] * m.colScale[j] + m.norm.y_mean[j];
    return y;
  });
}

/**
 * Predict from one χ(k) (not k-weighted) on any ascending k grid covering the model's k range:
 * interpolated to the model grid, k-weighted with the model's w, standardised per member.
 */
export function predictChi(ens: Ensemble, k: ArrayLike<number>, chi: ArrayLike<number>): EnsemblePrediction {
  if (k.length !== chi.length) throw new UserError(`χ(k): k has ${k.length} points but χ has ${chi.length}`);
  for (let i = 0; i < chi.length; i++)
    if (!Number.isFinite(chi[i]))
      throw new UserError(`χ(k): value ${i} (k = ${k[i]}) is ${chi[i]}; expected a finite number`);
  checkCoverage(k, ens.k, 'χ(k)');
  const x0 = new Float32Array(ens.arch.nIn);
  kWeightedOnGrid(k, chi, 0, ens.k, ens.kweight, x0, 0);
  return combine(ens, memberOutputs(ens, x0, 1), 0);
}
