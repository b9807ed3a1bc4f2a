/**
 * What an MD run is asked to do (engine-independent), protocols that build temperature
 * schedules, and validation of a spec with errors that name the field.
 */
import type { Configuration } from '../structure/index.js';
import { UserError } from '../util/errors.js';
import type { EamPotential } from './eam.js';

/** One stage of the temperature schedule: constant T, or a linear ramp [T0, T1]. */
export interface Stage {
  steps: number;
  /** K; a pair ramps linearly from the first to the second over the stage */
  temperature: number | [number, number];
  /** emit snapshots (every `every` steps) during this stage */
  sample?: boolean;
  /** relax the density towards this pressure (GPa) with a Berendsen barostat during the stage */
  pressure?: number;
  label?: string;
}

export type TetherSpec = 'auto' | 'none' | number;

export interface MdSpec {
  /** starting configuration (its positions are also the tether sites) */
  configuration: Configuration;
  /** setfl/funcfl path or a loaded potential (the LAMMPS engine needs a setfl file: a loaded potential is written to one) */
  potential: string | EamPotential;
  /** element of each type (1-based types); default [configuration.element] */
  elements?: string[];
  stages: Stage[];
  /** sampling interval in steps */
  every: number;
  /** time step in ps (default 0.001 = 1 fs) */
  dt?: number;
  seed: number;
  /** 'nvt' (default) or 'nve' (no thermostat; the stage temperatures only set the initial velocities) */
  ensemble?: 'nvt' | 'nve';
  /** thermostat time constant in ps (default 0.1 = 100 fs) */
  tau?: number;
  /** harmonic tether to the starting sites: 'none' (default), 'auto' or a spring constant in eV/Å² */
  tether?: TetherSpec;
  /** target mean-square displacement (Å², 3D) for tether 'auto'; default: the fcc value of the same potential at T */
  tetherMsd?: number;
  /** Verlet skin in Å (default 0.4) */
  skin?: number;
  /** temperature of the initial Maxwell–Boltzmann velocities (default: the first stage's start T) */
  initialTemperature?: number;
  /** Berendsen barostat time constant (ps, default 1) and bulk modulus (GPa, default 100) */
  barostatTau?: number;
  bulkModulus?: number;
  /** compute the structure fingerprint of each snapshot (default true) */
  fingerprints?: boolean;
}

/** Equilibrate at T, then sample `steps` steps. */
export function equilibrateAndSample(
  temperature: number,
  equilibrationSteps: number,
  steps: number,
): Stage[] {
  const st: Stage[] = [];
  if (equilibrationSteps > 0) st.push({ steps: equilibrationSteps, temperature, label: 'equilibrate' });
  st.push({ steps, temperature, sample: true, label: 'sample' });
  return st;
}

/** Linear temperature ramp (sampled or not). */
export function ramp(t0: number, t1: number, steps: number, sample = false): Stage {
  return { steps, temperature: [t0, t1], sample, label: `ramp ${t0}→${t1} K` };
}

export interface MeltQuenchOptions {
  /** pressure (GPa) at which the melt finds its density during heating, hold, cooling and
   *  equilibration (Berendsen); default 0. null keeps the starting volume throughout. */
  pressure?: number | null;
  /** melting temperature to heat to (K); for ZJW Ni the liquid is reached well above ~1700 K: default 2500 */
  meltTemperature?: number;
  heatSteps?: number;
  holdSteps?: number;
  /** cooling ramp to the target (steps); undercooled liquids need fast quenches (≥ 1e12 K/s) */
  coolSteps?: number;
  equilibrationSteps?: number;
  /** sampled steps at the target */
  steps: number;
  /** target temperature (K), e.g. 1300–2000 for liquid and undercooled Ni */
  temperature: number;
}

/**
 * Melt and quench: ramp up to the melt temperature, hold to lose the crystal, cool to the target,
 * equilibrate, sample.
 */
export function meltQuench(o: MeltQuenchOptions): Stage[] {
  const tm = o.meltTemperature ?? 2500;
  const p = o.pressure === null ? undefined : (o.pressure ?? 0);
  const withP = (st: Stage): Stage => (p === undefined ? st : { ...st, pressure: p });
  return [
    withP(ramp(300, tm, o.heatSteps ?? 5000)),
    withP({ steps: o.holdSteps ?? 10000, temperature: tm, label: 'hold liquid' }),
    withP(ramp(tm, o.temperature, o.coolSteps ?? 5000)),
    withP({ steps: o.equilibrationSteps ?? 5000, temperature: o.temperature, label: 'equilibrate' }),
    { steps: o.steps, temperature: o.temperature, sample: true, label: 'sample' },
  ];
}

/** Temperature at the end of step s (1-based within the stage). */
export function stageTemperature(st: Stage, s: number): number {
  if (typeof st.temperature === 'number') return st.temperature;
  const [a, b] = st.temperature;
  return a + ((b - a) * s) / st.steps;
}

export function stageStartTemperature(st: Stage): number {
  return typeof st.temperature === 'number' ? st.temperature : st.temperature[0];
}

/** Throws a UserError naming the field when a spec is not usable. */
export function validateSpec(spec: MdSpec): void {
  const c = spec.configuration;
  if (!c || !(c.n > 0)) throw new UserError('configuration: expected at least one atom');
  if (!Array.isArray(spec.stages) || spec.stages.length === 0)
    throw new UserError('stages: expected at least one stage');
  spec.stages.forEach((st, k) => {
    if (!Number.isInteger(st.steps) || st.steps < 0)
      throw new UserError(`stages[${k}].steps: expected a non-negative integer, got ${st.steps}`);
    const ts = typeof st.temperature === 'number' ? [st.temperature] : st.temperature;
    for (const t of ts) {
      if (!Number.isFinite(t) || t < 0)
        throw new UserError(`stages[${k}].temperature: expected a temperature ≥ 0 K, got ${t}`);
    }
    if (st.pressure !== undefined && !Number.isFinite(st.pressure))
      throw new UserError(`stages[${k}].pressure: expected a pressure in GPa, got ${st.pressure}`);
  });
  if (!Number.isInteger(spec.every) || spec.every < 1)
    throw new UserError(`every: expected a positive integer number of steps, got ${spec.every}`);
  const dt = spec.dt ?? 0.001;
  if (!(dt > 0) || dt > 0.01) throw new UserError(`dt: expected a time step in ps in (0, 0.01], got ${dt}`);
  if (spec.tau !== undefined && !(spec.tau > 0))
    throw new UserError(`tau: expected a positive time constant in ps, got ${spec.tau}`);
  if (typeof spec.tether === 'number' && !(spec.tether >= 0))
    throw new UserError(`tether: expected a spring constant ≥ 0 eV/Å², got ${spec.tether}`);
  if (spec.tetherMsd !== undefined && !(spec.tetherMsd > 0))
    throw new UserError(
      `tetherMsd: expected a positive mean-square displacement in Å², got ${spec.tetherMsd}`,
    );
  if (!Number.isFinite(spec.seed)) throw new UserError(`seed: expected a number, got ${spec.seed}`);
}
