/**
 * The real sampler: one task = one MD run (src/md, builtin or LAMMPS) → snapshots; for each
 * snapshot g(r), the first-shell cutoff and coordination number, N(θ) (src/analysis), the
 * structure fingerprint and its verdict (./label.ts), and χ(k) with a random ΔE (src/exafs).
 * Runs inside a worker thread (see ./worker.ts).
 */
import { buildLattice, density, type Configuration } from '../structure/index.js';
import {
  RdfAccumulator,
  AngleAccumulator,
  firstShell,
  coordinationNumber,
  fingerprint,
  localOrder,
  localOrderValues,
} from '../analysis/index.js';
import {
  runMd,
  defaultPotential,
  equilibrateAndSample,
  meltQuench,
  fccReferenceMsd,
  EamPotential,
  type MdSpec,
  type Stage,
} from '../md/index.js';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { gridPoints, latticeOf, type SweepSpec, type Task } from './spec.js';
import { checkLabel, type Fractions } from './label.js';
import { rebin } from './rebin.js';
import { loadChiEngine, type ChiEngine } from './chi-binding.js';
import type { Sample } from './record.js';
import type { Sampler } from './sampler.js';

/** Fine histogram widths used before rebinning onto the dataset grids. */
const DR_FINE = 0.01;
const DTHETA_FINE = 0.5;

/** MD stages of a task: crystals equilibrate then sample; liquids melt, cool, equilibrate, sample. */
export function taskStages(spec: SweepSpec, task: Task): Stage[] {
  const md = spec.md;
  const sampleSteps = md.interval * task.snapshots;
  let stages: Stage[];
  if (task.structure === 'liquid') {
    stages = meltQuench({
      meltTemperature: Math.max(md.melt_temperature, task.temperature),
      heatSteps: 0,
      holdSteps: md.melt_steps,
      coolSteps: md.cool_steps,
      equilibrationSteps: md.equilibration,
      steps: sampleSteps,
      temperature: task.temperature,
    }).filter((s) => s.steps > 0);
  } else stages = equilibrateAndSample(task.temperature, md.equilibration, sampleSteps);
  // snapshots come every `interval` steps counted from the start of the run: pad the last
  // unsampled stage so that sampling starts on a multiple of the interval
  const pre = stages.filter((s) => !s.sample).reduce((a, s) => a + s.steps, 0);
  const pad = (md.interval - (pre % md.interval)) % md.interval;
  if (pad) {
    const lastPre = [...stages].reverse().find((s) => !s.sample);
    if (lastPre) lastPre.steps += pad;
    else stages.unshift({ steps: pad, temperature: task.temperature, label: 'equilibrate' });
  }
  return stages;
}

/** The starting configuration of a task (a liquid starts as fcc at the lattice parameter that sets its density). */
export function taskConfiguration(task: Task): Configuration {
  return buildLattice(latticeOf(task.structure), task.lattice, 0, { reps: task.reps, element: task.element });
}

/** What a sampler holds once per worker: the potential, the χ engine, the grids. */
export interface SamplerParts {
  potPath: string;
  pot: EamPotential;
  grids: Grids;
  tetherMsd: (T: number) => number;
}

export async function createSamplerParts(spec: SweepSpec): Promise<SamplerParts> {
  const k = gridPoints(spec.grids.k);
  const potPath = spec.potential ?? defaultPotential(spec.element);
  const pot = EamPotential.fromFile(potPath);
  const chiEngine: ChiEngine = await loadChiEngine(spec, k);
  const rmaxFine = Math.ceil((spec.grids.r.max + spec.grids.r.step / 2) / DR_FINE - 1e-9) * DR_FINE;
  // Tether target MSD per temperature: the fcc MSD of the same potential at T, computed with one
  // seed derived from the spec (never the task's), so a task's result does not depend on which
  // worker ran which task before it.
  const msdSeed = Rng.derive(spec.seed, 0x7e7e);
  return {
    potPath,
    pot,
    grids: { k, rGrid: gridPoints(spec.grids.r), thGrid: gridPoints(spec.grids.theta), rmaxFine, chiEngine },
    tetherMsd: (T: number) => fccReferenceMsd(pot, spec.element, T, msdSeed),
  };
}

export async function createSampler(spec: SweepSpec): Promise<Sampler> {
  const parts = await createSamplerParts(spec);
  const { pot, potPath, grids, tetherMsd } = parts;
  return {
    identity: {
      engine: spec.engine,
      potential: potPath,
      tables: grids.chiEngine.identity,
    },
    async run(task, emit, skip) {
      const mdSpec: MdSpec = {
        configuration: taskConfiguration(task),
        potential: spec.engine === 'builtin' ? pot : potPath,
        stages: taskStages(spec, task),
        every: spec.md.interval,
        dt: spec.md.dt,
        tau: spec.md.tau,
        seed: task.seed,
        tether: task.tether === 'auto' ? 'auto' : task.tether > 0 ? task.tether : 'none',
        tetherMsd: task.tether === 'auto' ? tetherMsd(task.temperature) : undefined,
        fingerprints: true,
      };
      const gen = runMd(mdSpec, {
        engine: spec.engine,
        lammps:
          spec.engine === 'lammps'
            ? { exe: spec.lammps.command, np: spec.lammps.mpi > 0 ? spec.lammps.mpi : undefined }
            : undefined,
      });
      let snapshot = 0;
      for (;;) {
        const r = await gen.next();
        if (r.done) break;
        if (snapshot >= task.snapshots) continue;
        const s = snapshot++;
        if (skip.has(s)) continue;
        emit(analyseSnapshot(spec, task, s, r.value, grids));
      }
      if (snapshot < task.snapshots)
        throw new Error(`MD gave ${snapshot} snapshots, expected ${task.snapshots}`);
    },
  };
}

export interface Grids {
  k: Float64Array;
  rGrid: Float64Array;
  thGrid: Float64Array;
  rmaxFine: number;
  chiEngine: ChiEngine;
}

/** g(r), cutoff, CN, N(θ), fingerprint verdict and χ(k) of one snapshot. */
export function analyseSnapshot(
  spec: SweepSpec,
  task: Task,
  snapshot: number,
  conf: Configuration,
  g: Grids,
): Sample {
  const rho = density(conf);
  const rdf = new RdfAccumulator({ rmax: g.rmaxFine, dr: DR_FINE });
  rdf.add(conf);
  const fine = rdf.result();
  // labels: CN of the first shell (src/analysis/firstShell.ts, the definition predict and evaluate
  // use; bcc: the 8 at √3a/2), N(θ) and triplets within its `cutoff` (bcc: the combined 8 + 6 shell)
  let cutoff: number;
  let cn: number;
  if (spec.cutoff === 'auto') {
    try {
      const fs = firstShell(fine.r, fine.g, { density: rho });
      cutoff = fs.cutoff;
      cn = fs.cn;
    } catch {
      throw new UserError(
        `snapshot ${snapshot}: no first-shell minimum in g(r) up to ${g.rmaxFine} Å; set "cutoff" in the spec`,
      );
    }
  } else {
    cutoff = spec.cutoff;
    cn = coordinationNumber(fine.r, fine.g, rho, cutoff);
  }
  // local order (1551/1421/1422 pair shares, conventional CNA) at the same first-shell cutoff
  const order = localOrderValues(localOrder(conf, cutoff));
  const ang = new AngleAccumulator(cutoff, { dtheta: DTHETA_FINE });
  ang.add(conf);
  const bad = ang.result();
  const gr = rebin(
    fine.r,
    fine.g,
    g.rGrid,
    spec.grids.r.step,
    'shell',
    new Float32Array(g.rGrid.length),
  ) as Float32Array;
  const badOut = rebin(
    bad.theta,
    bad.bad,
    g.thGrid,
    spec.grids.theta.step,
    'length',
    new Float32Array(g.thGrid.length),
  ) as Float32Array;
  // fingerprint: from the MD engine's props when present, else computed here
  const p = conf.props ?? {};
  let f: Fractions;
  if (p.fp_fcc !== undefined)
    f = {
      fcc: Number(p.fp_fcc),
      hcp: Number(p.fp_hcp),
      bcc: Number(p.fp_bcc),
      diamond: Number(p.fp_diamond),
      other: Number(p.fp_other),
    };
  else f = fingerprint(conf).fractions;
  const verdict = checkLabel(task.structure, f);
  // one random stream per (task, snapshot): skipping committed snapshots on resume shifts nothing
  const rng = new Rng(Rng.derive(task.seed, snapshot, 0xde));
  const dE = rng.range(spec.dE.min, spec.dE.max);
  // triplets up to the snapshot's own first-shell cutoff (the one used for N(θ) above).
  // A configuration the χ engine cannot handle (a pair closer than the tables reach) is refused
  // and reported, rather than ending a long run; it stays in the journal
  let chi: Float32Array;
  let chiError: string | null = null;
  try {
    chi = Float32Array.from(g.chiEngine.chi(conf, dE, cutoff));
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    chiError = e.message;
    chi = new Float32Array(g.k.length).fill(NaN);
  }
  const mismatch = !verdict.ok;
  return {
    task: task.index,
    snapshot,
    label: task.structure,
    structure: mismatch && spec.mismatch !== 'keep' ? verdict.structure : task.structure,
    refused: chiError !== null || (mismatch && spec.mismatch === 'refuse'),
    note: chiError !== null ? `χ(k) failed: ${chiError}` : mismatch ? verdict.reason : undefined,
    values: {
      temperature: task.temperature,
      lattice: task.lattice,
      density: rho,
      dE,
      seed: task.seed,
      task: task.index,
      snapshot,
      atoms: conf.n,
      time: Number(p.time ?? NaN),
      cutoff,
      cn,
      t_measured: Number(p.temperature ?? NaN),
      fp_fcc: f.fcc,
      fp_hcp: f.hcp,
      fp_bcc: f.bcc,
      fp_diamond: f.diamond,
      fp_other: f.other,
      ...order,
    },
    chi,
    gr,
    bad: badOut,
  };
}
