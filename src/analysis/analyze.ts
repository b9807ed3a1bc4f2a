/**
 * Whole-trajectory analysis used by `exafsnn analyze`: g(r), first-shell cutoff, CN, N(θ) and the
 * structure fingerprint, averaged over frames, streaming (frames are never all held in memory).
 * With an automatic cutoff the frames are read twice: g(r) first (to find the cutoff), then N(θ).
 */
import type { Configuration } from '../structure/index.js';
import { RdfAccumulator, maxRdfRange } from './rdf.js';
import { AngleAccumulator } from './angles.js';
import { coordinationNumber, firstShell } from './coordination.js';
import { FingerprintAccumulator, type StructureFractions } from './fingerprint.js';
import { UserError } from '../util/errors.js';

export interface AnalyzeOptions {
  /** g(r) range in Å (default 6) */
  rmax?: number;
  /** g(r) bin width in Å (default 0.01) */
  dr?: number;
  /** first-shell cutoff in Å, or 'auto' (first minimum of g(r)); default 'auto' */
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
  /** coordination number ∫₀^cutoff 4πr²ρg dr */
  cn: number;
  /** first-shell cutoff (Å) */
  cutoff: number;
  /** 'auto' when found from g(r), 'given' otherwise */
  cutoff_source: 'auto' | 'given';
  /** first-peak position of g(r) (Å) */
  r1: number | null;
  /** mean number of neighbours within the cutoff, counted directly */
  neighbours: number;
  /** ⟨n(n−1)/2⟩ = ∫N(θ)dθ */
  angle_pairs: number;
  fingerprint: StructureFractions;
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
    opts.onFrame?.(1, ++n);
  }
  if (rdf === null) throw new UserError('no frames to analyse');
  const g = rdf.result();
  let cutoff: number;
  let r1: number | null;
  if (cutoffOpt === 'auto') {
    const fs = firstShell(g.r, g.g);
    cutoff = fs.cutoff;
    r1 = fs.peak;
    angles = new AngleAccumulator(cutoff, { dtheta: opts.dtheta });
    let m = 0;
    for await (const c of frames()) {
      angles.add(c);
      opts.onFrame?.(2, ++m);
    }
  } else {
    cutoff = cutoffOpt;
    try {
      r1 = firstShell(g.r, g.g).peak;
    } catch {
      r1 = null;
    }
  }
  const bad = angles!.result();
  return {
    r: g.r,
    g: g.g,
    theta: bad.theta,
    bad: bad.bad,
    cn: coordinationNumber(g.r, g.g, g.density, cutoff),
    cutoff,
    cutoff_source: cutoffOpt === 'auto' ? 'auto' : 'given',
    r1,
    neighbours: bad.meanNeighbours,
    angle_pairs: bad.meanPairs,
    fingerprint: fp.result(),
    atoms: g.atoms,
    density: g.density,
    frames: g.frames,
    rmax: g.rmax,
    dr: g.dr,
    dtheta: bad.dtheta,
  };
}
