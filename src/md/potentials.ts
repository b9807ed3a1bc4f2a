/**
 * Potentials shipped in data/potentials/ (see its README for provenance).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors.js';
import { ZHOU_PARAMS } from './zhou.js';
import { packageRoot } from '../util/packagePaths.js';

/** data/potentials/ of this installation (works from src/ via tsx and from dist/). */
export function potentialsDir(): string {
  return join(packageRoot(), 'data', 'potentials');
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
