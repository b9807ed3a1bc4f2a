/**
 * TEST DOUBLE — a deterministic stand-in for the real pipeline (MD → analysis → χ(k)), used only by
 * the dataset tests to exercise the infrastructure (workers, journal, resume, shards, merge) fast.
 * Its arrays are pseudo-random functions of the task seed; they are not physics.
 * Env FAKE_SAMPLER_DELAY_MS slows every sample (for the kill/resume test).
 */
import { Rng } from '../../src/util/rng.js';
import { gridPoints, type SweepSpec, type Task } from '../../src/dataset/spec.js';
import type { Sampler } from '../../src/dataset/sampler.js';
import type { Sample } from '../../src/dataset/record.js';

export async function createSampler(spec: SweepSpec): Promise<Sampler> {
  const nk = gridPoints(spec.grids.k).length;
  const nr = gridPoints(spec.grids.r).length;
  const theta = gridPoints(spec.grids.theta);
  const dth = spec.grids.theta.step;
  const delay = Number(process.env.FAKE_SAMPLER_DELAY_MS ?? 0);
  return {
    identity: { sampler: 'test-double', tables: 'none (test double)' },
    async run(task: Task, emit: (s: Sample) => void, skip: ReadonlySet<number>) {
      for (let s = 0; s < task.snapshots; s++) {
        if (delay) await new Promise((res) => setTimeout(res, delay));
        // one stream per snapshot, so skipping committed snapshots cannot shift later ones
        const rng = new Rng(Rng.derive(task.seed, s));
        const chi = Float32Array.from({ length: nk }, () => 0.1 * rng.normal());
        const gr = Float32Array.from({ length: nr }, () => 1 + 0.01 * rng.normal());
        const cn = task.structure === 'diamond' ? 4 : task.structure === 'bcc' ? 8 : 12;
        const bad = new Float32Array(theta.length).fill((cn * (cn - 1)) / 2 / (theta.length * dth));
        const dE = rng.range(spec.dE.min, spec.dE.max);
        if (skip.has(s)) continue;
        // pretend hot bcc transforms to fcc, so relabel/refuse paths are exercised
        const found = task.structure === 'bcc' && task.temperature >= 1000 ? 'fcc' : task.structure;
        const mismatch = found !== task.structure;
        emit({
          task: task.index,
          snapshot: s,
          label: task.structure,
          structure: mismatch && spec.mismatch !== 'keep' ? found : task.structure,
          refused: mismatch && spec.mismatch === 'refuse',
          values: {
            temperature: task.temperature,
            lattice: task.lattice,
            density: 4 / task.lattice ** 3,
            dE,
            seed: task.seed,
            task: task.index,
            snapshot: s,
            atoms: 4 * task.reps[0] * task.reps[1] * task.reps[2],
            time: s * 0.1,
            cutoff: 3,
            cn,
            t_measured: task.temperature * (1 + 0.01 * rng.normal()),
            fp_fcc: found === 'fcc' ? 1 : 0,
            fp_hcp: found === 'hcp' ? 1 : 0,
            fp_bcc: found === 'bcc' ? 1 : 0,
            fp_diamond: found === 'diamond' ? 1 : 0,
            fp_other: found === 'liquid' ? 1 : 0,
          },
          chi,
          gr,
          bad,
        });
      }
    },
  };
}
