/** Shared helpers for benchmarks (docs/design.md benchmark contract). */
import os from 'node:os';

export interface BenchCase {
  name: string;
  cores: number;
  ours: { value: number; unit: string };
  peer: { name: string; version: string; value: number; unit: string } | null;
  /** how many times faster ours is than the peer (>1: we are faster); null without a peer */
  speedup: number | null;
  peak_rss_mb: number;
}

export interface BenchResult {
  bench: string;
  machine: { cpus: number; cpu_model: string; node: string };
  cases: BenchCase[];
  notes: string[];
}

export interface BenchOptions {
  quick: boolean;
}

export function machineInfo(): BenchResult['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpu_model: cpus[0]?.model ?? 'unknown', node: process.version };
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Wall time of fn in seconds (best of `repeat`). */
export async function timeIt(fn: () => unknown | Promise<unknown>, repeat = 1): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (dt < best) best = dt;
  }
  return best;
}

/**
 * Speedup of ours over the peer for a rate (higher is better) or a time (lower is better).
 */
export function speedup(
  ours: number,
  peer: number | null | undefined,
  higherIsBetter: boolean,
): number | null {
  if (peer === null || peer === undefined || !(peer > 0) || !(ours > 0)) return null;
  return higherIsBetter ? ours / peer : peer / ours;
}
