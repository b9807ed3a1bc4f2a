/**
 * Whole-trajectory analysis used by `exafsnn analyze`: g(r), first-shell cutoff, CN, N(θ) and the
 * structure fingerprint, averaged over frames, streaming (frames are never all held in memory).
 * With an automatic cutoff the frames are read twice: g(r) first (to find the cutoff), then N(θ).
 */
import type { Configuration } from '../structure/index.js';
import { RdfAccumulator, maxRdfRange } from './rdf.js';
import { AngleAccumulator } from './angles.js';
import { coordinationNumber } from './coordination.js';
import { firstShell, type FirstShell } from './firstShell.js';
import { FingerprintAccumulator, type StructureFractions } from './fingerprint.js';
import { LocalOrderAccumulator } from './localOrder.js';
import type { LocalOrderColumn } from './localOrderColumns.js';
import { UserError } from '../util/errors.js';

export interface AnalyzeOptions {
  /** g(r) range in Å (default 6) */
  rmax?: number;
  /** g(r) bin width in Å (default 0.01) */
  dr?: number;
  /**
   * cutoff in Å for CN and N(θ), or 'auto' (src/analysis/firstShell.ts: CN of the first shell, N(θ)
   * within its `cutoff` — for bcc the combined 8 + 6 shell); default 'auto'
   */
  cutoff?: number | 'auto';
  /** N(θ) bin width in degrees (default 1) */
  dtheta?: number;
  /**
   * What to do when rmax exceeds half the shortest box edge: 'clamp' (default) lowers rmax to the
   * largest whole number of bins that fits and reports it through onWarning; 'error' throws.
   */
  rmaxPolicy?: 'clamp' | 'error';
  onWarning?: (msg: string) => void;
  /** called after each frame of each pass */
  onFrame?: (pass: number, frames: number) => void;
}

export interface AnalysisResult {
  r: Float64Array;
  g: Float64Array;
  theta: Float64Array;
  bad: Float64Array;
  /** coordination number: the first shell's (auto), or ∫₀^cutoff 4πr²ρg dr (given cutoff) */
  cn: number;
  /** cutoff used for N(θ) and the neighbour count (Å) */
  cutoff: number;
  /** 'auto' when found from g(r), 'given' otherwise */
  cutoff_source: 'auto' | 'given';
  /** R1: centroid of 4πr²ρg over the first shell (auto) or over [0, cutoff] (given) (Å) */
  r1: number | null;
  /** position of the first maximum of g(r) (Å) */
  peak_r: number | null;
  /** the first shell (src/analysis/firstShell.ts), null when g(r) has none */
  first_shell: FirstShell | null;
  /** mean number of neighbours within the cutoff, counted directly */
  neighbours: number;
  /** ⟨n(n−1)/2⟩ = ∫N(θ)dθ */
  angle_pairs: number;
  fingerprint: StructureFractions;
  /**
   * local order at `cutoff` (./localOrder.ts), frame mean: shares of first-shell pairs with
   * signatures 1551 / 1421 / 1422 and conventional-CNA atom fractions cna_fcc … cna_other
   */
  local_order: Record<LocalOrderColumn, number>;
  /** mean atoms per frame */
  atoms: number;
  /** mean number density (Å⁻³) */
  density: number;
  frames: number;
  rmax: number;
  dr: number;
  dtheta: number;
}

/** Analyse the frames produced by `frames()` (called once, or twice for an automatic cutoff). */
export async function analyzeTrajectory(
  frames: () => AsyncIterable<Configuration> | Iterable<Configuration>,
  opts: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const rmax = opts.rmax ?? 6;
  const dr = opts.dr ?? 0.01;
  const cutoffOpt = opts.cutoff ?? 'auto';
  if (cutoffOpt !== 'auto' && !(cutoffOpt > 0))
    throw new UserError(`cutoff must be "auto" or a positive number of Å, got ${cutoffOpt}`);
  let rdf: RdfAccumulator | null = null;
  const fp = new FingerprintAccumulator();
  let angles: AngleAccumulator | null =
    cutoffOpt === 'auto' ? null : new AngleAccumulator(cutoffOpt, { dtheta: opts.dtheta });
  let order: LocalOrderAccumulator | null =
    cutoffOpt === 'auto' ? null : new LocalOrderAccumulator(cutoffOpt);
  let n = 0;
  for await (const c of frames()) {
    if (rdf === null) {
      const half = maxRdfRange(c.box);
      let rm = rmax;
      if (rmax > half + 1e-9) {
        if (opts.rmaxPolicy === 'error')
          throw new UserError(`rmax ${rmax} Å exceeds half the shortest box edge (${half.toFixed(3)} Å)`);
        rm = Math.floor(half / dr + 1e-9) * dr;
        opts.onWarning?.(
          `rmax ${rmax} Å exceeds half the shortest box edge (${half.toFixed(3)} Å); using rmax = ${rm.toFixed(4)} Å`,
        );
      }
      rdf = new RdfAccumulator({ rmax: rm, dr });
    }
    rdf.add(c);
    fp.add(c);
    angles?.add(c);
    order?.add(c);
    opts.onFrame?.(1, ++n);
  }
  if (rdf === null) throw new UserError('no frames to analyse');
  const g = rdf.result();
  let cutoff: number;
  let fs: FirstShell | null;
  if (cutoffOpt === 'auto') {
    fs = firstShell(g.r, g.g, { density: g.density });
    cutoff = fs.cutoff;
    angles = new AngleAccumulator(cutoff, { dtheta: opts.dtheta });
    order = new LocalOrderAccumulator(cutoff);
    let m = 0;
    for await (const c of frames()) {
      angles.add(c);
      order.add(c);
      opts.onFrame?.(2, ++m);
    }
  } else {
    cutoff = cutoffOpt;
    try {
      fs = firstShell(g.r, g.g, { density: g.density });
    } catch {
      fs = null;
    }
  }
  const bad = angles!.result();
  let r1: number | null;
  let cn: number;
  if (cutoffOpt === 'auto') {
    cn = fs!.cn;
    r1 = fs!.r1;
  } else {
    cn = coordinationNumber(g.r, g.g, g.density, cutoff);
    let m0 = 0;
    let m1 = 0;
    for (let k = 0; k < g.r.length && g.r[k] < cutoff; k++) {
      const w = g.r[k] * g.r[k] * Math.max(0, g.g[k]);
      m0 += w;
      m1 += w * g.r[k];
    }
    r1 = m0 > 0 ? m1 / m0 : null;
  }
  return {
    r: g.r,
    g: g.g,
    theta: bad.theta,
    bad: bad.bad,
    cn,
    cutoff,
    cutoff_source: cutoffOpt === 'auto' ? 'auto' : 'given',
    r1,
    peak_r: fs?.peak_r ?? null,
    first_shell: fs,
    neighbours: bad.meanNeighbours,
    angle_pairs: bad.meanPairs,
    fingerprint: fp.result(),
    local_order: order!.result(),
    atoms: g.atoms,
    density: g.density,
    frames: g.frames,
    rmax: g.rmax,
    dr: g.dr,
    dtheta: bad.dtheta,
  };
}
