/**
 * One sample as a fixed-size binary record (the unit of the journal), and the dataset's meta
 * columns. Little-endian; a CRC-32 of the record's bytes closes it, so a torn or corrupt record
 * is recognised and dropped.
 *
 * record := magic u32 | task u32 | snapshot u32 | flags u32 | strings (2 × 16 B ASCII) |
 *           numeric meta (f64 × M) | χ f32 × nk | g f32 × nr | N(θ) f32 × nθ | crc32 u32
 */
import { STRING_BYTES, allocMeta, type MetaColumn, type MetaKind, type RowBlock } from './h5.js';
import { UserError } from '../util/errors.js';
import { crc32 } from '../util/crc32.js';

export const RECORD_MAGIC = 0x524a5845; // "EXJR"

/** Structure-fingerprint classes (fractions of atoms), as src/analysis reports them. */
export const FINGERPRINT_CLASSES = ['fcc', 'hcp', 'bcc', 'diamond', 'other'] as const;

/** Numeric per-sample columns stored in /meta (besides the strings structure and label). */
export const NUMERIC_META: [string, Exclude<MetaKind, 'str'>][] = [
  ['temperature', 'f8'], // K, thermostat target
  ['lattice', 'f8'], // Å
  ['density', 'f8'], // Å⁻³
  ['dE', 'f8'], // eV
  ['seed', 'u4'], // MD run seed
  ['task', 'i4'], // index of the MD run in the expanded spec
  ['snapshot', 'i4'], // snapshot index within the run
  ['atoms', 'i4'],
  ['time', 'f8'], // ps of MD before this snapshot (from the start of the run)
  ['cutoff', 'f8'], // first-shell cutoff used for N(θ) and the coordination number, Å
  ['cn', 'f8'], // first-shell coordination number
  ['t_measured', 'f8'], // kinetic temperature of the snapshot, K
  ['fp_fcc', 'f8'],
  ['fp_hcp', 'f8'],
  ['fp_bcc', 'f8'],
  ['fp_diamond', 'f8'],
  ['fp_other', 'f8'],
  ['relabelled', 'u1'], // 1 when `structure` differs from the label the spec asked for
  // local order at the first-shell cutoff (src/analysis localOrder): shares of first-shell pairs
  // with Honeycutt–Andersen signatures, and fractions of atoms by conventional CNA
  ['pairs_1551', 'f8'],
  ['pairs_1421', 'f8'],
  ['pairs_1422', 'f8'],
  ['cna_fcc', 'f8'],
  ['cna_hcp', 'f8'],
  ['cna_bcc', 'f8'],
  ['cna_ico', 'f8'],
  ['cna_other', 'f8'],
];

/** The meta schema of generated files: strings first, then the numeric columns. */
export const META_SCHEMA: [string, MetaKind][] = [['structure', 'str'], ['label', 'str'], ...NUMERIC_META];

/** A finished sample as a worker reports it. */
export interface Sample {
  task: number;
  snapshot: number;
  /** what the configuration is, after the fingerprint check */
  structure: string;
  /** what the spec asked for */
  label: string;
  /** refused: recorded in the journal (so it is not redone) but not written to the dataset */
  refused: boolean;
  /** why it was refused or relabelled (logged, not stored) */
  note?: string;
  /** numeric meta values by column name (NUMERIC_META; missing ones are NaN, relabelled derived) */
  values: Record<string, number>;
  chi: Float32Array;
  gr: Float32Array;
  bad: Float32Array;
}

const FLAG_REFUSED = 1;

export interface RecordLayout {
  nk: number;
  nr: number;
  nt: number;
  size: number;
}

export function recordLayout(nk: number, nr: number, nt: number): RecordLayout {
  const size = 16 + 2 * STRING_BYTES + 8 * NUMERIC_META.length + 4 * (nk + nr + nt) + 4;
  return { nk, nr, nt, size };
}

export { crc32 } from '../util/crc32.js';

function putString(dv: DataView, off: number, s: string, what: string): void {
  if (s.length > STRING_BYTES || !/^[\x20-\x7e]*$/.test(s))
    throw new UserError(`${what} "${s}" is not ASCII of ≤ ${STRING_BYTES} characters`);
  for (let i = 0; i < STRING_BYTES; i++) dv.setUint8(off + i, i < s.length ? s.charCodeAt(i) : 0);
}

function getString(bytes: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < STRING_BYTES; i++) {
    const c = bytes[off + i];
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Encode a sample into a fresh record buffer. */
export function encodeRecord(L: RecordLayout, s: Sample): Uint8Array {
  if (s.chi.length !== L.nk || s.gr.length !== L.nr || s.bad.length !== L.nt)
    throw new Error(
      `sample of task ${s.task}: array sizes ${s.chi.length}/${s.gr.length}/${s.bad.length}, grids need ${L.nk}/${L.nr}/${L.nt}`,
    );
  const buf = new Uint8Array(L.size);
  const dv = new DataView(buf.buffer);
  dv.setUint32(0, RECORD_MAGIC, true);
  dv.setUint32(4, s.task, true);
  dv.setUint32(8, s.snapshot, true);
  dv.setUint32(12, s.refused ? FLAG_REFUSED : 0, true);
  putString(dv, 16, s.structure, 'structure');
  putString(dv, 16 + STRING_BYTES, s.label, 'label');
  let off = 16 + 2 * STRING_BYTES;
  for (const [name] of NUMERIC_META) {
    const v = name === 'relabelled' ? (s.structure !== s.label ? 1 : 0) : (s.values[name] ?? NaN);
    dv.setFloat64(off, v, true);
    off += 8;
  }
  for (const arr of [s.chi, s.gr, s.bad]) {
    for (let i = 0; i < arr.length; i++) dv.setFloat32(off + 4 * i, arr[i], true);
    off += 4 * arr.length;
  }
  dv.setUint32(off, crc32(buf, 0, off), true);
  return buf;
}

/** Header fields of a record at `bytes[off…]` if it is intact (magic and CRC), else null. */
export function checkRecord(
  L: RecordLayout,
  bytes: Uint8Array,
  off = 0,
): { task: number; snapshot: number; refused: boolean } | null {
  if (off + L.size > bytes.length) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + off, L.size);
  if (dv.getUint32(0, true) !== RECORD_MAGIC) return null;
  if (dv.getUint32(L.size - 4, true) !== crc32(bytes, off, off + L.size - 4)) return null;
  return {
    task: dv.getUint32(4, true),
    snapshot: dv.getUint32(8, true),
    refused: (dv.getUint32(12, true) & FLAG_REFUSED) !== 0,
  };
}

/** A RowBlock with room for `n` rows in the generated-file schema. */
export function allocBlock(L: RecordLayout, n: number): RowBlock {
  const meta: Record<string, MetaColumn> = {};
  for (const [name, kind] of META_SCHEMA) meta[name] = allocMeta(kind, n);
  return {
    n,
    chi: new Float32Array(n * L.nk),
    gr: new Float32Array(n * L.nr),
    bad: new Float32Array(n * L.nt),
    meta,
  };
}

/** Decode the record at bytes[off…] into row `row` of a block. */
export function decodeInto(
  L: RecordLayout,
  bytes: Uint8Array,
  off: number,
  block: RowBlock,
  row: number,
): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + off, L.size);
  (block.meta.structure as string[])[row] = getString(bytes, off + 16);
  (block.meta.label as string[])[row] = getString(bytes, off + 16 + STRING_BYTES);
  let o = 16 + 2 * STRING_BYTES;
  for (const [name] of NUMERIC_META) {
    (block.meta[name] as Float64Array)[row] = dv.getFloat64(o, true);
    o += 8;
  }
  for (const [arr, w] of [
    [block.chi, L.nk],
    [block.gr, L.nr],
    [block.bad, L.nt],
  ] as const) {
    for (let i = 0; i < w; i++) arr[row * w + i] = dv.getFloat32(o + 4 * i, true);
    o += 4 * w;
  }
}

/** The first `n` rows of a block (views, no copy). */
export function headOfBlock(block: RowBlock, n: number, L: RecordLayout): RowBlock {
  if (n === block.n) return block;
  const meta: Record<string, MetaColumn> = {};
  for (const [k, v] of Object.entries(block.meta))
    meta[k] = Array.isArray(v) ? v.slice(0, n) : v.subarray(0, n);
  return {
    n,
    chi: block.chi.subarray(0, n * L.nk),
    gr: block.gr.subarray(0, n * L.nr),
    bad: block.bad.subarray(0, n * L.nt),
    meta,
  };
}
