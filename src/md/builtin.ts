/**
 * The builtin engine: runs an MdSpec in-process (velocity Verlet + CSVR on EAM), as a
 * synchronous generator of snapshots (usable inside worker threads) and as an async one.
 */
import { buildLattice, type Configuration } from '../structure/index.js';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { fingerprint } from '../analysis/index.js';
import { EamPotential } from './eam.js';
import { eamEnergyForces } from './forcefield.js';
import { MdSystem } from './system.js';
import { KB } from './units.js';
import { type MdSpec, type Stage, stageStartTemperature, stageTemperature, validateSpec } from './spec.js';

export interface Stat {
  mean: number;
  std: number;
  n: number;
}

export interface FrameFingerprint {
  step: number;
  fcc: number;
  hcp: number;
  bcc: number;
  diamond: number;
  other: number;
  dominant: string;
}

export interface MdSummary {
  engine: string;
  version: string;
  atoms: number;
  steps: number;
  frames: number;
  dt: number;
  seed: number;
  averages: { temperature: Stat; pe: Stat; pressure: Stat; msd: Stat };
  units: { temperature: 'K'; pe: 'eV/atom'; pressure: 'GPa'; msd: 'Å²'; time: 'ps' };
  tether: { k: number; targetMsd: number | null; calibration: { k: number; msd: number }[] } | null;
  fingerprints: FrameFingerprint[];
  timing: {
    seconds: number;
    atomStepsPerSecond: number;
    wallTotal?: number;
    /** CPU time of the MD loop (builtin: this process; LAMMPS: loop time × its reported CPU use) */
    cpuSeconds?: number;
  };
  neighbourBuilds?: number;
  /** box at the end of the run (changes only in stages with a barostat) */
  box: [number, number, number];
}

export interface RunHooks {
  /** called now and then with steps done / total */
  onProgress?: (done: number, total: number) => void;
}

class Acc {
  private s = 0;
  private s2 = 0;
  n = 0;
  add(x: number): void {
    this.s += x;
    this.s2 += x * x;
    this.n++;
  }
  get(): Stat {
    const m = this.n ? this.s / this.n : NaN;
    const v = this.n > 1 ? Math.max(0, (this.s2 - this.n * m * m) / (this.n - 1)) : 0;
    return { mean: m, std: Math.sqrt(v), n: this.n };
  }
}

/** Collects per-frame numbers into the summary (shared with the LAMMPS engine). */
export class SummaryBuilder {
  private t = new Acc();
  private pe = new Acc();
  private p = new Acc();
  private msd = new Acc();
  readonly fps: FrameFingerprint[] = [];
  frames = 0;
  add(props: Record<string, string | number>): void {
    this.frames++;
    this.t.add(Number(props.temperature));
    this.pe.add(Number(props.pe));
    this.p.add(Number(props.pressure));
    if (props.msd !== undefined) this.msd.add(Number(props.msd));
    if (props.phase !== undefined) {
      this.fps.push({
        step: Number(props.step),
        fcc: Number(props.fp_fcc),
        hcp: Number(props.fp_hcp),
        bcc: Number(props.fp_bcc),
        diamond: Number(props.fp_diamond),
        other: Number(props.fp_other),
        dominant: String(props.phase),
      });
    }
  }
  averages(): MdSummary['averages'] {
    return { temperature: this.t.get(), pe: this.pe.get(), pressure: this.p.get(), msd: this.msd.get() };
  }
}

/** Adds the structure fingerprint of a configuration to its props (fp_* fractions and phase). */
export function addFingerprint(conf: Configuration): void {
  const fp = fingerprint(conf);
  const props = (conf.props ??= {});
  props.fp_fcc = round(fp.fractions.fcc);
  props.fp_hcp = round(fp.fractions.hcp);
  props.fp_bcc = round(fp.fractions.bcc);
  props.fp_diamond = round(fp.fractions.diamond);
  props.fp_other = round(fp.fractions.other);
  props.phase = fp.dominant;
}

function round(x: number, d = 4): number {
  const s = 10 ** d;
  return Math.round(x * s) / s;
}

export function loadPotential(p: string | EamPotential): EamPotential {
  return typeof p === 'string' ? EamPotential.fromFile(p) : p;
}

/** Element symbols of the spec's types. */
export function specElements(spec: MdSpec, pot: EamPotential): string[] {
  const els = spec.elements ?? [spec.configuration.element ?? pot.elements[0].symbol];
  for (const e of els) pot.elementIndex(e);
  return els;
}

/**
 * Equilibrium fcc lattice constant (Å) and cohesive energy (eV/atom, positive) of an element
 * under a potential, by golden-section minimisation of the static lattice energy.
 */
export function fccGroundState(pot: EamPotential, element: string): { a: number; ec: number } {
  const e = pot.elementIndex(element);
  const el = pot.elements[e];
  const guess = /fcc/i.test(el.structure) && el.lattice > 0 ? el.lattice : 3.5;
  const energy = (a: number) => {
    const cells = Math.max(2, Math.ceil((2 * pot.cutoff) / a + 1e-9));
    const c = buildLattice('fcc', a, cells);
    return eamEnergyForces(pot, c.positions, c.box, new Int32Array(c.n).fill(e)).energy / c.n;
  };
  let lo = 0.85 * guess,
    hi = 1.15 * guess;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo),
    x2 = lo + g * (hi - lo);
  let f1 = energy(x1),
    f2 = energy(x2);
  for (let it = 0; it < 40 && hi - lo > 1e-6; it++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = energy(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = energy(x2);
    }
  }
  const a = (lo + hi) / 2;
  return { a, ec: -energy(a) };
}

/** The Berendsen box scaling is applied every this many steps (each forces a list rebuild). */
const BARO_EVERY = 10;

const fccMsdCache = new Map<string, number>();

/**
 * Mean-square displacement (Å², 3D) of fcc atoms about their sites at temperature T under the
 * potential, from a short NVT run of 256+ atoms at the 0 K lattice constant (cached per
 * potential, element and T). This is the "MD-like" disorder the tether aims for by default.
 */
export function fccReferenceMsd(pot: EamPotential, element: string, temperature: number, seed = 1): number {
  const key = `${pot.tables.source}|${element}|${temperature.toFixed(1)}`;
  const hit = fccMsdCache.get(key);
  if (hit !== undefined) return hit;
  if (!(temperature > 0)) return 0;
  const { a } = fccGroundState(pot, element);
  const cells = Math.max(4, Math.ceil((2 * (pot.cutoff + 0.3)) / a + 1e-9));
  const conf = buildLattice('fcc', a, cells, { element });
  const sys = new MdSystem(conf, pot, { elements: [element], skin: 0.3 });
  const rng = new Rng(Rng.derive(seed, 7001, Math.round(temperature)));
  sys.initVelocities(temperature, rng);
  const dt = 0.002;
  for (let s = 0; s < 600; s++) {
    sys.verletStep(dt);
    sys.thermostat(temperature, 0.05, dt, rng);
  }
  let sum = 0,
    k = 0;
  for (let s = 0; s < 1500; s++) {
    sys.verletStep(dt);
    sys.thermostat(temperature, 0.1, dt, rng);
    if (s % 10 === 9) {
      sum += sys.msdFromSites();
      k++;
    }
  }
  const msd = sum / k;
  fccMsdCache.set(key, msd);
  return msd;
}

/**
 * Choose the tether spring k so that the tethered structure's MSD at T matches `target`.
 * The EAM adds an effective (possibly negative) spring k_eam to the tether k; from a short run
 * at k we estimate k_eam = 3kBT/⟨u²⟩ − k (equipartition for a harmonic well) and set
 * k ← 3kBT/target − k_eam, three times. Works on `sys` in place (its state carries on).
 */
export function calibrateTether(
  sys: MdSystem,
  temperature: number,
  target: number,
  dt: number,
  rng: Rng,
  opts: { rounds?: number; steps?: number } = {},
): { k: number; msd: number }[] {
  const kT3 = 3 * KB * temperature;
  const kTarget = kT3 / target;
  const kMin = 0.05 * kTarget;
  let k = kTarget;
  const hist: { k: number; msd: number }[] = [];
  const rounds = opts.rounds ?? 3;
  const steps = opts.steps ?? 800;
  for (let r = 0; r < rounds; r++) {
    sys.tetherK = k;
    sys.computeForces();
    for (let s = 0; s < steps / 4; s++) {
      sys.verletStep(dt);
      sys.thermostat(temperature, 0.05, dt, rng);
    }
    let sum = 0,
      m = 0;
    for (let s = 0; s < steps; s++) {
      sys.verletStep(dt);
      sys.thermostat(temperature, 0.05, dt, rng);
      if (s % 5 === 4) {
        sum += sys.msdFromSites();
        m++;
      }
    }
    const msd = sum / m;
    hist.push({ k, msd });
    const kEam = kT3 / msd - k;
    k = Math.max(kMin, kTarget - kEam);
  }
  sys.tetherK = k;
  sys.computeForces();
  return hist;
}

/** Temperature at which tether 'auto' is calibrated: the first sampled stage's start. */
export function tetherTemperature(stages: Stage[]): number {
  const s = stages.find((x) => x.sample) ?? stages[stages.length - 1];
  return stageStartTemperature(s);
}

/**
 * Run a spec with the builtin engine as a synchronous generator of snapshots; the generator's
 * return value is the summary. Safe to use in worker threads (no I/O).
 */
export function* builtinFrames(
  spec: MdSpec,
  hooks: RunHooks = {},
): Generator<Configuration, MdSummary, void> {
  validateSpec(spec);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const pot = loadPotential(spec.potential);
  const elements = specElements(spec, pot);
  const conf = spec.configuration;
  const dt = spec.dt ?? 0.001;
  const tau = spec.tau ?? 0.1;
  const nvt = (spec.ensemble ?? 'nvt') === 'nvt';
  const tauP = spec.barostatTau ?? 1;
  const bulk = spec.bulkModulus ?? 100;
  const sys = new MdSystem(conf, pot, { elements, skin: spec.skin });
  const rng = new Rng(Rng.derive(spec.seed, 3));
  const tInit = spec.initialTemperature ?? stageStartTemperature(spec.stages[0]);
  const total = spec.stages.reduce((s, st) => s + st.steps, 0);

  // tether
  let tether: MdSummary['tether'] = null;
  const tspec = spec.tether ?? 'none';
  if (tspec === 'auto') {
    const T = tetherTemperature(spec.stages);
    if (!(T > 0))
      throw new UserError('tether auto: needs a sampling temperature above 0 K (or give a spring constant)');
    const target = spec.tetherMsd ?? fccReferenceMsd(pot, elements[0], T, spec.seed);
    sys.tetherK = (3 * KB * T) / target;
    sys.computeForces();
    sys.initVelocities(T, rng);
    const calibration = calibrateTether(sys, T, target, dt, rng);
    tether = { k: sys.tetherK, targetMsd: target, calibration };
  } else if (typeof tspec === 'number' && tspec > 0) {
    sys.tetherK = tspec;
    sys.computeForces();
    tether = { k: tspec, targetMsd: null, calibration: [] };
  }
  if (tspec !== 'auto') sys.initVelocities(tInit, rng);

  const sb = new SummaryBuilder();
  const wantFp = spec.fingerprints ?? true;
  let step = 0;
  let lastReport = 0;
  for (const st of spec.stages) {
    for (let s = 1; s <= st.steps; s++) {
      sys.verletStep(dt);
      if (nvt) sys.thermostat(stageTemperature(st, s), tau, dt, rng);
      if (st.pressure !== undefined && s % BARO_EVERY === 0)
        sys.berendsen(st.pressure, BARO_EVERY * dt, tauP, bulk);
      step++;
      if (st.sample && step % spec.every === 0) {
        const kin = sys.kinetic();
        const props: Record<string, string | number> = {
          step,
          time: round(step * dt, 9),
          temperature: sys.temperature(kin),
          pe: sys.epot / sys.n,
          pressure: sys.pressure(kin),
          msd: sys.msdFromSites(),
          tether_k: sys.tetherK,
          seed: spec.seed,
          engine: 'builtin',
        };
        if (st.label) props.stage = st.label;
        const frame = sys.configuration(conf, props);
        if (wantFp) addFingerprint(frame);
        sb.add(frame.props!);
        yield frame;
      }
      if (hooks.onProgress && step - lastReport >= 100) {
        lastReport = step;
        hooks.onProgress(step, total);
      }
    }
  }
  hooks.onProgress?.(total, total);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return {
    engine: 'builtin',
    version: 'exafsnn',
    atoms: sys.n,
    steps: total,
    frames: sb.frames,
    dt,
    seed: spec.seed,
    averages: sb.averages(),
    units: { temperature: 'K', pe: 'eV/atom', pressure: 'GPa', msd: 'Å²', time: 'ps' },
    tether,
    fingerprints: sb.fps,
    timing: {
      seconds,
      atomStepsPerSecond: (sys.n * total) / seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    },
    neighbourBuilds: sys.ff.builds,
    box: [sys.box[0], sys.box[1], sys.box[2]],
  };
}

/** Run a spec synchronously; calls onFrame for every snapshot and returns the summary. */
export function runBuiltinSync(
  spec: MdSpec,
  onFrame?: (c: Configuration) => void,
  hooks: RunHooks = {},
): MdSummary {
  const gen = builtinFrames(spec, hooks);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    onFrame?.(r.value);
  }
}
