/**
 * Radial distribution function g(r) of a periodic configuration, normalised to 1 at large r.
 *
 * Pairs are histogrammed on bins [k·dr, (k+1)·dr), k = 0 … nb−1 (centres r_k = (k+½)·dr). With
 * n_k unordered pairs in bin k, N atoms, number density ρ = N/V and shell volume
 * V_k = 4π/3·((r_k+dr/2)³ − (r_k−dr/2)³), the ideal-gas normalisation is
 *     g_k = 2·n_k / (N·ρ·V_k),
 * so g → 1 for an uncorrelated system and ρ·Σ g_k V_k = (mean number of neighbours within r).
 * Frames are averaged with equal weight (Allen & Tildesley, Computer Simulation of Liquids, §2.6).
 * rmax must not exceed half the shortest box edge (minimum-image convention).
 */
import type { Configuration } from '../structure/index.js';
import { CellGrid, density } from '../structure/index.js';
import { UserError } from '../util/errors.js';

export interface RdfOptions {
  /** largest distance in Å (≤ half the shortest box edge); default 6 */
  rmax?: number;
  /** bin width in Å; default 0.01 */
  dr?: number;
}

export interface Rdf {
  /** bin centres (Å) */
  r: Float64Array;
  /** g(r), averaged over frames */
  g: Float64Array;
  /** bin width (Å) */
  dr: number;
  /** upper edge of the last bin (Å) */
  rmax: number;
  /** mean number density over frames (Å⁻³) */
  density: number;
  /** mean number of atoms per frame */
  atoms: number;
  frames: number;
}

/** Shell volume of bin k: 4π/3·(hi³ − lo³). */
export function shellVolume(lo: number, hi: number): number {
  return ((4 * Math.PI) / 3) * (hi * hi * hi - lo * lo * lo);
}

/** Largest rmax allowed for a box (half its shortest edge). */
export function maxRdfRange(box: readonly number[]): number {
  return Math.min(box[0], box[1], box[2]) / 2;
}

/**
 * Streaming g(r): add frames one at a time (nothing but the histogram is kept), then `result()`.
 */
export class RdfAccumulator {
  readonly dr: number;
  readonly nb: number;
  readonly rmax: number;
  private gsum: Float64Array;
  private counts: Float64Array;
  private rhoSum = 0;
  private atomSum = 0;
  frames = 0;
  private cl: CellGrid | null = null;
  private clKey = '';

  constructor(opts: RdfOptions = {}) {
    const rmax = opts.rmax ?? 6;
    const dr = opts.dr ?? 0.01;
    if (!(dr > 0) || !Number.isFinite(dr))
      throw new UserError(`g(r): dr must be a positive number of Å, got ${dr}`);
    if (!(rmax > 0) || !Number.isFinite(rmax))
      throw new UserError(`g(r): rmax must be a positive number of Å, got ${rmax}`);
    if (rmax < dr) throw new UserError(`g(r): rmax (${rmax} Å) must be at least one bin width dr (${dr} Å)`);
    this.dr = dr;
    this.nb = Math.max(1, Math.floor(rmax / dr + 1e-9));
    this.rmax = this.nb * dr;
    this.gsum = new Float64Array(this.nb);
    this.counts = new Float64Array(this.nb);
  }

  /** Histogram the pairs of one frame and add its g(r). */
  add(conf: Configuration): void {
    const half = maxRdfRange(conf.box);
    if (this.rmax > half + 1e-9)
      throw new UserError(
        `g(r): rmax ${this.rmax} Å exceeds half the shortest box edge (${half.toFixed(3)} Å); ` +
          `use --rmax ≤ ${Math.floor(half / this.dr) * this.dr} or a larger supercell`,
      );
    if (conf.n < 2) throw new UserError(`g(r): a configuration needs at least 2 atoms, got ${conf.n}`);
    const key = `${conf.box.join(',')}`;
    if (!this.cl || key !== this.clKey) {
      this.cl = new CellGrid(conf.box, Math.min(this.rmax, half));
      this.clKey = key;
    }
    const cl = this.cl;
    cl.bin(conf.positions, conf.n);
    const counts = this.counts;
    const nb = this.nb;
    counts.fill(0);
    const inv = 1 / this.dr;
    cl.forEachPairChunk(cl.radius, (p, m) => {
      const dx = p.dx,
        dy = p.dy,
        dz = p.dz;
      for (let q = 0; q < m; q++) {
        const k = Math.floor(Math.sqrt(dx[q] * dx[q] + dy[q] * dy[q] + dz[q] * dz[q]) * inv);
        if (k < nb) counts[k]++;
      }
    });
    const rho = density(conf);
    const dr = this.dr;
    for (let k = 0; k < nb; k++)
      this.gsum[k] += (2 * counts[k]) / (conf.n * rho * shellVolume(k * dr, (k + 1) * dr));
    this.rhoSum += rho;
    this.atomSum += conf.n;
    this.frames++;
  }

  result(): Rdf {
    if (this.frames === 0) throw new UserError('g(r): no frames were added');
    const r = new Float64Array(this.nb);
    const g = new Float64Array(this.nb);
    for (let k = 0; k < this.nb; k++) {
      r[k] = Math.round((k + 0.5) * this.dr * 1e10) / 1e10; // clean decimals in JSON
      g[k] = this.gsum[k] / this.frames;
    }
    return {
      r,
      g,
      dr: this.dr,
      rmax: this.rmax,
      density: this.rhoSum / this.frames,
      atoms: this.atomSum / this.frames,
      frames: this.frames,
    };
  }
}

/** g(r) of one configuration or the average over several. */
export function radialDistribution(
  confs: Configuration | Iterable<Configuration>,
  opts: RdfOptions = {},
): Rdf {
  const acc = new RdfAccumulator(opts);
  if ('positions' in (confs as object)) acc.add(confs as Configuration);
  else for (const c of confs as Iterable<Configuration>) acc.add(c);
  return acc.result();
}
