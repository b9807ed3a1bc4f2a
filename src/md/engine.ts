/**
 * The MdEngine interface (one spec, interchangeable engines, as in ASE's calculators) and
 * runMd(), the entry point the dataset stage calls.
 */
import type { Configuration } from '../structure/index.js';
import { UserError } from '../util/errors.js';
import { builtinFrames, type MdSummary, type RunHooks } from './builtin.js';
import { lammpsFrames, type LammpsOptions } from './lammps.js';
import type { MdSpec } from './spec.js';

export type EngineName = 'builtin' | 'lammps';
export const ENGINES: readonly EngineName[] = ['builtin', 'lammps'];

export interface MdEngine {
  readonly name: EngineName;
  /**
   * Run a spec: yields one Configuration per snapshot (props: step, time [ps], temperature [K],
   * pe [eV/atom], pressure [GPa], msd [Å² from the starting sites], tether_k [eV/Å²], fp_fcc …
   * fp_other and phase from the structure fingerprint, seed, engine); the generator's return
   * value is the run summary (averages, fingerprints, timing).
   */
  run(spec: MdSpec, hooks?: RunHooks): AsyncGenerator<Configuration, MdSummary, void>;
}

export const builtinEngine: MdEngine = {
  name: 'builtin',
  async *run(spec, hooks = {}) {
    const gen = builtinFrames(spec, hooks);
    for (;;) {
      const r = gen.next();
      if (r.done) return r.value;
      yield r.value;
      // let timers (progress bars) and other tasks run between frames
      await new Promise<void>((res) => setImmediate(res));
    }
  },
};

export function lammpsEngine(opts: LammpsOptions = {}): MdEngine {
  return {
    name: 'lammps',
    run: (spec, hooks = {}) => lammpsFrames(spec, hooks, opts),
  };
}

export function getEngine(name: string, opts: LammpsOptions = {}): MdEngine {
  if (name === 'builtin') return builtinEngine;
  if (name === 'lammps') return lammpsEngine(opts);
  throw new UserError(`unknown MD engine "${name}": expected one of ${ENGINES.join(', ')}`);
}

/** Run a spec with the named engine (default builtin). */
export function runMd(
  spec: MdSpec,
  opts: { engine?: EngineName; lammps?: LammpsOptions } & RunHooks = {},
): AsyncGenerator<Configuration, MdSummary, void> {
  return getEngine(opts.engine ?? 'builtin', opts.lammps).run(spec, { onProgress: opts.onProgress });
}

/** Drain a run: all snapshots and the summary. */
export async function collectRun(
  gen: AsyncGenerator<Configuration, MdSummary, void>,
): Promise<{ frames: Configuration[]; summary: MdSummary }> {
  const frames: Configuration[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { frames, summary: r.value };
    frames.push(r.value);
  }
}
