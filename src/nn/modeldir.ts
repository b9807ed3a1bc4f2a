/**
 * The model directory (docs/design.md, "Model directories"): model.json with grids, k-weight, normalisation, architecture,
 * training settings, dataset identity, metrics and seeds, plus one sub-folder per ensemble member
 * in the TensorFlow.js layers format (model.json + weights.bin) that tf.loadLayersModel reads in
 * the browser. The heads share the last hidden layer, so they are stored as one linear output
 * layer whose columns are [g(r) | N(θ) | ρ] (model.json "architecture.outputs" gives the slices).
 * Weights may be stored quantized with the tfjs manifest's own scheme (float16, uint16, uint8),
 * dequantized on load by tfjs and by loadModelDir below.
 */
import { mkdirSync, readdirSync, readFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { UserError } from '../util/errors.js';
import type { Normalisation } from './preprocess.js';
import type { Calibration } from './uncertainty.js';
import { type Architecture, type HeadSpec, type Params, layerSizes } from './types.js';

export const MODEL_FORMAT = 'exafsnn-model';
export const MODEL_VERSION = 1;

export type WeightDtype = 'float32' | 'float16' | 'uint16' | 'uint8';

export interface MemberMeta {
  dir: string;
  fold: number;
  seed: number;
  best_epoch: number;
  epochs_run: number;
  best_val_loss: number;
  seconds: number;
  engine: string;
  norm: Normalisation;
  history?: { loss: number[]; val_loss: number[] };
}

export interface ModelMeta {
  format: typeof MODEL_FORMAT;
  version: number;
  created: string;
  generator: string;
  k: number[];
  kweight: number;
  r: number[];
  theta: number[];
  architecture: {
    nIn: number;
    hidden: number[];
    activation: 'relu';
    heads: HeadSpec[];
    outputs: Record<string, [number, number]>;
    parameters: number;
  };
  training: Record<string, unknown>;
  dataset: Record<string, unknown>;
  /** sample indices of the test set and of the calibration split (held out from every member) */
  split: { n: number; test_fraction: number; folds: number; test: number[]; calibration?: number[] };
  metrics: Record<string, unknown>;
  seed: number;
  weights: { dtype: WeightDtype };
  members: MemberMeta[];
  /** uncertainty calibration (src/nn/uncertainty.ts, docs/nn.md "Uncertainty"); absent: σ uncalibrated */
  calibration?: Calibration;
}

// ---- float16 -------------------------------------------------------------------------------
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of x, rounded to nearest even. */
export function toFloat16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // a carry into the exponent is still correct
  return sign | h;
}

export function fromFloat16Bits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

// ---- tfjs layers artifacts -----------------------------------------------------------------
interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: {
    dtype: 'float16' | 'uint8' | 'uint16';
    scale?: number;
    min?: number;
    original_dtype?: string;
  };
}

function encodeTensor(
  name: string,
  shape: number[],
  v: Float32Array,
  dtype: WeightDtype,
): { spec: WeightSpec; bytes: Uint8Array } {
  if (dtype === 'float32')
    return {
      spec: { name, shape, dtype: 'float32' },
      bytes: new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)),
    };
  if (dtype === 'float16') {
    const q = new Uint16Array(v.length);
    for (let i = 0; i < v.length; i++) q[i] = toFloat16Bits(v[i]);
    return {
      spec: { name, shape, dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } },
      bytes: new Uint8Array(q.buffer),
    };
  }
  const levels = dtype === 'uint8' ? 255 : 65535;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < lo) lo = v[i];
    if (v[i] > hi) hi = v[i];
  }
  if (!(hi > lo)) hi = lo + 1e-12;
  const scale = (hi - lo) / levels;
  const q = dtype === 'uint8' ? new Uint8Array(v.length) : new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) q[i] = Math.max(0, Math.min(levels, Math.round((v[i] - lo) / scale)));
  const bytes = new Uint8Array(q.buffer);
  return {
    spec: {
      name,
      shape,
      dtype: 'float32',
      quantization: { dtype, scale, min: lo, original_dtype: 'float32' },
    },
    bytes,
  };
}

function decodeTensor(
  spec: WeightSpec,
  buf: Uint8Array,
  off: number,
  file: string,
): { v: Float32Array; bytes: number } {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const q = spec.quantization;
  const bpv = !q ? 4 : q.dtype === 'uint8' ? 1 : 2;
  const bytes = n * bpv;
  if (off + bytes > buf.length)
    throw new UserError(`${file}: weights.bin is too short for ${spec.name} (${spec.shape.join('×')})`);
  const chunk = buf.slice(off, off + bytes);
  let v: Float32Array;
  if (!q) v = new Float32Array(chunk.buffer);
  else if (q.dtype === 'float16') {
    const h = new Uint16Array(chunk.buffer);
    v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = fromFloat16Bits(h[i]);
  } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    const a = q.dtype === 'uint8' ? chunk : new Uint16Array(chunk.buffer);
    v = new Float32Array(n);
    const scale = q.scale ?? NaN;
    const min = q.min ?? NaN;
    for (let i = 0; i < n; i++) v[i] = a[i] * scale + min;
  } else
    throw new UserError(`${file}: unknown quantization ${(q as { dtype: string }).dtype} for ${spec.name}`);
  return { v, bytes };
}

/** The tfjs layers-model artifacts (topology + manifest + weight bytes) of one member. */
export function memberArtifacts(
  arch: Architecture,
  p: Params,
  dtype: WeightDtype,
): { json: Record<string, unknown>; weights: Uint8Array } {
  const sizes = layerSizes(arch);
  const layers: Record<string, unknown>[] = [];
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const name = l + 2 < sizes.length ? `hidden_${l + 1}` : 'heads';
    const config: Record<string, unknown> = {
      name,
      trainable: true,
      dtype: 'float32',
      units: sizes[l + 1],
      activation: l + 2 < sizes.length ? 'relu' : 'linear',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
    if (l === 0) config.batch_input_shape = [null, sizes[0]];
    layers.push({ class_name: 'Dense', config });
    const k = encodeTensor(`${name}/kernel`, [sizes[l], sizes[l + 1]], p.W[l], dtype);
    const b = encodeTensor(`${name}/bias`, [sizes[l + 1]], p.b[l], dtype);
    specs.push(k.spec, b.spec);
    parts.push(k.bytes, b.bytes);
  }
  const total = parts.reduce((s, x) => s + x.length, 0);
  const weights = new Uint8Array(total);
  let o = 0;
  for (const x of parts) {
    weights.set(x, o);
    o += x.length;
  }
  const json = {
    format: 'layers-model',
    generatedBy: 'exafsnn',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'exafsnn_member', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  return { json, weights };
}

/** Write the model directory atomically (into a temp folder, renamed at the end). */
export function saveModelDir(dir: string, meta: ModelMeta, params: Params[]): void {
  const abs = resolve(dir);
  if (existsSync(abs) && !statSync(abs).isDirectory())
    throw new UserError(`--out ${dir}: exists and is not a directory`);
  if (existsSync(join(abs, 'model.json')) || (existsSync(abs) && !isEmptyDir(abs))) {
    if (!existsSync(join(abs, 'model.json')))
      throw new UserError(
        `--out ${dir}: exists, is not empty and is not a model directory; refusing to overwrite`,
      );
  }
  const tmp = `${abs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const arch: Architecture = {
    nIn: meta.architecture.nIn,
    hidden: meta.architecture.hidden,
    heads: meta.architecture.heads,
  };
  meta.members.forEach((m, i) => {
    const sub = join(tmp, m.dir);
    mkdirSync(sub);
    const a = memberArtifacts(arch, params[i], meta.weights.dtype);
    writeFileAtomic(join(sub, 'weights.bin'), a.weights);
    writeFileAtomic(join(sub, 'model.json'), JSON.stringify(a.json));
  });
  writeFileAtomic(join(tmp, 'model.json'), JSON.stringify(meta, null, 1));
  // replace an older model directory only once the new one is complete
  if (existsSync(abs)) {
    const old = `${abs}.old-${process.pid}`;
    renameSync(abs, old);
    renameSync(tmp, abs);
    rmSync(old, { recursive: true, force: true });
  } else renameSync(tmp, abs);
}

function isEmptyDir(d: string): boolean {
  try {
    return readdirSync(d).length === 0;
  } catch {
    return false;
  }
}

export interface LoadedModel {
  dir: string;
  meta: ModelMeta;
  params: Params[];
}

function arr(x: unknown, name: string, file: string, len?: number): number[] {
  if (!Array.isArray(x) || x.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    throw new UserError(`${file}: "${name}" must be an array of finite numbers`);
  if (len !== undefined && x.length !== len)
    throw new UserError(`${file}: "${name}" has ${x.length} entries, expected ${len}`);
  return x as number[];
}

/** Read and check a model directory; every inconsistency is a UserError naming the file. */
export function loadModelDir(dir: string): LoadedModel {
  const file = join(dir, 'model.json');
  if (!existsSync(file)) throw new UserError(`${dir}: not a model directory (model.json missing)`);
  let meta: ModelMeta;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8')) as ModelMeta;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (meta.format !== MODEL_FORMAT)
    throw new UserError(`${file}: "format" is ${JSON.stringify(meta.format)}, expected "${MODEL_FORMAT}"`);
  if (meta.version !== MODEL_VERSION)
    throw new UserError(
      `${file}: model format version ${meta.version}, this exafsnn reads version ${MODEL_VERSION}; retrain or upgrade`,
    );
  const a = meta.architecture;
  if (!a || !Array.isArray(a.hidden) || !Array.isArray(a.heads))
    throw new UserError(`${file}: "architecture" missing or malformed`);
  const k = arr(meta.k, 'k', file);
  arr(meta.r, 'r', file);
  arr(meta.theta, 'theta', file);
  if (k.length !== a.nIn)
    throw new UserError(
      `${file}: the k grid has ${k.length} points but the network input has ${a.nIn}: grid changed?`,
    );
  const headSize = (n: string) => a.heads.find((h) => h.name === n)?.size;
  if (headSize('g') !== meta.r.length)
    throw new UserError(
      `${file}: the r grid has ${meta.r.length} points but the g(r) head has ${headSize('g')}: grid changed?`,
    );
  if (headSize('bad') !== meta.theta.length)
    throw new UserError(
      `${file}: the θ grid has ${meta.theta.length} points but the N(θ) head has ${headSize('bad')}: grid changed?`,
    );
  for (const h of a.heads) {
    if (typeof h.name !== 'string' || !Number.isInteger(h.size) || h.size < 1)
      throw new UserError(`${file}: a head in "architecture.heads" has no name or size`);
    if (h.columns !== undefined && (!Array.isArray(h.columns) || h.columns.length !== h.size))
      throw new UserError(
        `${file}: head "${h.name}" has ${h.size} outputs but names ${Array.isArray(h.columns) ? h.columns.length : 'no'} columns`,
      );
  }
  if (!Array.isArray(meta.members) || meta.members.length === 0)
    throw new UserError(`${file}: no ensemble members listed`);
  const arch: Architecture = { nIn: a.nIn, hidden: a.hidden, heads: a.heads };
  const sizes = layerSizes(arch);
  const nOut = sizes[sizes.length - 1];
  const params: Params[] = [];
  for (const m of meta.members) {
    const sub = join(dir, m.dir);
    const mj = join(sub, 'model.json');
    const wb = join(sub, 'weights.bin');
    if (!existsSync(mj) || !existsSync(wb))
      throw new UserError(
        `${dir}: ensemble member "${m.dir}" is missing (${existsSync(mj) ? wb : mj} not found); the model directory is incomplete`,
      );
    arr(m.norm?.x_mean, `members[${m.dir}].norm.x_mean`, file, a.nIn);
    arr(m.norm?.x_std, `members[${m.dir}].norm.x_std`, file, a.nIn);
    arr(m.norm?.y_mean, `members[${m.dir}].norm.y_mean`, file, nOut);
    arr(m.norm?.y_scale, `members[${m.dir}].norm.y_scale`, file, a.heads.length);
    let tj: { weightsManifest?: { paths: string[]; weights: WeightSpec[] }[] };
    try {
      tj = JSON.parse(readFileSync(mj, 'utf8'));
    } catch (e) {
      throw new UserError(`${mj}: not valid JSON (${(e as Error).message})`);
    }
    const specs = tj.weightsManifest?.[0]?.weights;
    if (!specs || specs.length !== 2 * (sizes.length - 1))
      throw new UserError(
        `${mj}: expected ${2 * (sizes.length - 1)} weight tensors for layers ${sizes.join('→')}, found ${specs?.length ?? 0}`,
      );
    const buf = new Uint8Array(readFileSync(wb));
    const W: Float32Array[] = [];
    const b: Float32Array[] = [];
    let off = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const ks = specs[2 * l];
      const bs = specs[2 * l + 1];
      if (ks.shape.length !== 2 || ks.shape[0] !== sizes[l] || ks.shape[1] !== sizes[l + 1])
        throw new UserError(
          `${mj}: ${ks.name} has shape [${ks.shape}], expected [${sizes[l]}, ${sizes[l + 1]}] from model.json's grids and architecture`,
        );
      if (bs.shape.length !== 1 || bs.shape[0] !== sizes[l + 1])
        throw new UserError(`${mj}: ${bs.name} has shape [${bs.shape}], expected [${sizes[l + 1]}]`);
      const kd = decodeTensor(ks, buf, off, mj);
      off += kd.bytes;
      const bd = decodeTensor(bs, buf, off, mj);
      off += bd.bytes;
      W.push(kd.v);
      b.push(bd.v);
    }
    if (off !== buf.length)
      throw new UserError(`${wb}: ${buf.length} bytes but the manifest describes ${off}`);
    params.push({ W, b });
  }
  return { dir, meta, params };
}
