/**
 * The builtin MD integrator: velocity Verlet (Swope et al., J. Chem. Phys. 76, 637 (1982)) on
 * an EAM force field, optional harmonic tether of every atom to a site, CSVR thermostat.
 * Units: Å, eV, ps, amu (see units.ts). Everything lives in typed arrays allocated once.
 */
import type { Configuration } from '../structure/index.js';
import { Rng } from '../util/rng.js';
import { EamPotential } from './eam.js';
import { EamForceField } from './forcefield.js';
import { csvrKinetic } from './thermostat.js';
import { EVA3_GPA, FTM2V, KB, MVV2E } from './units.js';
import { UserError } from '../util/errors.js';

export interface SystemOptions {
  /** element symbol of each type (types are 1-based); default: conf.element or the potential's first */
  elements?: string[];
  skin?: number;
}

export class MdSystem {
  readonly n: number;
  box: [number, number, number];
  volume: number;
  readonly x: Float64Array;
  readonly v: Float64Array;
  readonly f: Float64Array;
  readonly mass: Float64Array;
  /** FTM2V / m per atom: force (eV/Å) → acceleration (Å/ps²) */
  readonly accel: Float64Array;
  readonly ff: EamForceField;
  /** tether sites (Å) and spring constant (eV/Å²); k = 0 disables */
  readonly sites: Float64Array;
  tetherK = 0;
  /** EAM potential energy (eV), tether energy (eV) and virial (eV) at the current positions */
  epot = 0;
  etether = 0;
  virial = 0;
  step = 0;

  constructor(
    conf: Configuration,
    readonly pot: EamPotential,
    opts: SystemOptions = {},
  ) {
    this.n = conf.n;
    this.box = [conf.box[0], conf.box[1], conf.box[2]];
    this.volume = this.box[0] * this.box[1] * this.box[2];
    this.x = new Float64Array(conf.positions);
    this.v = new Float64Array(3 * this.n);
    this.f = new Float64Array(3 * this.n);
    const symbols = opts.elements ?? [conf.element ?? pot.elements[0].symbol];
    const typeElem = symbols.map((s) => pot.elementIndex(s));
    const elem = new Int32Array(this.n);
    this.mass = new Float64Array(this.n);
    this.accel = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const t = conf.types ? conf.types[i] : 1;
      if (t < 1 || t > typeElem.length) {
        throw new UserError(
          `atom ${i + 1} has type ${t} but only ${typeElem.length} element(s) were given (${symbols.join(', ')})`,
        );
      }
      elem[i] = typeElem[t - 1];
      this.mass[i] = pot.elements[elem[i]].mass;
      this.accel[i] = FTM2V / this.mass[i];
    }
    this.ff = new EamForceField(pot, this.n, this.box, elem, opts.skin ?? 0.4);
    this.sites = new Float64Array(conf.positions);
    this.computeForces();
  }

  /** Degrees of freedom: 3N − 3 (total momentum is conserved and zero), 3N with a tether. */
  get dof(): number {
    return this.tetherK > 0 ? 3 * this.n : 3 * this.n - 3;
  }

  /** Total kinetic energy (eV). */
  kinetic(): number {
    const v = this.v,
      m = this.mass;
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const a = v[3 * i],
        b = v[3 * i + 1],
        c = v[3 * i + 2];
      s += m[i] * (a * a + b * b + c * c);
    }
    return 0.5 * MVV2E * s;
  }

  temperature(kin = this.kinetic()): number {
    return (2 * kin) / (this.dof * KB);
  }

  /** Pressure (GPa) from the virial theorem: P = (2K + W)/(3V); the tether does not enter. */
  pressure(kin = this.kinetic()): number {
    return ((2 * kin + this.virial) / (3 * this.volume)) * EVA3_GPA;
  }

  /** Maxwell–Boltzmann velocities at temperature T, zero total momentum, rescaled to exactly T. */
  initVelocities(temperature: number, rng: Rng): void {
    const v = this.v;
    for (let i = 0; i < this.n; i++) {
      const s = Math.sqrt((KB * temperature) / (this.mass[i] * MVV2E));
      v[3 * i] = s * rng.normal();
      v[3 * i + 1] = s * rng.normal();
      v[3 * i + 2] = s * rng.normal();
    }
    this.removeDrift();
    const t = this.temperature();
    const scale = t > 0 ? Math.sqrt(temperature / t) : 0;
    for (let k = 0; k < 3 * this.n; k++) v[k] *= scale;
  }

  /** Remove the centre-of-mass velocity. */
  removeDrift(): void {
    let px = 0,
      py = 0,
      pz = 0,
      mt = 0;
    const v = this.v,
      m = this.mass;
    for (let i = 0; i < this.n; i++) {
      px += m[i] * v[3 * i];
      py += m[i] * v[3 * i + 1];
      pz += m[i] * v[3 * i + 2];
      mt += m[i];
    }
    px /= mt;
    py /= mt;
    pz /= mt;
    for (let i = 0; i < this.n; i++) {
      v[3 * i] -= px;
      v[3 * i + 1] -= py;
      v[3 * i + 2] -= pz;
    }
  }

  /**
   * Scale the box, the positions and the tether sites isotropically by mu (about the origin);
   * the neighbour list is rebuilt at the next force evaluation, forces are recomputed here.
   */
  scaleBox(mu: number): void {
    const x = this.x,
      s = this.sites;
    for (let k = 0; k < 3 * this.n; k++) {
      x[k] *= mu;
      s[k] *= mu;
    }
    this.box = [this.box[0] * mu, this.box[1] * mu, this.box[2] * mu];
    this.volume = this.box[0] * this.box[1] * this.box[2];
    this.ff.setBox(this.box);
    this.computeForces();
  }

  /**
   * Berendsen barostat step (H. J. C. Berendsen et al., J. Chem. Phys. 81, 3684 (1984)):
   * isotropic scaling μ = [1 − (Δt/τp)·(P0 − P)/B]^(1/3) with bulk modulus B (GPa), applied
   * over an interval Δt (ps). Relaxes the density towards pressure P0 (GPa); it does not sample
   * NPT fluctuations, so sampling stages should run at constant volume afterwards.
   */
  berendsen(p0: number, interval: number, tauP: number, bulkModulus: number): void {
    const p = this.pressure();
    let mu3 = 1 - ((interval / tauP) * (p0 - p)) / bulkModulus;
    mu3 = Math.min(1.03, Math.max(0.97, mu3));
    this.scaleBox(Math.cbrt(mu3));
  }

  /** Set the tether sites to the current (unwrapped) positions. */
  setSitesHere(): void {
    this.unwrapped(this.sites);
  }

  /** Unwrapped positions (x + image·L) into out. */
  unwrapped(out: Float64Array): Float64Array {
    const img = this.ff.image,
      L = this.box;
    for (let k = 0; k < 3 * this.n; k++) out[k] = this.x[k] + img[k] * L[k % 3];
    return out;
  }

  /** Mean-square displacement (Å²) of the atoms from their tether sites (unwrapped). */
  msdFromSites(): number {
    const img = this.ff.image,
      L = this.box,
      x = this.x,
      s = this.sites;
    let sum = 0;
    for (let i = 0; i < this.n; i++)
      for (let d = 0; d < 3; d++) {
        const k = 3 * i + d;
        const u = x[k] + img[k] * L[d] - s[k];
        sum += u * u;
      }
    return sum / this.n;
  }

  computeForces(): void {
    const r = this.ff.compute(this.x, this.f);
    this.epot = r.energy;
    this.virial = r.virial;
    this.etether = 0;
    const k = this.tetherK;
    if (k > 0) {
      const img = this.ff.image,
        L = this.box,
        x = this.x,
        s = this.sites,
        f = this.f;
      let e = 0;
      for (let i = 0; i < this.n; i++)
        for (let d = 0; d < 3; d++) {
          const q = 3 * i + d;
          const u = x[q] + img[q] * L[d] - s[q];
          f[q] -= k * u;
          e += u * u;
        }
      this.etether = 0.5 * k * e;
    }
  }

  /** One velocity-Verlet step of length dt (ps). */
  verletStep(dt: number): void {
    const n3 = 3 * this.n;
    const x = this.x,
      v = this.v,
      f = this.f,
      acc = this.accel;
    const h = 0.5 * dt;
    for (let i = 0, k = 0; k < n3; i++, k += 3) {
      const a = h * acc[i];
      v[k] += a * f[k];
      v[k + 1] += a * f[k + 1];
      v[k + 2] += a * f[k + 2];
      x[k] += dt * v[k];
      x[k + 1] += dt * v[k + 1];
      x[k + 2] += dt * v[k + 2];
    }
    this.computeForces();
    for (let i = 0, k = 0; k < n3; i++, k += 3) {
      const a = h * acc[i];
      v[k] += a * f[k];
      v[k + 1] += a * f[k + 1];
      v[k + 2] += a * f[k + 2];
    }
    this.step++;
  }

  /** CSVR thermostat step towards temperature T with time constant tau (ps). */
  thermostat(temperature: number, tau: number, dt: number, rng: Rng): void {
    const kin = this.kinetic();
    if (!(kin > 0)) return;
    const target = 0.5 * this.dof * KB * temperature;
    const kNew = csvrKinetic(rng, kin, target, this.dof, tau / dt);
    const a = Math.sqrt(kNew / kin);
    const v = this.v;
    for (let k = 0; k < 3 * this.n; k++) v[k] *= a;
  }

  /** A snapshot of the current state as a Configuration (positions wrapped into the box). */
  configuration(base: Configuration, props: Record<string, string | number>): Configuration {
    const p = new Float64Array(3 * this.n);
    const L = this.box;
    for (let k = 0; k < 3 * this.n; k++) {
      const l = L[k % 3];
      let y = this.x[k] % l;
      if (y < 0) y += l;
      p[k] = y >= l ? 0 : y;
    }
    return {
      n: this.n,
      positions: p,
      box: [L[0], L[1], L[2]],
      types: base.types ? new Int32Array(base.types) : new Int32Array(this.n).fill(1),
      element: base.element,
      props,
    };
  }
}
