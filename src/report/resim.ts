/**
 * Re-simulating χ(k) from a predicted g(r): the 2-body part of the configurational average
 * (DESIGN.md; Filipponi, Di Cicco & Natoli, PRB 52, 15122 (1995)),
 *   χ2(k) = ∫ 4πr²ρ g(r) γ2(r, k) dr,
 * with γ2 from the γ tables (all scattering inside the 2-atom cluster), S0² = 1 and ΔE = 0.
 * The 3-body part needs g3, which the networks do not predict, so it is left out and the note
 * says so. Browser-safe apart from loading the tables (the caller passes them in).
 */
import { gamma2At, type GammaTables } from '../theory/table.js';

export interface Resimulated {
  k: Float64Array;
  chi: Float64Array;
  /** r range actually integrated (the overlap of the g(r) grid and the γ2 table) [Å] */
  r_from: number;
  r_to: number;
  note: string;
}

/**
 * χ2(k) on `k` from g(r) on `r` (ascending) and the number density ρ [Å⁻³]. Negative g (possible in
 * a network's output) is clipped to 0; r outside the γ2 table is skipped.
 */
export function resimulate2Body(tables: GammaTables, r: ArrayLike<number>, g: ArrayLike<number>, rho: number, k: ArrayLike<number>): Resimulated {
  const h = tables.header.gamma2;
  const tMin = h.rMin;
  const tMax = h.rMin + h.rStep * (h.nr - 1);
  const chi = new Float64Array(k.length);
  const kk = Float64Array.from(k);
  let from = NaN;
  let to = NaN;
  const n = Math.min(r.length, g.length);
  for (let i = 0; i < n; i++) {
    const ri = r[i];
    if (!(ri >= tMin && ri <= tMax)) continue;
    // trapezoid weight of node i on the (possibly non-uniform) r grid, restricted to the table range
    const left = i > 0 && r[i - 1] >= tMin ? 0.5 * (ri - r[i - 1]) : 0;
    const right = i < n - 1 && r[i + 1] <= tMax ? 0.5 * (r[i + 1] - ri) : 0;
    const w = left + right;
    const gi = Math.max(0, g[i]);
    if (!(w > 0) || gi === 0) {
      if (w > 0) {
        if (Number.isNaN(from)) from = ri;
        to = ri;
      }
      continue;
    }
    if (Number.isNaN(from)) from = ri;
    to = ri;
    const amp = 4 * Math.PI * ri * ri * rho * gi * w;
    const g2 = gamma2At(tables, ri, kk);
    for (let j = 0; j < kk.length; j++) chi[j] += amp * g2[j];
  }
  return {
    k: kk,
    chi,
    r_from: from,
    r_to: to,
    note: `2-body part ∫4πr²ρg(r)γ2(r,k)dr over r = ${Number.isFinite(from) ? from.toFixed(2) : '—'}–${Number.isFinite(to) ? to.toFixed(2) : '—'} Å from the predicted g(r) and ρ through the ${tables.element} ${tables.edge} γ2 table (S0² = 1, ΔE = 0); the 3-body part is not included (the networks do not predict g3)`,
  };
}

/** R-factor Σ(k^w(χdata − χsim))² / Σ(k^w χdata)² over the common grid. */
export function rFactor(k: ArrayLike<number>, data: ArrayLike<number>, sim: ArrayLike<number>, kweight: number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < k.length; i++) {
    const w = Math.pow(k[i], kweight);
    num += (w * (data[i] - sim[i])) ** 2;
    den += (w * data[i]) ** 2;
  }
  return den > 0 ? num / den : NaN;
}
