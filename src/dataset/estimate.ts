/**
 * Cost estimate of a sweep from a short timing on this machine: for each structure entry, a few
 * MD steps of its first task at full size (seconds per step) and the analysis + χ(k) of one
 * snapshot (seconds per sample); then Σ over tasks of steps × t_step + snapshots × t_sample.
 * Tethered tasks add the tether calibration (3 rounds × 1000 steps, src/md calibrateTether).
 */
import { readFileSync } from 'node:fs';
import { runMd, type MdSpec } from '../md/index.js';
import { expandSpec, sampleCount, type SweepSpec, type Task } from './spec.js';
import { createSamplerParts, taskConfiguration, taskStages, analyseSnapshot } from './pipeline.js';

/** Extra MD steps of tether 'auto' calibration per task (src/md calibrateTether: 3 × (200 + 800)). */
export const TETHER_CALIBRATION_STEPS = 3000;

export interface EntryCost {
  entry: number;
  structure: string;
  atoms: number;
  tasks: number;
  samples: number;
  steps_per_task: number;
  seconds_per_step: number;
  /** per-run overhead (LAMMPS: process start), s */
  seconds_setup: number;
  seconds_per_sample: number;
  /** core-seconds for the whole entry */
  core_seconds: number;
}

export interface CostEstimate {
  tasks: number;
  samples: number;
  engine: string;
  entries: EntryCost[];
  core_hours: number;
  /** wall hours with `workers` workers on this machine */
  hours_here: number;
  workers: number;
  /** wall hours on N cluster cores (one task per core, same per-core speed) */
  hours_on: Record<string, number>;
  samples_per_core_hour: number;
  probe_seconds: number;
}

export function taskSteps(spec: SweepSpec, t: Task): number {
  const steps = taskStages(spec, t).reduce((s, st) => s + st.steps, 0);
  return steps + (t.tether === 'auto' ? TETHER_CALIBRATION_STEPS : 0);
}

/** Time `probeSteps` MD steps and one sample's analysis + χ for the first task of each entry. */
export async function estimateCost(
  spec: SweepSpec,
  opts: { probeSteps?: number; workers: number; clusterCores?: number[] },
): Promise<CostEstimate> {
  const t0 = performance.now();
  const tasks = expandSpec(spec);
  const probeSteps = opts.probeSteps ?? 50;
  const parts = await createSamplerParts(spec);
  const entries: EntryCost[] = [];
  for (let e = 0; e < spec.structures.length; e++) {
    const mine = tasks.filter((t) => t.entry === e);
    if (mine.length === 0) continue;
    const t = mine[0];
    const conf = taskConfiguration(t);
    // time = setup + steps × t_step, from two probes of n and 5n steps (setup: neighbour lists,
    // the snapshot's fingerprint; for LAMMPS also the process start and input parsing)
    const timeRun = async (steps: number) => {
      const md: MdSpec = {
        configuration: conf,
        potential: spec.engine === 'builtin' ? parts.pot : parts.potPath,
        stages: [{ steps, temperature: t.temperature, sample: true }],
        every: steps,
        dt: spec.md.dt,
        tau: spec.md.tau,
        seed: t.seed,
        fingerprints: true,
      };
      const a = cpuSeconds();
      const gen = runMd(md, {
        engine: spec.engine,
        lammps:
          spec.engine === 'lammps'
            ? { exe: spec.lammps.command, np: spec.lammps.mpi > 0 ? spec.lammps.mpi : undefined, threads: 1 }
            : undefined,
      });
      let last = null;
      for (;;) {
        const r = await gen.next();
        if (r.done) break;
        last = r.value;
      }
      return { seconds: cpuSeconds() - a, frame: last };
    };
    if (e === 0) await timeRun(Math.min(20, probeSteps)); // warm the JIT before the first timing
    const p1 = await timeRun(probeSteps);
    const frame = p1.frame;
    const p2 = await timeRun(5 * probeSteps);
    // on a busy machine the difference can drown in noise: then charge everything to the steps
    const fit = (p2.seconds - p1.seconds) / (4 * probeSteps);
    const tStep = fit > (0.3 * p2.seconds) / (5 * probeSteps) ? fit : p2.seconds / (5 * probeSteps);
    const tSetup = Math.max(0, p1.seconds - probeSteps * tStep);
    // analysis + χ(k) of two snapshots (two ΔE draws), averaged
    const b = cpuSeconds();
    analyseSnapshot(spec, t, 0, frame!, parts.grids);
    analyseSnapshot(spec, t, 1, p2.frame!, parts.grids);
    const tSample = (cpuSeconds() - b) / 2;
    let coreSeconds = 0;
    // tether calibration always runs in the builtin engine (src/md), even for LAMMPS runs
    const tBuiltinStep =
      spec.engine === 'builtin' || !mine.some((x) => x.tether === 'auto')
        ? tStep
        : await builtinStepTime(spec, t, parts, probeSteps);
    for (const x of mine) {
      const steps = taskSteps(spec, x) - (x.tether === 'auto' ? TETHER_CALIBRATION_STEPS : 0);
      coreSeconds +=
        tSetup +
        steps * tStep +
        (x.tether === 'auto' ? TETHER_CALIBRATION_STEPS * tBuiltinStep : 0) +
        x.snapshots * tSample;
    }
    entries.push({
      entry: e,
      structure: t.structure,
      atoms: conf.n,
      tasks: mine.length,
      samples: sampleCount(mine),
      steps_per_task: taskSteps(spec, t),
      seconds_per_step: tStep,
      seconds_setup: tSetup,
      seconds_per_sample: tSample,
      core_seconds: coreSeconds,
    });
  }
  const core = entries.reduce((s, x) => s + x.core_seconds, 0);
  const samples = sampleCount(tasks);
  const hoursOn: Record<string, number> = {};
  for (const n of opts.clusterCores ?? [64, 256, 1024])
    hoursOn[String(n)] = core / 3600 / Math.min(n, tasks.length);
  return {
    tasks: tasks.length,
    samples,
    engine: spec.engine,
    entries,
    core_hours: core / 3600,
    hours_here: core / 3600 / Math.max(1, Math.min(opts.workers, tasks.length)),
    workers: opts.workers,
    hours_on: hoursOn,
    samples_per_core_hour: core > 0 ? samples / (core / 3600) : 0,
    probe_seconds: (performance.now() - t0) / 1000,
  };
}

async function builtinStepTime(
  spec: SweepSpec,
  t: Task,
  parts: Awaited<ReturnType<typeof createSamplerParts>>,
  steps: number,
): Promise<number> {
  const a = cpuSeconds();
  const gen = runMd(
    {
      configuration: taskConfiguration(t),
      potential: parts.pot,
      stages: [{ steps, temperature: t.temperature, sample: true }],
      every: steps,
      dt: spec.md.dt,
      seed: t.seed,
      fingerprints: false,
    },
    { engine: 'builtin' },
  );
  for (;;) if ((await gen.next()).done) break;
  return (cpuSeconds() - a) / steps;
}

/**
 * CPU seconds (user + system) of this process and of its finished children (lmp). The probes run
 * on the main thread with nothing else of ours running, so this is their own CPU time: the
 * projection is for dedicated cores, unaffected by other load on a shared machine.
 */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6 + childCpuSeconds();
}

/** cutime + cstime of waited-for children from /proc/self/stat (Linux; clock ticks of 1/100 s), else 0. */
function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after "(comm)": state is f[0] (field 3); cutime is field 16, cstime field 17
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

export function formatEstimate(c: CostEstimate): string {
  const h = (x: number) => (x < 1 ? `${(x * 60).toFixed(1)} min` : `${x.toFixed(1)} h`);
  const lines = [
    `cost estimate: ${c.tasks} MD runs, ${c.samples} samples (engine ${c.engine}; CPU time measured on this machine in a ${c.probe_seconds.toFixed(1)} s probe)`,
  ];
  for (const e of c.entries)
    lines.push(
      `  ${e.structure.padEnd(8)} ${String(e.tasks).padStart(6)} runs × ${e.steps_per_task} steps, ${e.atoms} atoms: ` +
        `${(e.seconds_per_step * 1000).toFixed(2)} ms/step, ${e.seconds_per_sample.toFixed(2)} s/sample → ${h(e.core_seconds / 3600)} core time`,
    );
  lines.push(
    `  total ${h(c.core_hours)} core time (${c.samples_per_core_hour.toFixed(0)} samples per core-hour)`,
  );
  lines.push(`  here with ${c.workers} worker${c.workers > 1 ? 's' : ''}: ~${h(c.hours_here)}`);
  lines.push(
    `  on a cluster: ${Object.entries(c.hours_on)
      .map(([n, x]) => `${n} cores ~${h(x)}`)
      .join(', ')}`,
  );
  return lines.join('\n');
}
