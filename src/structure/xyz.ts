/**
 * Extended XYZ (the ASE / OVITO / QUIP convention) reader and writer, streaming frame by frame.
 *
 *   N
 *   Lattice="Lx 0 0 0 Ly 0 0 0 Lz" Properties=species:S:1:pos:R:3 Time=1.5 Temperature=300
 *   Ni  x y z
 *   ...
 *
 * Only orthogonal boxes are supported (a Lattice with non-zero off-diagonal terms is an error).
 * A plain XYZ file (no Lattice) needs the box from the caller. Other key=value pairs of the
 * comment line are kept in `Configuration.props` (numbers as numbers). Positions are wrapped
 * into [0, L) on reading (an `Origin="x y z"` is subtracted first).
 */
import type { Configuration } from './types.js';
import { isTypePlaceholder, speciesSymbol, unknownSpeciesDetail, type SpeciesMap } from './species.js';
import { wrapPositions } from './types.js';
import { LineCursor, fields, parseNum } from './lines.js';
import { FrameFileWriter } from './frameWriter.js';
import { FileFormatError } from '../util/errors.js';

export interface XyzReadOptions {
  /** box [Lx, Ly, Lz] in Å for frames without a Lattice (plain XYZ); ignored when a Lattice is present */
  box?: [number, number, number];
  /** wrap positions into the box (default true) */
  wrap?: boolean;
  /** species names that are not element symbols, mapped to symbols */
  speciesMap?: SpeciesMap;
}

/** Parse the key=value pairs of an extended-XYZ comment line. Returns null when there are none. */
export function parseXyzComment(line: string): Map<string, string> | null {
  const re = /([A-Za-z_][\w:.-]*)\s*=\s*("[^"]*"|'[^']*'|\{[^}]*\}|[^\s"']+)/g;
  const out = new Map<string, string>();
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    let v = m[2];
    if (
      (v.startsWith('"') && v.endsWith('"')) ||
      (v.startsWith("'") && v.endsWith("'")) ||
      (v.startsWith('{') && v.endsWith('}'))
    )
      v = v.slice(1, -1);
    out.set(m[1], v);
  }
  return out.size ? out : null;
}

interface Columns {
  species: number;
  pos: number;
  ncol: number;
}

function parseProperties(cur: LineCursor, spec: string | undefined): Columns {
  if (spec === undefined) return { species: 0, pos: 1, ncol: 4 };
  const parts = spec.split(':');
  if (parts.length % 3 !== 0)
    throw cur.error(`Properties="${spec}": expected name:type:count triplets (e.g. species:S:1:pos:R:3)`);
  let col = 0;
  let species = -1,
    pos = -1;
  for (let k = 0; k < parts.length; k += 3) {
    const name = parts[k].toLowerCase();
    const count = Number(parts[k + 2]);
    if (!Number.isInteger(count) || count < 1)
      throw cur.error(
        `Properties: column count of "${parts[k]}" must be a positive integer, got "${parts[k + 2]}"`,
      );
    if ((name === 'species' || name === 'element') && species < 0) species = col;
    if (name === 'pos') {
      if (count !== 3) throw cur.error(`Properties: pos must have 3 columns, got ${count}`);
      pos = col;
    }
    col += count;
  }
  if (pos < 0) throw cur.error(`Properties="${spec}": no pos:R:3 column (positions are required)`);
  return { species, pos, ncol: col };
}

function parseLattice(cur: LineCursor, s: string): [number, number, number] {
  const v = fields(s).map((x) => Number(x));
  if (v.length !== 9 || v.some((x) => !Number.isFinite(x)))
    throw cur.error(`Lattice="${s}": expected 9 numbers (three cell vectors, e.g. "Lx 0 0 0 Ly 0 0 0 Lz")`);
  const diag: [number, number, number] = [v[0], v[4], v[8]];
  const scale = Math.max(Math.abs(v[0]), Math.abs(v[4]), Math.abs(v[8]));
  const off = [v[1], v[2], v[3], v[5], v[6], v[7]];
  if (off.some((x) => Math.abs(x) > 1e-8 * scale))
    throw cur.error(
      `Lattice="${s}": non-orthogonal (triclinic) boxes are unsupported; expected a diagonal lattice "Lx 0 0 0 Ly 0 0 0 Lz"`,
    );
  if (diag.some((x) => !(x > 0)))
    throw cur.error(`Lattice="${s}": box edges must be positive, got ${diag.join(', ')}`);
  return diag;
}

function propValue(s: string): string | number {
  const x = Number(s);
  return s.trim() !== '' && Number.isFinite(x) ? x : s;
}

const RESERVED = new Set(['lattice', 'properties', 'pbc', 'origin']);

/**
 * Stream the frames of an (extended) XYZ file one at a time. Errors are FileFormatError with
 * the file and line: empty file, truncated frame, wrong atom count, non-numeric coordinates,
 * missing box (no Lattice and no `opts.box`), non-orthogonal box.
 */
export async function* readXyzFrames(file: string, opts: XyzReadOptions = {}): AsyncGenerator<Configuration> {
  const cur = new LineCursor(file);
  const speciesType = new Map<string, number>();
  let frames = 0;
  try {
    for (;;) {
      if (!cur.skipBlank()) break;
      const countLine = cur.next()!;
      const frameLine = cur.lineNo;
      const cf = fields(countLine);
      const n = Number(cf[0]);
      if (cf.length !== 1 || !Number.isInteger(n) || n < 1) {
        if (frames > 0 && cf.length >= 4)
          throw cur.error(
            `expected the atom count of frame ${frames + 1} (a positive integer) but found an atom line "${countLine.trim()}": ` +
              `the previous frame has more atom lines than its atom count says`,
          );
        throw cur.error(
          `expected the atom count of frame ${frames + 1} (a positive integer), got "${countLine.trim()}"`,
        );
      }
      const comment = cur.next();
      if (comment === null)
        throw cur.error(
          `truncated frame: the file ends after the atom count of the frame starting at line ${frameLine} (expected a comment line and ${n} atom lines)`,
        );
      const kv = parseXyzComment(comment) ?? new Map<string, string>();
      const lower = new Map<string, string>();
      for (const [k, v] of kv) lower.set(k.toLowerCase(), v);
      const cols = parseProperties(cur, lower.get('properties'));
      let box: [number, number, number];
      const lat = lower.get('lattice');
      if (lat !== undefined) box = parseLattice(cur, lat);
      else if (opts.box) box = [opts.box[0], opts.box[1], opts.box[2]];
      else
        throw cur.error(
          `missing box: the comment line of the frame starting at line ${frameLine} has no Lattice="Lx 0 0 0 Ly 0 0 0 Lz" (plain XYZ needs a box from the caller, e.g. --box)`,
        );
      let ox = 0,
        oy = 0,
        oz = 0;
      const org = lower.get('origin');
      if (org !== undefined) {
        const o = fields(org).map(Number);
        if (o.length !== 3 || o.some((x) => !Number.isFinite(x)))
          throw cur.error(`Origin="${org}": expected 3 numbers`);
        [ox, oy, oz] = o;
      }
      const props: Record<string, string | number> = {};
      for (const [k, v] of kv) if (!RESERVED.has(k.toLowerCase())) props[k] = propValue(v);

      const positions = new Float64Array(3 * n);
      const types = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const line = cur.next();
        if (line === null)
          throw cur.error(
            `truncated frame: the file ends after ${i} of ${n} atom lines of the frame starting at line ${frameLine}`,
          );
        const f = fields(line);
        if (f.length < cols.ncol) {
          const hint =
            f.length === 1 && Number.isInteger(Number(f[0]))
              ? " (this looks like the next frame's atom count: the atom count of this frame is too large)"
              : '';
          throw cur.error(
            `expected atom ${i + 1} of ${n} of the frame starting at line ${frameLine} with ${cols.ncol} columns (species x y z), got ${f.length}: "${line.trim()}"${hint}`,
          );
        }
        const p = cols.pos;
        positions[3 * i] = parseNum(cur, f[p], `atom ${i + 1}: x coordinate`) - ox;
        positions[3 * i + 1] = parseNum(cur, f[p + 1], `atom ${i + 1}: y coordinate`) - oy;
        positions[3 * i + 2] = parseNum(cur, f[p + 2], `atom ${i + 1}: z coordinate`) - oz;
        const sp = cols.species >= 0 ? f[cols.species] : 'X';
        let t = speciesType.get(sp);
        if (t === undefined && cols.species >= 0 && !speciesSymbol(sp, opts.speciesMap) && !isTypePlaceholder(sp))
          throw cur.error(`atom ${i + 1}: ${unknownSpeciesDetail(sp)}`);
        if (t === undefined) {
          t = speciesType.size + 1;
          speciesType.set(sp, t);
        }
        types[i] = t;
      }
      const conf: Configuration = { n, positions, box, types, props };
      const first = [...speciesType.keys()][0];
      const sym = cols.species >= 0 && first !== undefined ? speciesSymbol(first, opts.speciesMap) : null;
      if (sym) conf.element = sym;
      if (opts.wrap ?? true) wrapPositions(conf);
      frames++;
      yield conf;
    }
    if (frames === 0)
      throw new FileFormatError(
        file,
        null,
        'empty file: expected at least one XYZ frame (atom count, comment line, atom lines)',
      );
  } finally {
    cur.close();
  }
}

function fmt(x: number, digits: number): string {
  return x.toFixed(digits);
}

function symbolOf(conf: Configuration, t: number, symbols?: readonly string[]): string {
  if (symbols && symbols[t - 1]) return symbols[t - 1];
  if (t === 1 && conf.element) return conf.element;
  return `X${t}`;
}

/** Text of one extended-XYZ frame. */
export function formatXyzFrame(
  conf: Configuration,
  opts: { digits?: number; symbols?: readonly string[] } = {},
): string {
  const d = opts.digits ?? 8;
  const [lx, ly, lz] = conf.box;
  let head = `Lattice="${lx} 0 0 0 ${ly} 0 0 0 ${lz}" Properties=species:S:1:pos:R:3`;
  for (const [k, v] of Object.entries(conf.props ?? {})) {
    if (RESERVED.has(k.toLowerCase()) || !/^[A-Za-z_][\w:.-]*$/.test(k)) continue;
    const s = String(v);
    head += ` ${k}=${/[\s"'=]/.test(s) || s === '' ? `"${s.replace(/"/g, "'")}"` : s}`;
  }
  head += ' pbc="T T T"';
  const lines: string[] = [String(conf.n), head];
  const p = conf.positions;
  for (let i = 0; i < conf.n; i++) {
    const sym = symbolOf(conf, conf.types ? conf.types[i] : 1, opts.symbols);
    lines.push(`${sym} ${fmt(p[3 * i], d)} ${fmt(p[3 * i + 1], d)} ${fmt(p[3 * i + 2], d)}`);
  }
  return lines.join('\n') + '\n';
}

/** Appends frames to an extended-XYZ file; atomic on close (see FrameFileWriter). */
export class XyzWriter extends FrameFileWriter {
  constructor(
    path: string,
    private opts: { digits?: number; symbols?: readonly string[] } = {},
  ) {
    super(path);
  }

  protected format(conf: Configuration): string {
    return formatXyzFrame(conf, this.opts);
  }
}

/** Write configurations as an extended-XYZ file (atomically). */
export function writeXyz(
  path: string,
  confs: Configuration | Iterable<Configuration>,
  opts: { digits?: number; symbols?: readonly string[] } = {},
): void {
  new XyzWriter(path, opts).writeAll(confs);
}
