/**
 * The LAMMPS engine: the same MdSpec run by LAMMPS (`lmp`, or `mpirun -np N lmp`) with
 * pair_style eam/alloy on the same setfl file, our seeded Maxwell–Boltzmann velocities in the
 * data file, `fix nvt` (Nosé–Hoover chain; Debian's LAMMPS lacks fix temp/csvr) with
 * Tdamp = tau, `fix spring/self` for the tether, `dump custom id type x y z` at the sampling
 * interval, and a `fix print` line per snapshot with step, T, PE, P and MSD. Frames are read
 * back through the structure package's dump reader once LAMMPS has finished.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLammpsDumpFrames, type Configuration } from '../structure/index.js';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { writeSetfl } from './eam.js';
import {
  SummaryBuilder,
  addFingerprint,
  calibrateTether,
  fccReferenceMsd,
  loadPotential,
  specElements,
  tetherTemperature,
  type MdSummary,
  type RunHooks,
} from './builtin.js';
import { MdSystem } from './system.js';
import { findLammps, formatLammpsData, runLammps } from './lammpsIo.js';
import { KB } from './units.js';
import { type MdSpec, stageStartTemperature, validateSpec } from './spec.js';

export interface LammpsOptions {
  /** MPI processes (mpirun -np N); default 1 */
  np?: number;
  /** OpenMP threads per process (OMP_NUM_THREADS); default 1 */
  threads?: number;
  /** executable (default $EXAFSNN_LMP or lmp) */
  exe?: string;
  /** keep the run folder here instead of a temporary one */
  workDir?: string;
}

/**
 * CPU seconds of LAMMPS' MD loops from its screen output: Σ over runs of
 * "Loop time of T on P procs" × P × "C% CPU use" / 100. Undefined when absent.
 */
export function lammpsCpuSeconds(stdout: string): number | undefined {
  const re = /Loop time of ([\d.eE+-]+) on (\d+) procs[\s\S]*?([\d.]+)% CPU use/g;
  let sum = 0,
    found = false;
  for (const m of stdout.matchAll(re)) {
    sum += (Number(m[1]) * Number(m[2]) * Number(m[3])) / 100;
    found = true;
  }
  return found ? sum : undefined;
}

/** The LAMMPS input script for a spec (exported for inspection and tests). */
export function lammpsInput(
  spec: MdSpec,
  o: { setfl: string; elements: string[]; tetherK: number; skin: number; seed: number },
): string {
  const dt = spec.dt ?? 0.001;
  const tau = spec.tau ?? 0.1;
  const nvt = (spec.ensemble ?? 'nvt') === 'nvt';
  const L: string[] = [
    '# written by exafsnn (src/md/lammps.ts)',
    'units metal',
    'atom_style atomic',
    'boundary p p p',
    'atom_modify map array',
    'read_data data.lmp',
    'pair_style eam/alloy',
    `pair_coeff * * ${o.setfl} ${o.elements.join(' ')}`,
    `neighbor ${o.skin} bin`,
    'neigh_modify every 1 delay 0 check yes',
    `timestep ${dt}`,
    'compute tt all temp',
  ];
  if (o.tetherK > 0) {
    // a tether breaks momentum conservation: all 3N degrees of freedom are thermal
    L.push('compute_modify tt extra/dof 0', `fix tether all spring/self ${o.tetherK}`);
  }
  L.push(
    'compute msd all msd',
    'thermo_style custom step temp pe press',
    'thermo_modify temp tt',
    `thermo ${Math.max(1, Math.min(1000, spec.every))}`,
    'variable st equal step',
    'variable tp equal c_tt',
    'variable ep equal pe',
    'variable pr equal press',
    'variable md equal c_msd[4]',
  );
  spec.stages.forEach((st, k) => {
    if (st.steps === 0) return;
    const [t0, t1] = typeof st.temperature === 'number' ? [st.temperature, st.temperature] : st.temperature;
    L.push(
      `# stage ${k + 1}: ${st.label ?? ''} ${st.steps} steps, T ${t0}→${t1} K${st.sample ? ', sampled' : ''}`,
    );
    if (nvt) {
      // LAMMPS needs T > 0 for fix nvt
      L.push(
        `fix th all nvt temp ${Math.max(t0, 1e-3)} ${Math.max(t1, 1e-3)} ${tau}`,
        'fix_modify th temp tt',
      );
    } else L.push('fix th all nve');
    if (st.pressure !== undefined) {
      // Berendsen density relaxation, pressures in bar, bulk modulus in bar
      const pb = st.pressure * 1e4;
      L.push(
        `fix baro all press/berendsen iso ${pb} ${pb} ${spec.barostatTau ?? 1} modulus ${(spec.bulkModulus ?? 100) * 1e4}`,
      );
    }
    if (st.sample) {
      L.push(
        `dump d all custom ${spec.every} traj.dump id type x y z`,
        'dump_modify d sort id format float %.10g',
        `fix pr all print ${spec.every} "\${st} \${tp} \${ep} \${pr} \${md}" append props.txt screen no`,
      );
    }
    L.push(`run ${st.steps}`, 'unfix th');
    if (st.pressure !== undefined) L.push('unfix baro');
    if (st.sample) L.push('undump d', 'unfix pr');
  });
  return L.join('\n') + '\n';
}

/** Run a spec with LAMMPS; yields snapshots, returns the summary. */
export async function* lammpsFrames(
  spec: MdSpec,
  hooks: RunHooks = {},
  opts: LammpsOptions = {},
): AsyncGenerator<Configuration, MdSummary, void> {
  validateSpec(spec);
  const cmd = findLammps({ exe: opts.exe, np: opts.np });
  const t0 = process.hrtime.bigint();
  const pot = loadPotential(spec.potential);
  const elements = specElements(spec, pot);
  const conf = spec.configuration;
  const dir = opts.workDir ? resolve(opts.workDir) : mkdtempSync(join(tmpdir(), 'exafsnn-md-'));
  if (opts.workDir && !existsSync(dir)) mkdirSync(dir, { recursive: true });
  try {
    // the same potential file: a setfl path is used as is; anything else is written out as setfl
    let setfl: string;
    if (typeof spec.potential === 'string' && !/\.eam$/i.test(spec.potential))
      setfl = resolve(spec.potential);
    else {
      setfl = join(dir, 'potential.eam.alloy');
      writeSetfl(setfl, pot.tables);
    }
    // initial velocities from our seeded generator (same as the builtin engine's)
    const sys = new MdSystem(conf, pot, { elements, skin: spec.skin });
    const rng = new Rng(Rng.derive(spec.seed, 3));
    let tether: MdSummary['tether'] = null;
    const tspec = spec.tether ?? 'none';
    if (tspec === 'auto') {
      // calibrated with the builtin engine (same potential), then applied in LAMMPS
      const T = tetherTemperature(spec.stages);
      if (!(T > 0))
        throw new UserError(
          'tether auto: needs a sampling temperature above 0 K (or give a spring constant)',
        );
      const target = spec.tetherMsd ?? fccReferenceMsd(pot, elements[0], T, spec.seed);
      sys.tetherK = (3 * KB * T) / target;
      sys.computeForces();
      sys.initVelocities(T, rng);
      const calibration = calibrateTether(sys, T, target, spec.dt ?? 0.001, rng);
      tether = { k: sys.tetherK, targetMsd: target, calibration };
    } else if (typeof tspec === 'number' && tspec > 0)
      tether = { k: tspec, targetMsd: null, calibration: [] };
    const fresh = new MdSystem(conf, pot, { elements, skin: spec.skin });
    fresh.tetherK = tether?.k ?? 0;
    fresh.initVelocities(
      spec.initialTemperature ?? stageStartTemperature(spec.stages[0]),
      new Rng(Rng.derive(spec.seed, 3)),
    );
    const masses = elements.map((e) => pot.elements[pot.elementIndex(e)].mass);
    writeFileSync(join(dir, 'data.lmp'), formatLammpsData(conf, masses, fresh.v));
    const skin = Math.max(0.05, Math.min(spec.skin ?? 0.4, Math.min(...conf.box) / 2 - pot.cutoff - 1e-6));
    writeFileSync(
      join(dir, 'in.lmp'),
      lammpsInput(spec, { setfl, elements, tetherK: tether?.k ?? 0, skin, seed: spec.seed }),
    );
    const total = spec.stages.reduce((s, st) => s + st.steps, 0);
    const run = await runLammps(cmd, dir, 'in.lmp', {
      threads: opts.threads,
      onLine: (line) => {
        const m = /^\s+(\d+)\s+[-\d.eE+]+\s+[-\d.eE+]+\s+[-\d.eE+]+\s*$/.exec(line);
        if (m && hooks.onProgress) hooks.onProgress(Math.min(total, Number(m[1])), total);
      },
    });
    hooks.onProgress?.(total, total);
    // per-snapshot numbers from fix print
    const props = new Map<number, number[]>();
    const pf = join(dir, 'props.txt');
    if (existsSync(pf)) {
      for (const line of readFileSync(pf, 'utf8').split('\n')) {
        const f = line.trim().split(/\s+/).map(Number);
        if (f.length >= 5 && f.every(Number.isFinite)) props.set(f[0], f);
      }
    }
    // sampled steps: multiples of every inside sampled stages, excluding each stage's first step
    const sampled = new Set<number>();
    let s0 = 0;
    for (const st of spec.stages) {
      if (st.sample) for (let s = s0 + 1; s <= s0 + st.steps; s++) if (s % spec.every === 0) sampled.add(s);
      s0 += st.steps;
    }
    const sb = new SummaryBuilder();
    const wantFp = spec.fingerprints ?? true;
    let lastBox: [number, number, number] = [conf.box[0], conf.box[1], conf.box[2]];
    const dump = join(dir, 'traj.dump');
    if (existsSync(dump)) {
      for await (const fr of readLammpsDumpFrames(dump, { element: conf.element })) {
        const step = Number(fr.props?.timestep);
        if (!sampled.has(step)) continue;
        const p = props.get(step);
        const frame: Configuration = {
          ...fr,
          element: conf.element,
          types: conf.types ? new Int32Array(conf.types) : fr.types,
          props: {
            step,
            time: Math.round(step * (spec.dt ?? 0.001) * 1e9) / 1e9,
            temperature: p ? p[1] : NaN,
            pe: p ? p[2] / conf.n : NaN,
            pressure: p ? p[3] / 1e4 : NaN,
            msd: p ? p[4] : NaN,
            tether_k: tether?.k ?? 0,
            seed: spec.seed,
            engine: 'lammps',
          },
        };
        if (wantFp) addFingerprint(frame);
        sb.add(frame.props!);
        lastBox = [fr.box[0], fr.box[1], fr.box[2]];
        yield frame;
      }
    }
    return {
      engine: 'lammps',
      version: cmd.version,
      atoms: conf.n,
      steps: total,
      frames: sb.frames,
      dt: spec.dt ?? 0.001,
      seed: spec.seed,
      averages: sb.averages(),
      units: { temperature: 'K', pe: 'eV/atom', pressure: 'GPa', msd: 'Å²', time: 'ps' },
      tether,
      fingerprints: sb.fps,
      box: lastBox,
      // LAMMPS process wall time; wall_total also counts setup, tether calibration and read-back
      timing: {
        seconds: run.seconds,
        atomStepsPerSecond: (conf.n * total) / run.seconds,
        wallTotal: Number(process.hrtime.bigint() - t0) / 1e9,
        cpuSeconds: lammpsCpuSeconds(run.stdout),
      },
    };
  } finally {
    if (!opts.workDir) rmSync(dir, { recursive: true, force: true });
  }
}
