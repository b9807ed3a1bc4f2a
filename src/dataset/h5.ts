/**
 * HDF5 storage of a dataset (docs/design.md, "Datasets"), through h5wasm (the HDF5 C library compiled to
 * WebAssembly; in Node it reads and writes the host filesystem directly).
 *
 * Layout (h5py reads it):
 *   /chi   [n, nk] float32   χ(k), dimensionless, not k-weighted
 *   /k     [nk]    float64   Å⁻¹
 *   /gr    [n, nr] float32   g(r), → 1 at large r
 *   /r     [nr]    float64   Å
 *   /bad   [n, nθ] float32   N(θ), per degree, ∫N(θ)dθ = ⟨n(n−1)/2⟩
 *   /theta [nθ]    float64   degrees
 *   /meta/<column> [n]       one value per sample (strings are fixed-length ASCII, 16 bytes)
 *   root attributes: generator, version, spec (JSON), spec_hash, tables (JSON), … (strings/numbers)
 *
 * Writes stream row blocks into chunked, extensible datasets of a file under a temporary name,
 * which is fsynced and renamed onto the target only when complete, so a reader never sees a
 * half-written dataset and peak memory does not grow with the number of samples.
 */
import h5wasm from 'h5wasm/node';
import {
  openSync,
  fstatSync,
  readSync,
  fsyncSync,
  closeSync,
  renameSync,
  unlinkSync,
  existsSync,
  statSync,
  accessSync,
  constants,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { tempPathFor } from '../util/atomic.js';
import { UserError, FileFormatError } from '../util/errors.js';

/** A per-sample column: numbers in a typed array, or short ASCII strings. */
export type MetaColumn = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | string[];
export type MetaKind = 'f8' | 'f4' | 'i4' | 'u4' | 'u1' | 'str';

/** Per-sample metadata columns. The named ones are always present in files made by `dataset generate`. */
export interface DatasetMeta {
  /** structure label after the fingerprint check (fcc, hcp, bcc, diamond, liquid, other) */
  structure: string[];
  /** temperature, K */
  temperature: Float64Array;
  /** lattice parameter a, Å (the liquid's a is the one its density was derived from) */
  lattice: Float64Array;
  /** number density, Å⁻³ */
  density: Float64Array;
  /** energy-origin shift ΔE used for χ(k), eV */
  dE: Float64Array;
  /** seed of the MD run the sample came from */
  seed: Uint32Array;
  [column: string]: MetaColumn;
}

/** Root attributes: strings or numbers. */
export type DatasetAttrs = Record<string, string | number>;

/** A whole dataset in memory. Matrices are row-major flat arrays (row i = sample i). */
export interface DatasetData {
  n: number;
  k: Float64Array;
  chi: Float32Array;
  r: Float64Array;
  gr: Float32Array;
  theta: Float64Array;
  bad: Float32Array;
  meta: DatasetMeta;
  attrs: DatasetAttrs;
}

/** The shape of a dataset: grids and the meta columns with their kinds. */
export interface DatasetSchema {
  k: Float64Array;
  r: Float64Array;
  theta: Float64Array;
  /** meta column name → kind, in file order */
  meta: [string, MetaKind][];
}

/** A block of rows for `DatasetWriter.append`. */
export interface RowBlock {
  n: number;
  chi: Float32Array;
  gr: Float32Array;
  bad: Float32Array;
  meta: Record<string, MetaColumn>;
}

export const STRING_BYTES = 16;
const ROW_CHUNK = 256;

type H5File = InstanceType<typeof h5wasm.File>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

let readyPromise: Promise<unknown> | null = null;
async function ready(): Promise<void> {
  if (!readyPromise) readyPromise = h5wasm.ready;
  await readyPromise;
}

const DTYPE: Record<MetaKind, string> = {
  f8: '<d',
  f4: '<f',
  i4: '<i',
  u4: '<I',
  u1: '<B',
  str: `S${STRING_BYTES}`,
};

export function metaKindOf(col: MetaColumn): MetaKind {
  if (Array.isArray(col)) return 'str';
  if (col instanceof Float64Array) return 'f8';
  if (col instanceof Float32Array) return 'f4';
  if (col instanceof Int32Array) return 'i4';
  if (col instanceof Uint32Array) return 'u4';
  if (col instanceof Uint8Array) return 'u1';
  throw new Error('unsupported meta column type');
}

export function allocMeta(kind: MetaKind, n: number): MetaColumn {
  switch (kind) {
    case 'f8':
      return new Float64Array(n);
    case 'f4':
      return new Float32Array(n);
    case 'i4':
      return new Int32Array(n);
    case 'u4':
      return new Uint32Array(n);
    case 'u1':
      return new Uint8Array(n);
    case 'str':
      return new Array<string>(n).fill('');
  }
}

/** fsync a file by path (h5wasm closes its own descriptor; durability is ours to ensure). */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on every platform; the rename is still atomic */
  }
}

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** True when the file starts with the HDF5 format signature (at offset 0, 512, 1024, … per the spec). */
export function hasHdf5Signature(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(8);
    for (let off = 0; off + 8 <= size; off = off === 0 ? 512 : off * 2) {
      readSync(fd, buf, 0, 8, off);
      if (buf.equals(HDF5_SIGNATURE)) return true;
      if (off > 1 << 20) break;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Throw a UserError unless `path`'s folder exists and is writable. */
export function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new UserError(`cannot write ${path}: folder ${dir} does not exist`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UserError(`cannot write ${path}: folder ${dir} is not writable`);
  }
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UserError(`cannot write ${path}: it is a folder`);
}

/**
 * Streams rows into a new HDF5 dataset file. Rows go to a temporary file beside the target;
 * `close()` fsyncs and renames it onto the target; `abort()` removes it. Nothing is ever left
 * at the target path unless `close()` succeeded.
 */
export class DatasetWriter {
  private file: H5File | null;
  private readonly tmp: string;
  private readonly ds: {
    chi: H5Dataset;
    gr: H5Dataset;
    bad: H5Dataset;
    meta: Map<string, [MetaKind, H5Dataset]>;
  };
  private rows = 0;
  readonly nk: number;
  readonly nr: number;
  readonly nt: number;

  private constructor(
    readonly path: string,
    private readonly schema: DatasetSchema,
    attrs: DatasetAttrs,
  ) {
    this.nk = schema.k.length;
    this.nr = schema.r.length;
    this.nt = schema.theta.length;
    this.tmp = tempPathFor(path);
    this.file = new h5wasm.File(this.tmp, 'w');
    try {
      const f = this.file;
      f.create_dataset({ name: 'k', data: new Float64Array(schema.k) });
      f.create_dataset({ name: 'r', data: new Float64Array(schema.r) });
      f.create_dataset({ name: 'theta', data: new Float64Array(schema.theta) });
      const matrix = (name: string, width: number): H5Dataset =>
        f.create_dataset({
          name,
          data: new Float32Array(0),
          shape: [0, width],
          maxshape: [null, width],
          chunks: [ROW_CHUNK, Math.max(1, width)],
          dtype: '<f',
        });
      const chi = matrix('chi', this.nk);
      const gr = matrix('gr', this.nr);
      const bad = matrix('bad', this.nt);
      f.create_group('meta');
      const mg = f.get('meta') as InstanceType<typeof h5wasm.Group>;
      const meta = new Map<string, [MetaKind, H5Dataset]>();
      for (const [name, kind] of schema.meta) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad meta column name "${name}"`);
        const d =
          kind === 'str'
            ? mg.create_dataset({
                name,
                data: [''],
                shape: [1],
                dtype: DTYPE.str,
                maxshape: [null],
                chunks: [ROW_CHUNK * 4],
              })
            : mg.create_dataset({
                name,
                data: allocMeta(kind, 0) as Float64Array,
                shape: [0],
                dtype: DTYPE[kind],
                maxshape: [null],
                chunks: [ROW_CHUNK * 4],
              });
        if (kind === 'str') d.resize([0]);
        meta.set(name, [kind, d]);
      }
      for (const [key, v] of Object.entries(attrs))
        f.create_attribute(key, typeof v === 'number' ? v : String(v));
      this.ds = { chi, gr, bad, meta };
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Open a writer for `path` (the target; the data go to a temporary file until close()). */
  static async create(path: string, schema: DatasetSchema, attrs: DatasetAttrs): Promise<DatasetWriter> {
    checkWritable(path);
    await ready();
    return new DatasetWriter(path, schema, attrs);
  }

  get length(): number {
    return this.rows;
  }

  /** Append a block of rows (flat row-major matrices; meta columns of length block.n). */
  append(block: RowBlock): void {
    if (!this.file) throw new Error('DatasetWriter: already closed');
    const n = block.n;
    if (n === 0) return;
    if (
      block.chi.length !== n * this.nk ||
      block.gr.length !== n * this.nr ||
      block.bad.length !== n * this.nt
    )
      throw new Error(`DatasetWriter: block of ${n} rows has wrong matrix sizes`);
    const a = this.rows;
    const b = a + n;
    const put = (d: H5Dataset, width: number, data: Float32Array) => {
      d.resize([b, width]);
      if (width > 0) d.write_slice([[a, b], []], data);
    };
    put(this.ds.chi, this.nk, block.chi);
    put(this.ds.gr, this.nr, block.gr);
    put(this.ds.bad, this.nt, block.bad);
    for (const [name, [kind, d]] of this.ds.meta) {
      const col = block.meta[name];
      if (!col || col.length !== n)
        throw new Error(`DatasetWriter: meta column "${name}" missing or of wrong length`);
      if (metaKindOf(col) !== kind)
        throw new Error(`DatasetWriter: meta column "${name}" is ${metaKindOf(col)}, expected ${kind}`);
      d.resize([b]);
      if (kind === 'str') {
        const s = col as string[];
        for (const v of s)
          if (v.length > STRING_BYTES || !/^[\x20-\x7e]*$/.test(v))
            throw new Error(`meta column "${name}": "${v}" is not short ASCII`);
        d.write_slice([[a, b]], s);
      } else d.write_slice([[a, b]], col);
    }
    this.rows = b;
  }

  /** Set (or replace) a root attribute before close. */
  setAttr(key: string, value: string | number): void {
    if (!this.file) throw new Error('DatasetWriter: already closed');
    if (this.file.attrs[key]) this.file.delete_attribute(key);
    this.file.create_attribute(key, value);
  }

  /** Finish: close, fsync, rename onto the target. On failure the temporary file is removed. */
  close(): void {
    if (!this.file) throw new Error('DatasetWriter: already closed');
    try {
      this.file.create_attribute('n_samples', this.rows);
      this.file.close();
      this.file = null;
      fsyncPath(this.tmp);
      renameSync(this.tmp, this.path);
      fsyncDir(dirname(resolve(this.path)));
    } catch (e) {
      this.abort();
      const err = e as NodeJS.ErrnoException;
      throw new UserError(`cannot write ${this.path}: ${err.code ?? ''} ${err.message}`.trim());
    }
  }

  /** Give up: close and delete the temporary file. Safe to call more than once. */
  abort(): void {
    if (this.file) {
      try {
        this.file.close();
      } catch {
        /* already broken */
      }
      this.file = null;
    }
    try {
      if (existsSync(this.tmp)) unlinkSync(this.tmp);
    } catch {
      /* nothing more we can do */
    }
  }
}

/** Write a whole in-memory dataset atomically. */
export async function writeDataset(path: string, data: DatasetData): Promise<void> {
  const meta: [string, MetaKind][] = Object.entries(data.meta).map(([name, col]) => [name, metaKindOf(col)]);
  const w = await DatasetWriter.create(path, { k: data.k, r: data.r, theta: data.theta, meta }, data.attrs);
  try {
    w.append({ n: data.n, chi: data.chi, gr: data.gr, bad: data.bad, meta: data.meta });
    w.close();
  } catch (e) {
    w.abort();
    throw e;
  }
}

function kindOfDtype(file: string, name: string, d: H5Dataset): MetaKind {
  const md = d.metadata as { type: number; size: number; signed: boolean };
  // h5wasm type classes: 0 integer, 1 float, 3 string
  if (md.type === 3) return 'str';
  if (md.type === 1) return md.size === 8 ? 'f8' : 'f4';
  if (md.type === 0) {
    if (md.size === 1 && !md.signed) return 'u1';
    if (md.size === 4) return md.signed ? 'i4' : 'u4';
  }
  throw new FileFormatError(
    file,
    null,
    `meta column "${name}" has an unsupported type (class ${md.type}, ${md.size} bytes)`,
  );
}

/**
 * Random-access reader: grids, attributes and row slices without loading everything. Use it to
 * stream a large dataset (training in batches, merge); close() when done.
 */
export class DatasetReader {
  readonly n: number;
  readonly k: Float64Array;
  readonly r: Float64Array;
  readonly theta: Float64Array;
  readonly attrs: DatasetAttrs;
  readonly schema: DatasetSchema;
  private file: H5File | null;

  private constructor(readonly path: string) {
    let f: H5File;
    try {
      f = new h5wasm.File(path, 'r');
    } catch (e) {
      throw new FileFormatError(path, null, `not an HDF5 file (${(e as Error).message})`);
    }
    this.file = f;
    try {
      const need = (name: string): H5Dataset => {
        const d = f.get(name);
        if (!d || !(d instanceof h5wasm.Dataset))
          throw new FileFormatError(path, null, `missing dataset /${name} (is this an exafsnn dataset?)`);
        return d;
      };
      const grid = (name: string): Float64Array => Float64Array.from(need(name).value as ArrayLike<number>);
      this.k = grid('k');
      this.r = grid('r');
      this.theta = grid('theta');
      const shape = (name: string, width: number): number => {
        const s = need(name).shape ?? [];
        if (s.length !== 2 || s[1] !== width)
          throw new FileFormatError(
            path,
            null,
            `/${name} has shape [${s.join(', ')}], expected [n, ${width}]`,
          );
        return s[0];
      };
      this.n = shape('chi', this.k.length);
      for (const [name, w] of [
        ['gr', this.r.length],
        ['bad', this.theta.length],
      ] as const)
        if (shape(name, w) !== this.n)
          throw new FileFormatError(path, null, `/${name} has ${shape(name, w)} rows, /chi has ${this.n}`);
      const meta: [string, MetaKind][] = [];
      const mg = f.get('meta');
      if (!mg || !(mg instanceof h5wasm.Group)) throw new FileFormatError(path, null, 'missing group /meta');
      for (const name of mg.keys()) {
        const d = need(`meta/${name}`);
        const len = (d.shape ?? [])[0];
        if (len !== this.n)
          throw new FileFormatError(path, null, `/meta/${name} has ${len} rows, /chi has ${this.n}`);
        meta.push([name, kindOfDtype(path, name, d)]);
      }
      this.schema = { k: this.k, r: this.r, theta: this.theta, meta };
      const attrs: DatasetAttrs = {};
      for (const [key, a] of Object.entries(f.attrs)) {
        const v = a.value;
        attrs[key] =
          typeof v === 'number' || typeof v === 'string'
            ? v
            : typeof v === 'bigint'
              ? Number(v)
              : JSON.stringify(a.json_value);
      }
      this.attrs = attrs;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  static async open(path: string): Promise<DatasetReader> {
    if (!existsSync(path)) throw new UserError(`${path}: no such file`);
    if (statSync(path).isDirectory())
      throw new UserError(`${path}: is a folder, expected an HDF5 dataset file`);
    if (!hasHdf5Signature(path))
      throw new FileFormatError(path, null, 'not an HDF5 file (no HDF5 signature)');
    await ready();
    return new DatasetReader(path);
  }

  private get f(): H5File {
    if (!this.file) throw new Error('DatasetReader: closed');
    return this.file;
  }

  /** Rows [a, b) as a RowBlock. */
  rows(a: number, b: number): RowBlock {
    if (!(a >= 0 && b <= this.n && a <= b)) throw new RangeError(`rows ${a}..${b} outside 0..${this.n}`);
    const n = b - a;
    const mat = (name: string, w: number): Float32Array => {
      if (n === 0 || w === 0) return new Float32Array(0);
      const v = (this.f.get(name) as H5Dataset).slice([[a, b], []]);
      return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
    };
    const meta: Record<string, MetaColumn> = {};
    for (const [name, kind] of this.schema.meta) meta[name] = this.metaSlice(name, kind, a, b);
    return {
      n,
      chi: mat('chi', this.k.length),
      gr: mat('gr', this.r.length),
      bad: mat('bad', this.theta.length),
      meta,
    };
  }

  /** One meta column, whole. */
  meta(name: string): MetaColumn {
    const e = this.schema.meta.find(([m]) => m === name);
    if (!e) throw new FileFormatError(this.path, null, `no meta column "${name}"`);
    return this.metaSlice(name, e[1], 0, this.n);
  }

  private metaSlice(name: string, kind: MetaKind, a: number, b: number): MetaColumn {
    const out = allocMeta(kind, b - a);
    if (b === a) return out;
    const v = (this.f.get(`meta/${name}`) as H5Dataset).slice([[a, b]]);
    if (kind === 'str') {
      const arr = v as unknown as string[];
      for (let i = 0; i < arr.length; i++) (out as string[])[i] = String(arr[i]).replace(/\0+$/, '');
    } else (out as Float64Array).set(v as ArrayLike<number>);
    return out;
  }

  close(): void {
    if (this.file) {
      try {
        this.file.close();
      } catch {
        /* ignore */
      }
      this.file = null;
    }
  }
}

/** Read a whole dataset into memory. */
export async function readDataset(path: string): Promise<DatasetData> {
  const rd = await DatasetReader.open(path);
  try {
    const all = rd.rows(0, rd.n);
    const meta = all.meta as DatasetMeta;
    return {
      n: rd.n,
      k: rd.k,
      chi: all.chi,
      r: rd.r,
      gr: all.gr,
      theta: rd.theta,
      bad: all.bad,
      meta,
      attrs: rd.attrs,
    };
  } finally {
    rd.close();
  }
}
