/**
 * Stochastic velocity rescaling (canonical sampling through velocity rescaling, CSVR):
 * G. Bussi, D. Donadio, M. Parrinello, J. Chem. Phys. 126, 014101 (2007).
 *
 * The kinetic energy K follows the stochastic differential equation
 *   dK = (K̄ − K)·dt/τ + 2·sqrt(K·K̄/Nf)·dW/sqrt(τ),   K̄ = ½·Nf·kB·T,
 * whose exact propagation over one step is drawn below; the velocities are then scaled by
 * sqrt(K_new/K). It samples the canonical ensemble (K has the Γ(Nf/2) distribution with the
 * right variance 2K̄²/Nf) and perturbs the dynamics only weakly for τ ≫ dt. LAMMPS offers the
 * same thermostat as `fix temp/csvr`, so the two engines run the same ensemble.
 */
import type { Rng } from '../util/rng.js';

/** Γ(shape, 1) deviate for shape ≥ 1 (Marsaglia & Tsang, ACM TOMS 26, 363 (2000)). */
export function gammaDeviate(rng: Rng, shape: number): number {
  if (shape < 1) {
    // boost: Γ(a) = Γ(a+1)·U^(1/a)
    return gammaDeviate(rng, shape + 1) * Math.pow(rng.uniform() || 1e-300, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Sum of n squared standard normal deviates (a χ²_n deviate). */
export function sumSquaredNormals(rng: Rng, n: number): number {
  if (n <= 0) return 0;
  if (n === 1) {
    const r = rng.normal();
    return r * r;
  }
  if (n % 2 === 0) return 2 * gammaDeviate(rng, n / 2);
  const r = rng.normal();
  return 2 * gammaDeviate(rng, (n - 1) / 2) + r * r;
}

/**
 * New kinetic energy after one CSVR step.
 * @param kin current kinetic energy
 * @param target K̄ = ½·Nf·kB·T
 * @param nf degrees of freedom
 * @param tauSteps τ/dt
 */
export function csvrKinetic(rng: Rng, kin: number, target: number, nf: number, tauSteps: number): number {
  const c = tauSteps > 0.1 ? Math.exp(-1 / tauSteps) : 0;
  const r1 = rng.normal();
  const s = sumSquaredNormals(rng, nf - 1);
  const kNew =
    kin +
    (1 - c) * ((target * (s + r1 * r1)) / nf - kin) +
    2 * r1 * Math.sqrt(((kin * target) / nf) * (1 - c) * c);
  return kNew > 0 ? kNew : 0;
}
