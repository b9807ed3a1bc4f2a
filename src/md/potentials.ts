/**
 * Potentials shipped in data/potentials/ (see its README for provenance).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../util/errors.js';
import { ZHOU_PARAMS } from './zhou.js';

/** data/potentials/ of this installation (works from src/ via tsx and from dist/). */
export function potentialsDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 5; k++) {
    const p = join(d, 'data', 'potentials');
    if (existsSync(p)) return p;
    d = dirname(d);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'potentials');
}

/** File name of the shipped ZJW 2004 setfl file of an element. */
export function zhouFileName(element: string): string {
  return `${element}_zhou04.eam.alloy`;
}

/** Path of the default (shipped ZJW 2004) potential for an element, with a clear error when there is none. */
export function defaultPotential(element: string): string {
  const sym = Object.keys(ZHOU_PARAMS).find((e) => e.toLowerCase() === element.toLowerCase());
  if (!sym) {
    throw new UserError(
      `unknown element "${element}": shipped potentials cover ${Object.keys(ZHOU_PARAMS).join(', ')}; give --potential FILE for others`,
    );
  }
  const p = join(potentialsDir(), zhouFileName(sym));
  if (!existsSync(p))
    throw new UserError(
      `shipped potential ${p} is missing (regenerate it: exafsnn md-potential --element ${sym})`,
    );
  return p;
}
