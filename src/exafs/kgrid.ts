/** k grids and the ΔE shift (docs/design.md, "Units and conventions"). */
import { UserError } from '../util/errors.js';

import { ETOK } from '../util/physics.js';

/** k[Å⁻¹] = sqrt(ETOK · E[eV]), ETOK = 2mₑ/ħ² = 0.262468424 eV⁻¹Å⁻²: the one definition, src/util/physics.ts. */
export { ETOK };

/** A uniform k grid kmin, kmin+dk, …, kmax (inclusive, rounded to the step). */
export function kGrid(kmin = 0, kmax = 20, dk = 0.05): Float64Array {
  if (!(dk > 0) || !(kmax > kmin) || kmin < 0)
    throw new UserError(`k grid: expected 0 ≤ kmin < kmax and dk > 0, got ${kmin}, ${kmax}, ${dk}`);
  const n = Math.round((kmax - kmin) / dk) + 1;
  return Float64Array.from({ length: n }, (_, i) => Math.round((kmin + i * dk) * 1e9) / 1e9);
}

/**
 * The ΔE convention, used everywhere in exafsnn: a spectrum computed with an energy-origin
 * shift ΔE is the unshifted theory evaluated at k' = √(k² + ETOK·ΔE). ΔE > 0 thus moves the
 * theoretical oscillations to lower k (as if the theory's E0 sat ΔE below the data's E0).
 * Where k² + ETOK·ΔE < 0 the photoelectron is below the edge and χ = 0 (k' returned as NaN).
 */
export function shiftedK(k: ArrayLike<number>, dE: number): Float64Array {
  const out = new Float64Array(k.length);
  for (let i = 0; i < k.length; i++) {
    const q = k[i] * k[i] + ETOK * dE;
    out[i] = q >= 0 ? Math.sqrt(q) : NaN;
  }
  return out;
}
