/**
 * Read an exafsnn HDF5 dataset (src/dataset) into the in-memory TrainingData of this stage.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../util/errors.js';
import { readDataset } from '../dataset/index.js';
import { validateData } from './data.js';
import type { TrainingData } from './types.js';

/** Every numeric /meta column as float32 labels (targets of heads that name `columns`). */
function numericLabels(meta: Record<string, unknown>, n: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, col] of Object.entries(meta))
    if (ArrayBuffer.isView(col) && (col as unknown as ArrayLike<number>).length === n)
      out[name] = Float32Array.from(col as unknown as ArrayLike<number>);
  return out;
}

export async function readTrainingData(path: string): Promise<TrainingData> {
  const d = await readDataset(path);
  const meta = d.meta as unknown as Record<string, unknown>;
  const dens = meta.density as ArrayLike<number> | undefined;
  if (!dens) throw new UserError(`${path}: /meta/density missing (needed for coordination numbers)`);
  const structure = (meta.structure as string[] | undefined) ?? new Array<string>(d.n).fill('unknown');
  const h = createHash('sha256');
  h.update(new Uint8Array(d.chi.buffer, d.chi.byteOffset, Math.min(d.chi.byteLength, 1 << 22)));
  const st = statSync(path);
  const data: TrainingData = {
    n: d.n,
    k: d.k,
    chi: d.chi,
    r: d.r,
    gr: d.gr,
    theta: d.theta,
    bad: d.bad,
    density: Float32Array.from(dens),
    structure: Array.from(structure, String),
    labels: numericLabels(meta, d.n),
    identity: {
      file: basename(path),
      bytes: st.size,
      chi_sha256_head: h.digest('hex').slice(0, 16),
      attrs: d.attrs,
    },
  };
  validateData(data, path);
  return data;
}
