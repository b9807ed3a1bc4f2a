/**
 * Chemical species in configuration files: every species name must be an element symbol (or be
 * mapped to one explicitly), so a trajectory of "Xx" atoms is refused with its line instead of being
 * computed as whatever element the command was given.
 */
import { canonicalSymbol } from '../util/elements.js';
import { UserError } from '../util/errors.js';

/** Species name → element symbol, e.g. {"Xx": "Ni", "1": "Cu"} from `--species Xx=Ni,1=Cu`. */
export type SpeciesMap = Record<string, string>;

export function parseSpeciesMap(spec: string, flag = '--species'): SpeciesMap {
  const out: SpeciesMap = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*([A-Za-z]{1,2})$/.exec(part);
    if (!m)
      throw new UserError(`${flag} ${spec}: expected NAME=SYMBOL pairs separated by commas, e.g. Xx=Ni,2=Cu`);
    const sym = canonicalSymbol(m[2]);
    if (!sym) throw new UserError(`${flag} ${spec}: "${m[2]}" is not an element symbol`);
    out[m[1]] = sym;
  }
  return out;
}

/** The element symbol of a species name (after the map), or null when it is none. */
export function speciesSymbol(name: string, map?: SpeciesMap): string | null {
  const mapped = map?.[name];
  return mapped ?? canonicalSymbol(name);
}

export function unknownSpeciesDetail(name: string): string {
  return `species "${name}" is not an element symbol; map it to one with --species ${name}=SYMBOL (e.g. --species ${name}=Ni)`;
}

/** "X1", "X2", …: the names exafsnn's own writers give atom types of unknown element (no element implied). */
export function isTypePlaceholder(name: string): boolean {
  return /^X\d+$/.test(name);
}
