/**
 * Nearest-neighbour bond-angle distribution N(θ) (docs/design.md): for every absorbing atom i, every
 * unordered pair {j, k} of its neighbours within the first-shell cutoff contributes the angle
 * θ = ∠(j, i, k). The histogram on [0°, 180°] with bin width dθ (degrees) is divided by the number
 * of atoms and by dθ, so that ∫N(θ)dθ = ⟨n(n−1)/2⟩ (66 for ideal fcc).
 * Bins are [k·dθ, (k+1)·dθ), centres (k+½)·dθ; θ = 180° exactly falls in the last bin.
 */
import type { Configuration } from '../structure/index.js';
import { buildNeighbourList } from '../structure/index.js';
import { UserError } from '../util/errors.js';
import { smoothGaussian } from './firstShell.js';

export interface AngleOptions {
  /** bin width in degrees (default 1); 180/dθ must be an integer */
  dtheta?: number;
}

export interface BondAngleDistribution {
  /** bin centres (degrees) */
  theta: Float64Array;
  /** N(θ) per degree, ∫N dθ = ⟨n(n−1)/2⟩ */
  bad: Float64Array;
  dtheta: number;
  cutoff: number;
  /** mean number of neighbours within the cutoff ⟨n⟩ */
  meanNeighbours: number;
  /** mean number of neighbour pairs per atom ⟨n(n−1)/2⟩ */
  meanPairs: number;
  frames: number;
}

const RAD = 180 / Math.PI;

/** Streaming N(θ): add frames one at a time, then `result()`. */
export class AngleAccumulator {
  readonly dtheta: number;
  readonly nb: number;
  private counts: Float64Array;
  private atoms = 0;
  private nbrSum = 0;
  frames = 0;

  constructor(
    readonly cutoff: number,
    opts: AngleOptions = {},
  ) {
    const dt = opts.dtheta ?? 1;
    if (!(cutoff > 0) || !Number.isFinite(cutoff))
      throw new UserError(`N(θ): cutoff must be a positive number of Å, got ${cutoff}`);
    if (!(dt > 0) || !Number.isFinite(dt))
      throw new UserError(`N(θ): dtheta must be a positive number of degrees, got ${dt}`);
    const nb = Math.round(180 / dt);
    if (Math.abs(nb * dt - 180) > 1e-9)
      throw new UserError(`N(θ): 180° must be a whole number of bins, got dtheta = ${dt}°`);
    this.dtheta = dt;
    this.nb = nb;
    this.counts = new Float64Array(nb);
  }

  add(conf: Configuration): void {
    const half = Math.min(conf.box[0], conf.box[1], conf.box[2]) / 2;
    if (this.cutoff > half)
      throw new UserError(
        `N(θ): cutoff ${this.cutoff} Å exceeds half the shortest box edge (${half.toFixed(3)} Å); use a smaller cutoff or a larger supercell`,
      );
    const nl = buildNeighbourList(conf, this.cutoff);
    const { start, dx, dy, dz, r } = nl;
    const counts = this.counts;
    const nb = this.nb;
    const scale = RAD / this.dtheta;
    for (let i = 0; i < conf.n; i++) {
      const s = start[i],
        e = start[i + 1];
      this.nbrSum += e - s;
      for (let a = s; a < e; a++) {
        const ax = dx[a],
          ay = dy[a],
          az = dz[a],
          ra = r[a];
        for (let b = a + 1; b < e; b++) {
          let c = (ax * dx[b] + ay * dy[b] + az * dz[b]) / (ra * r[b]);
          if (c > 1) c = 1;
          else if (c < -1) c = -1;
          let k = Math.floor(Math.acos(c) * scale);
          if (k >= nb) k = nb - 1;
          counts[k]++;
        }
      }
    }
    this.atoms += conf.n;
    this.frames++;
  }

  result(): BondAngleDistribution {
    if (this.frames === 0) throw new UserError('N(θ): no frames were added');
    const theta = new Float64Array(this.nb);
    const bad = new Float64Array(this.nb);
    let pairs = 0;
    for (let k = 0; k < this.nb; k++) {
      theta[k] = Math.round((k + 0.5) * this.dtheta * 1e10) / 1e10;
      bad[k] = this.counts[k] / (this.atoms * this.dtheta);
      pairs += this.counts[k];
    }
    return {
      theta,
      bad,
      dtheta: this.dtheta,
      cutoff: this.cutoff,
      meanNeighbours: this.nbrSum / this.atoms,
      meanPairs: pairs / this.atoms,
      frames: this.frames,
    };
  }
}

/** N(θ) of one configuration (or the average over several) for a first-shell cutoff in Å. */
export function bondAngleDistribution(
  confs: Configuration | Iterable<Configuration>,
  cutoff: number,
  opts: AngleOptions = {},
): BondAngleDistribution {
  const acc = new AngleAccumulator(cutoff, opts);
  if ('positions' in (confs as object)) acc.add(confs as Configuration);
  else for (const c of confs as Iterable<Configuration>) acc.add(c);
  return acc.result();
}

/**
 * Main peaks of N(θ) for a summary: N is smoothed with a Gaussian of σ = 2° (so counting noise
 * does not make peaks), then local maxima above `minFraction` of the largest one are returned,
 * highest first.
 */
export function anglePeaks(
  theta: ArrayLike<number>,
  bad: ArrayLike<number>,
  minFraction = 0.2,
): { theta: number; value: number }[] {
  const dt = theta.length > 1 ? theta[1] - theta[0] : 1;
  const s = smoothGaussian(bad, 2 / dt);
  let max = 0;
  for (let k = 0; k < s.length; k++) if (s[k] > max) max = s[k];
  const out: { theta: number; value: number }[] = [];
  for (let k = 0; k < s.length; k++) {
    const l = k > 0 ? s[k - 1] : -Infinity;
    const r = k < s.length - 1 ? s[k + 1] : -Infinity;
    if (s[k] >= minFraction * max && s[k] > 0 && s[k] >= l && s[k] > r)
      out.push({ theta: theta[k], value: s[k] });
  }
  return out.sort((a, b) => b.value - a.value);
}
