/**
 * bench/dataset: how fast the paper preset's samples are made, with the builtin MD engine and with
 * LAMMPS as the engine (same potential file, same analysis and χ(k) code), and the projected time
 * for the whole paper dataset on this machine and on N cluster cores.
 *
 * --quick: the projection from short timings (100 MD steps of each structure class's first task at
 * full paper size, plus one sample's analysis + χ(k)). Full: also one complete paper task per engine
 * end to end (all its MD steps and samples) to check the projection, and the quick preset generated
 * for real with all cores (the "≤ 3 minutes on 2 cores" target).
 */
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineInfo, peakRssMb, type BenchCase, type BenchOptions, type BenchResult } from './common.js';
import {
  preset,
  expandSpec,
  validateSpec,
  generate,
  datasetInfo,
  type SweepSpec,
} from '../src/dataset/index.js';
import { estimateCost, type CostEstimate } from '../src/dataset/estimate.js';
import { createSampler } from '../src/dataset/pipeline.js';
import { findLammps, lammpsAvailable } from '../src/md/index.js';

const CLUSTER = [64, 256, 1024];

function log(s: string): void {
  process.stderr.write(`[bench dataset] ${s}\n`);
}

/** Run the first task of an entry completely through the real sampler; samples per hour. */
async function fullTask(spec: SweepSpec, entry: number): Promise<{ seconds: number; samples: number }> {
  const task = expandSpec(spec).find((t) => t.entry === entry)!;
  const sampler = await createSampler(spec);
  const t0 = performance.now();
  let n = 0;
  await sampler.run(task, () => n++, new Set());
  return { seconds: (performance.now() - t0) / 1000, samples: n };
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const cpus = os.cpus().length;
  const notes: string[] = [];
  const cases: BenchCase[] = [];
  const paper = preset('paper');
  const probeSteps = opts.quick ? 60 : 200;

  log(`builtin engine: timing ${probeSteps} MD steps + 1 sample per structure class (paper sizes)`);
  const ours = await estimateCost(paper, { probeSteps, workers: cpus, clusterCores: CLUSTER });
  let peer: CostEstimate | null = null;
  let lmpVersion = '';
  if (lammpsAvailable()) {
    lmpVersion = findLammps().version;
    log(`LAMMPS ${lmpVersion}: same timing with the LAMMPS engine (1 MPI rank, 1 thread)`);
    peer = await estimateCost(validateSpec({ ...paper, engine: 'lammps' }), {
      probeSteps,
      workers: cpus,
      clusterCores: CLUSTER,
    });
  } else
    notes.push(
      'LAMMPS (lmp) not found on PATH: builtin engine measured alone (apt-get install lammps for the comparison)',
    );

  const rss = peakRssMb();
  cases.push({
    name: 'dataset/paper/samples-per-core-hour',
    cores: 1,
    ours: { value: round(ours.samples_per_core_hour), unit: 'samples/h' },
    peer: peer
      ? {
          name: 'LAMMPS engine',
          version: lmpVersion,
          value: round(peer.samples_per_core_hour),
          unit: 'samples/h',
        }
      : null,
    speedup: peer ? round(ours.samples_per_core_hour / peer.samples_per_core_hour, 3) : null,
    peak_rss_mb: rss,
  });
  cases.push({
    name: `dataset/paper/projected-hours/${cpus}cores`,
    cores: cpus,
    ours: { value: round(ours.hours_here, 2), unit: 'h' },
    peer: peer
      ? { name: 'LAMMPS engine', version: lmpVersion, value: round(peer.hours_here, 2), unit: 'h' }
      : null,
    speedup: peer ? round(peer.hours_here / ours.hours_here, 3) : null,
    peak_rss_mb: rss,
  });
  for (const n of CLUSTER)
    cases.push({
      name: `dataset/paper/projected-hours/${n}cores`,
      cores: n,
      ours: { value: round(ours.hours_on[String(n)], 3), unit: 'h' },
      peer: peer
        ? { name: 'LAMMPS engine', version: lmpVersion, value: round(peer.hours_on[String(n)], 3), unit: 'h' }
        : null,
      speedup: peer ? round(peer.hours_on[String(n)] / ours.hours_on[String(n)], 3) : null,
      peak_rss_mb: rss,
    });
  for (const [name, est] of [
    ['builtin', ours],
    ['lammps', peer],
  ] as const) {
    if (!est) continue;
    notes.push(
      `${name}: ${est.tasks} MD runs, ${est.samples} samples, ${est.core_hours.toFixed(1)} core-hours; per class ` +
        est.entries
          .map(
            (e) =>
              `${e.structure} ${e.atoms} atoms ${(e.seconds_per_step * 1e3).toFixed(2)} ms/step${e.seconds_setup ? ` + ${e.seconds_setup.toFixed(2)} s/run` : ''}, ${e.seconds_per_sample.toFixed(2)} s/sample`,
          )
          .join('; '),
    );
  }
  notes.push(
    'projection = Σ over runs of (MD steps × s/step + samples × s/sample [g(r), N(θ), fingerprint, χ(k)]) from short timings on this machine; ' +
      "cluster hours assume one run per core at this machine's per-core speed and ≥ N runs (6312 runs in the paper preset). " +
      'Tethered bcc/diamond runs add 3000 calibration steps in the builtin engine, with either engine.',
  );

  if (!opts.quick) {
    // end to end: one complete paper fcc task, per engine
    log('one complete paper fcc task (builtin)');
    const a = await fullTask(paper, 0);
    const perHour = (a.samples / a.seconds) * 3600;
    let b: { seconds: number; samples: number } | null = null;
    if (peer) {
      log('one complete paper fcc task (LAMMPS engine)');
      b = await fullTask(validateSpec({ ...paper, engine: 'lammps' }), 0);
    }
    cases.push({
      name: 'dataset/paper-fcc-task/samples-per-hour/1core',
      cores: 1,
      ours: { value: round(perHour), unit: 'samples/h' },
      peer: b
        ? {
            name: 'LAMMPS engine',
            version: lmpVersion,
            value: round((b.samples / b.seconds) * 3600),
            unit: 'samples/h',
          }
        : null,
      speedup: b ? round(perHour / ((b.samples / b.seconds) * 3600), 3) : null,
      peak_rss_mb: peakRssMb(),
    });
    const fccEst = ours.entries.find((e) => e.structure === 'fcc')!;
    const estTask = fccEst.core_seconds / fccEst.tasks;
    notes.push(
      `paper fcc task end to end: ${a.seconds.toFixed(1)} s measured vs ${estTask.toFixed(1)} s projected (ratio ${(a.seconds / estTask).toFixed(2)})`,
    );
    // the quick preset for real, all cores
    const dir = mkdtempSync(join(tmpdir(), 'exafsnn-bench-ds-'));
    try {
      log(`quick preset, ${cpus} workers`);
      const q = await generate({
        spec: preset('quick'),
        out: join(dir, 'quick.h5'),
        workers: cpus,
        quiet: true,
      });
      const info = await datasetInfo(join(dir, 'quick.h5'));
      cases.push({
        name: `dataset/quick/wall-seconds/${cpus}cores`,
        cores: cpus,
        ours: { value: round(q.seconds, 1), unit: 's' },
        peer: null,
        speedup: null,
        peak_rss_mb: peakRssMb(),
      });
      notes.push(
        `quick preset: ${q.samples} samples (${q.relabelled} relabelled, ${q.refused} refused) in ${q.seconds.toFixed(1)} s; dataset info checks ${info.checks.ok ? 'ok' : info.checks.problems.join('; ')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { bench: 'dataset', machine: machineInfo(), cases, notes };
}

function round(x: number, d = 1): number {
  const s = 10 ** d;
  return Math.round(x * s) / s;
}
