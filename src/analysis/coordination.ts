/**
 * Coordination number from g(r) up to a given cutoff.
 *
 * CN(rcut) = ∫₀^rcut 4πr²ρ g(r) dr, evaluated bin by bin with the exact shell volumes used by the
 * histogram (so it equals the mean neighbour count within rcut when rcut is a bin edge; a bin cut
 * by rcut contributes the fraction of its shell volume below rcut). The first shell itself (its
 * limits, R1, CN, the bcc sub-shells) is src/analysis/firstShell.ts.
 */
import { UserError } from '../util/errors.js';
import { shellVolume } from './rdf.js';

function binWidth(r: ArrayLike<number>): number {
  if (r.length < 2) throw new UserError('g(r) needs at least 2 bins');
  return r[1] - r[0];
}

/** Coordination number ∫₀^rcut 4πr²ρ g(r) dr for g on bin centres r (uniform bins). */
export function coordinationNumber(
  r: ArrayLike<number>,
  g: ArrayLike<number>,
  rho: number,
  rcut: number,
): number {
  if (r.length !== g.length)
    throw new UserError(`coordinationNumber: r and g differ in length (${r.length} vs ${g.length})`);
  if (!(rho > 0)) throw new UserError(`coordinationNumber: density must be positive, got ${rho}`);
  const dr = binWidth(r);
  let cn = 0;
  for (let k = 0; k < r.length; k++) {
    const lo = r[k] - dr / 2;
    const hi = r[k] + dr / 2;
    if (lo >= rcut) break;
    const v = shellVolume(Math.max(0, lo), hi);
    const part = hi <= rcut ? v : shellVolume(Math.max(0, lo), rcut);
    cn += rho * g[k] * part;
  }
  return cn;
}
