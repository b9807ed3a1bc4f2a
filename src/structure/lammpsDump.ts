/**
 * LAMMPS `dump custom` text files, read frame by frame and written with appends.
 *
 *   ITEM: TIMESTEP
 *   1000
 *   ITEM: NUMBER OF ATOMS
 *   4000
 *   ITEM: BOX BOUNDS pp pp pp
 *   xlo xhi
 *   ylo yhi
 *   zlo zhi
 *   ITEM: ATOMS id type x y z [ix iy iz] ...
 *
 * Coordinates may be x y z (wrapped or not), xu yu zu (unwrapped), xs ys zs (scaled) or
 * xsu ysu zsu; image flags ix iy iz are optional. Atoms are returned sorted by id, shifted so the
 * box starts at 0 (box [xhi−xlo, …]) and wrapped into it (unless `wrap: false`, which keeps
 * unwrapped coordinates, using the image flags when present). A triclinic box with non-zero tilt
 * factors is unsupported and an error.
 * Format reference: LAMMPS manual, "dump" command.
 */
import type { Configuration } from './types.js';
import { wrapPositions } from './types.js';
import { LineCursor, fields, parseNum } from './lines.js';
import { FrameFileWriter } from './frameWriter.js';
import { isTypePlaceholder, speciesSymbol, unknownSpeciesDetail, type SpeciesMap } from './species.js';
import { FileFormatError } from '../util/errors.js';

export interface LammpsDumpReadOptions {
  /** wrap positions into the box (default true) */
  wrap?: boolean;
  /** element symbol for type 1 when the dump has no `element` column */
  element?: string;
  /** `element` column names that are not element symbols, mapped to symbols */
  speciesMap?: SpeciesMap;
}

type CoordKind = 'x' | 'xu' | 'xs' | 'xsu';

function itemName(line: string): string | null {
  const t = line.trim();
  return t.startsWith('ITEM:') ? t.slice(5).trim() : null;
}

/** Stream the frames of a LAMMPS dump custom file one at a time. */
export async function* readLammpsDumpFrames(
  file: string,
  opts: LammpsDumpReadOptions = {},
): AsyncGenerator<Configuration> {
  const cur = new LineCursor(file);
  let frames = 0;
  try {
    for (;;) {
      if (!cur.skipBlank()) break;
      let timestep: number | undefined;
      let n = -1;
      let box: [number, number, number] | null = null;
      let lo: [number, number, number] = [0, 0, 0];
      let frameLine = -1;
      // header items until ITEM: ATOMS
      let atomsHeader: string | null = null;
      for (;;) {
        const line = cur.next();
        if (line === null) {
          if (frameLine < 0) break;
          throw cur.error(
            `truncated frame: the file ends inside the header of the frame starting at line ${frameLine} (expected "ITEM: ATOMS ...")`,
          );
        }
        if (line.trim() === '') continue;
        const item = itemName(line);
        if (item === null) {
          if (frames > 0 && frameLine < 0)
            throw cur.error(
              `expected "ITEM: TIMESTEP" to start frame ${frames + 1}, got "${line.trim()}": the previous frame has more atom lines than its NUMBER OF ATOMS says`,
            );
          throw cur.error(`expected a LAMMPS dump "ITEM: ..." line, got "${line.trim()}"`);
        }
        if (frameLine < 0) frameLine = cur.lineNo;
        const value = (what: string): string => {
          const v = cur.next();
          if (v === null)
            throw cur.error(`truncated frame: the file ends after "ITEM: ${item}" (expected ${what})`);
          return v;
        };
        if (item === 'TIMESTEP') {
          const v = value('the timestep');
          timestep = parseNum(cur, fields(v)[0], 'TIMESTEP');
        } else if (item === 'NUMBER OF ATOMS') {
          const v = value('the number of atoms').trim();
          n = Number(v);
          if (!Number.isInteger(n) || n < 1)
            throw cur.error(`NUMBER OF ATOMS: expected a positive integer, got "${v}"`);
        } else if (item.startsWith('BOX BOUNDS')) {
          const triclinic = /\bxy\b/.test(item);
          box = [0, 0, 0];
          lo = [0, 0, 0];
          for (let d = 0; d < 3; d++) {
            const f = fields(value(`the ${'xyz'[d]} box bounds`));
            const a = parseNum(cur, f[0], `${'xyz'[d]}lo`);
            const b = parseNum(cur, f[1], `${'xyz'[d]}hi`);
            if (triclinic) {
              const tilt = parseNum(cur, f[2], `tilt factor ${['xy', 'xz', 'yz'][d]}`);
              if (tilt !== 0)
                throw cur.error(
                  `triclinic box with tilt ${['xy', 'xz', 'yz'][d]} = ${tilt}: non-orthogonal boxes are unsupported`,
                );
            }
            if (!(b > a))
              throw cur.error(
                `box bounds ${'xyz'[d]}: expected ${'xyz'[d]}lo < ${'xyz'[d]}hi, got ${a} ${b}`,
              );
            lo[d] = a;
            box[d] = b - a;
          }
        } else if (item.startsWith('ATOMS')) {
          atomsHeader = item;
          break;
        } else {
          // other items (UNITS, TIME, ...): skip their single value line
          value(`a value for ITEM: ${item}`);
        }
      }
      if (atomsHeader === null) break;
      if (n < 0)
        throw cur.error(
          `frame starting at line ${frameLine}: missing "ITEM: NUMBER OF ATOMS" before "ITEM: ATOMS"`,
        );
      if (box === null)
        throw cur.error(
          `missing box: frame starting at line ${frameLine} has no "ITEM: BOX BOUNDS" before "ITEM: ATOMS"`,
        );
      const colNames = fields(atomsHeader).slice(1);
      const col = (name: string) => colNames.indexOf(name);
      let kind: CoordKind | null = null;
      for (const k of ['x', 'xu', 'xs', 'xsu'] as CoordKind[]) {
        const y = k.replace('x', 'y'),
          z = k.replace('x', 'z');
        if (col(k) >= 0 && col(y) >= 0 && col(z) >= 0) {
          kind = k;
          break;
        }
      }
      if (kind === null)
        throw cur.error(
          `ITEM: ATOMS has no coordinate columns: expected "x y z", "xu yu zu", "xs ys zs" or "xsu ysu zsu", got "${colNames.join(' ')}"`,
        );
      const cx = col(kind),
        cy = col(kind.replace('x', 'y')),
        cz = col(kind.replace('x', 'z'));
      const cid = col('id'),
        ctype = col('type'),
        cel = col('element');
      const ci = [col('ix'), col('iy'), col('iz')];
      const hasImages = ci.every((c) => c >= 0);
      const ncol = colNames.length;
      const scaled = kind === 'xs' || kind === 'xsu';

      const raw = new Float64Array(3 * n);
      const ids = new Float64Array(n);
      const types = new Int32Array(n).fill(1);
      let element: string | undefined = opts.element;
      const checked = new Set<string>();
      for (let i = 0; i < n; i++) {
        const line = cur.next();
        if (line === null)
          throw cur.error(
            `truncated frame: the file ends after ${i} of ${n} atom lines of the frame starting at line ${frameLine}`,
          );
        const f = fields(line);
        if (f.length !== ncol) {
          const hint =
            itemName(line) !== null
              ? ' (this is the next frame: NUMBER OF ATOMS is larger than the number of atom lines)'
              : '';
          throw cur.error(
            `expected atom ${i + 1} of ${n} with ${ncol} columns (${colNames.join(' ')}), got ${f.length}: "${line.trim()}"${hint}`,
          );
        }
        let x = parseNum(cur, f[cx], `atom ${i + 1}: ${colNames[cx]}`);
        let y = parseNum(cur, f[cy], `atom ${i + 1}: ${colNames[cy]}`);
        let z = parseNum(cur, f[cz], `atom ${i + 1}: ${colNames[cz]}`);
        if (scaled) {
          x *= box[0];
          y *= box[1];
          z *= box[2];
        } else {
          x -= lo[0];
          y -= lo[1];
          z -= lo[2];
        }
        if (hasImages && (kind === 'x' || kind === 'xs')) {
          x += box[0] * parseNum(cur, f[ci[0]], `atom ${i + 1}: ix`);
          y += box[1] * parseNum(cur, f[ci[1]], `atom ${i + 1}: iy`);
          z += box[2] * parseNum(cur, f[ci[2]], `atom ${i + 1}: iz`);
        }
        raw[3 * i] = x;
        raw[3 * i + 1] = y;
        raw[3 * i + 2] = z;
        if (cid >= 0) {
          const id = Number(f[cid]);
          if (!Number.isInteger(id)) throw cur.error(`atom ${i + 1}: id must be an integer, got "${f[cid]}"`);
          ids[i] = id;
        } else ids[i] = i;
        if (ctype >= 0) {
          const t = Number(f[ctype]);
          if (!Number.isInteger(t) || t < 1)
            throw cur.error(`atom ${i + 1}: type must be a positive integer, got "${f[ctype]}"`);
          types[i] = t;
          if (cel >= 0 && t === 1 && element === undefined) element = f[cel];
        } else if (cel >= 0 && element === undefined) element = f[cel];
        if (cel >= 0 && !checked.has(f[cel])) {
          if (!speciesSymbol(f[cel], opts.speciesMap) && !isTypePlaceholder(f[cel])) throw cur.error(`atom ${i + 1}: ${unknownSpeciesDetail(f[cel])}`);
          checked.add(f[cel]);
        }
      }
      // sort by id
      let sorted = true;
      for (let i = 1; i < n; i++)
        if (ids[i] <= ids[i - 1]) {
          sorted = false;
          break;
        }
      let positions = raw;
      let outTypes = types;
      if (!sorted) {
        const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a] - ids[b]);
        for (let k = 1; k < n; k++)
          if (ids[order[k]] === ids[order[k - 1]])
            throw new FileFormatError(
              file,
              frameLine,
              `duplicate atom id ${ids[order[k]]} in the frame starting here`,
            );
        positions = new Float64Array(3 * n);
        outTypes = new Int32Array(n);
        for (let k = 0; k < n; k++) {
          const i = order[k];
          positions[3 * k] = raw[3 * i];
          positions[3 * k + 1] = raw[3 * i + 1];
          positions[3 * k + 2] = raw[3 * i + 2];
          outTypes[k] = types[i];
        }
      }
      const props: Record<string, string | number> = {};
      if (timestep !== undefined) props.timestep = timestep;
      const conf: Configuration = { n, positions, box, types: outTypes, props };
      const sym = element !== undefined ? speciesSymbol(element, opts.speciesMap) : null;
      if (sym) conf.element = sym;
      if (opts.wrap ?? true) wrapPositions(conf);
      frames++;
      yield conf;
    }
    if (frames === 0)
      throw new FileFormatError(
        file,
        null,
        'empty file: expected at least one LAMMPS dump frame ("ITEM: TIMESTEP" ...)',
      );
  } finally {
    cur.close();
  }
}

/** Text of one `dump custom` frame with columns `id type x y z` (box from 0 to L). */
export function formatLammpsDumpFrame(
  conf: Configuration,
  opts: { timestep?: number; digits?: number } = {},
): string {
  const d = opts.digits ?? 8;
  const ts = opts.timestep ?? (typeof conf.props?.timestep === 'number' ? conf.props.timestep : 0);
  const [lx, ly, lz] = conf.box;
  const out: string[] = [
    'ITEM: TIMESTEP',
    String(ts),
    'ITEM: NUMBER OF ATOMS',
    String(conf.n),
    'ITEM: BOX BOUNDS pp pp pp',
    `0 ${lx}`,
    `0 ${ly}`,
    `0 ${lz}`,
    'ITEM: ATOMS id type x y z',
  ];
  const p = conf.positions;
  for (let i = 0; i < conf.n; i++)
    out.push(
      `${i + 1} ${conf.types ? conf.types[i] : 1} ${p[3 * i].toFixed(d)} ${p[3 * i + 1].toFixed(d)} ${p[3 * i + 2].toFixed(d)}`,
    );
  return out.join('\n') + '\n';
}

/** Appends `dump custom` frames to a file; atomic on close (see FrameFileWriter). */
export class LammpsDumpWriter extends FrameFileWriter {
  constructor(
    path: string,
    private opts: { digits?: number } = {},
  ) {
    super(path);
  }

  protected format(conf: Configuration, frame: number): string {
    const ts = typeof conf.props?.timestep === 'number' ? conf.props.timestep : frame;
    return formatLammpsDumpFrame(conf, { timestep: ts, digits: this.opts.digits });
  }
}

/** Write configurations as a LAMMPS dump custom file (atomically). */
export function writeLammpsDump(
  path: string,
  confs: Configuration | Iterable<Configuration>,
  opts: { digits?: number } = {},
): void {
  new LammpsDumpWriter(path, opts).writeAll(confs);
}
