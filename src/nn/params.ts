/**
 * Parameter initialisation and per-output loss weights, shared by every engine so that the same
 * seed gives the same initial network whichever engine trains it.
 */
import { Rng } from '../util/rng.js';
import { type Architecture, type Params, layerSizes } from './types.js';
import { UserError } from '../util/errors.js';

/**
 * Glorot (Xavier) uniform weights, limit √(6/(fan_in+fan_out)) — the Keras default the paper's
 * networks used — and zero biases. Seeded: the same seed gives the same numbers on any platform.
 */
export function initParams(arch: Architecture, seed: number): Params {
  const sizes = layerSizes(arch);
  const rng = new Rng(seed);
  const W: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fin = sizes[l];
    const fout = sizes[l + 1];
    const lim = Math.sqrt(6 / (fin + fout));
    const w = new Float32Array(fin * fout);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * lim;
    W.push(w);
    b.push(new Float32Array(fout));
  }
  return { W, b };
}

export function cloneParams(p: Params): Params {
  return { W: p.W.map((w) => w.slice()), b: p.b.map((x) => x.slice()) };
}

export function countParams(p: Params): number {
  let s = 0;
  for (let l = 0; l < p.W.length; l++) s += p.W[l].length + p.b[l].length;
  return s;
}

/**
 * Loss weight of each output column: head weight / head size, so that the loss is
 * Σ_heads weight_h · (mean squared error of head h), each head's MSE averaged over its columns.
 */
export function columnWeights(arch: Architecture): Float32Array {
  const n = arch.heads.reduce((s, h) => s + h.size, 0);
  const c = new Float32Array(n);
  let o = 0;
  for (const h of arch.heads) {
    for (let j = 0; j < h.size; j++) c[o + j] = h.weight / h.size;
    o += h.size;
  }
  return c;
}

/** Parse "1000x4" or "1000,500,200" into hidden layer sizes. */
export function parseHidden(spec: string): number[] {
  const s = spec.trim();
  const m = /^(\d+)x(\d+)$/i.exec(s);
  let out: number[];
  if (m) out = new Array<number>(Number(m[2])).fill(Number(m[1]));
  else
    out = s
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
  if (out.length === 0 || out.some((x) => !Number.isInteger(x) || x < 1))
    throw new UserError(`hidden layers: expected e.g. "1000x4" or "1000,500,200", got "${spec}"`);
  return out;
}
