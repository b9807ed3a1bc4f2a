/**
 * Reading configuration files whatever their format: extended XYZ or LAMMPS dump custom,
 * detected from the content (the first non-blank line: "ITEM:" → LAMMPS, an integer → XYZ).
 */
import type { Configuration } from './types.js';
import { readXyzFrames } from './xyz.js';
import { readLammpsDumpFrames } from './lammpsDump.js';
import { firstNonBlankLine } from './lines.js';
import { FileFormatError, UserError } from '../util/errors.js';
import type { SpeciesMap } from './species.js';
import { canonicalSymbol } from '../util/elements.js';

export type ConfigurationFormat = 'xyz' | 'lammps';

export interface ReadFramesOptions {
  /** 'auto' (default) detects the format from the content */
  format?: 'auto' | ConfigurationFormat;
  /** box for plain XYZ files without a Lattice */
  box?: [number, number, number];
  /** wrap positions into the box (default true) */
  wrap?: boolean;
  /** element symbol for type 1 when the file does not say; a file that names another element is refused */
  element?: string;
  /** species names that are not element symbols, mapped to symbols (`--species Xx=Ni`) */
  speciesMap?: SpeciesMap;
}

/** Detect the format of a configuration file from its first non-blank line. */
export async function detectFormat(file: string): Promise<ConfigurationFormat> {
  const first = firstNonBlankLine(file);
  if (first === null)
    throw new FileFormatError(file, null, 'empty file: expected an extended XYZ or LAMMPS dump trajectory');
  const t = first.line.trim();
  if (t.startsWith('ITEM:')) return 'lammps';
  if (/^\d+$/.test(t)) return 'xyz';
  throw new FileFormatError(
    file,
    first.lineNo,
    `cannot tell the format: expected an atom count (extended XYZ) or "ITEM: TIMESTEP" (LAMMPS dump), got "${t.slice(0, 60)}"`,
  );
}

/** Stream the frames of a configuration file (XYZ or LAMMPS dump), one Configuration at a time. */
export async function* readFrames(file: string, opts: ReadFramesOptions = {}): AsyncGenerator<Configuration> {
  const format = opts.format ?? 'auto';
  if (format !== 'auto' && format !== 'xyz' && format !== 'lammps')
    throw new UserError(`unknown configuration format "${format}": expected auto, xyz or lammps`);
  const f = format === 'auto' ? await detectFormat(file) : format;
  const want = opts.element ? (canonicalSymbol(opts.element) ?? opts.element) : undefined;
  const frames =
    f === 'xyz'
      ? readXyzFrames(file, { box: opts.box, wrap: opts.wrap, speciesMap: opts.speciesMap })
      : readLammpsDumpFrames(file, { wrap: opts.wrap, speciesMap: opts.speciesMap });
  for await (const c of frames) {
    // the file's own element wins over a guess, but a contradiction is an error, not a silent choice
    if (want && c.element && c.element !== want)
      throw new UserError(
        `${file}: the atoms are ${c.element} (type 1) but ${want} was asked for (--element); give the matching element, or map the file's species with --species ${c.element}=${want}`,
      );
    if (want && !c.element) c.element = want;
    yield c;
  }
}

/** Read every frame of a configuration file into memory (use readFrames for long trajectories). */
export async function readConfigurations(
  file: string,
  opts: ReadFramesOptions = {},
): Promise<Configuration[]> {
  const out: Configuration[] = [];
  for await (const c of readFrames(file, opts)) out.push(c);
  return out;
}
