/**
 * The sampler contract: what turns one task (an MD run) into samples. The real one is
 * ./pipeline.ts (MD → snapshots → g(r), N(θ), fingerprint → χ(k)); tests pass the URL of a
 * deterministic test double instead. A sampler module exports `createSampler`.
 */
import type { SweepSpec, Task } from './spec.js';
import type { Sample } from './record.js';

export interface Sampler {
  /** identity of what made the samples (engine, potential, tables, their checksums) */
  identity: Record<string, string>;
  /**
   * Run one task and emit its samples (snapshot 0, 1, …) as they are finished. `skip` lists
   * snapshots already committed by an earlier run: the sampler may skip their χ(k) work, and
   * anything it emits for them is ignored.
   */
  run(task: Task, emit: (s: Sample) => void, skip: ReadonlySet<number>): Promise<void>;
  close?(): Promise<void>;
}

export type SamplerFactory = (spec: SweepSpec) => Promise<Sampler>;

export interface SamplerModule {
  createSampler: SamplerFactory;
}

/** URL of the real pipeline module (used by the CLI). */
export const PIPELINE_URL = new URL('./pipeline.js', import.meta.url).href;
