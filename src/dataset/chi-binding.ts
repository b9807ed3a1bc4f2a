/**
 * The χ(k) engine as the dataset pipeline sees it: one configuration and a ΔE in, χ(k) on the
 * dataset's k grid out. Binds src/exafs (configurational average with γ2/γ3 tables from src/theory).
 */
import { basename } from 'node:path';
import type { Configuration } from '../structure/index.js';
import { computeChi, loadTables, readTables, type GammaTables } from '../exafs/index.js';
import type { SweepSpec } from './spec.js';

export interface ChiEngine {
  /** identity of the tables (file, checksum, FEFF version) */
  identity: string;
  /**
   * χ(k) of a configuration (all atoms absorbers) on the dataset k grid, with S0² and ΔE applied;
   * triplets up to `cutoff3` (the snapshot's first-shell cutoff; default: computeChi's own, the same rule)
   */
  chi(conf: Configuration, dE: number, cutoff3?: number): Float64Array;
}

/** Identity string of a table set: file name, body checksum, FEFF version. */
export function tablesIdentity(t: GammaTables): string {
  const h = t.header;
  return JSON.stringify({
    file: t.path ? basename(t.path) : null,
    element: h.element,
    edge: h.edge,
    sha256: h.checksum.body,
    feff: h.feff.version,
    builder: h.builder,
    created: h.created,
  });
}

export async function loadChiEngine(spec: SweepSpec, k: Float64Array): Promise<ChiEngine> {
  const tables = spec.tables ? readTables(spec.tables) : loadTables(spec.element, spec.edge);
  return {
    identity: tablesIdentity(tables),
    // the snapshot's own first-shell cutoff, lowered to the γ3 table's end when a hot expanded
    // shell reaches past it (src/exafs/chi.ts clampCutoff3) instead of refusing the sample
    chi: (conf, dE, cutoff3) =>
      computeChi(conf, tables, { kGrid: k, dE, s02: spec.s02, cutoff3, clampCutoff3: true }).chi,
  };
}
