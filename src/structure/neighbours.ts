/**
 * Neighbour search in an orthogonal periodic box: O(N) cell lists with a brute-force
 * minimum-image fallback for boxes too small to hold three cells along some axis.
 *
 * The cutoff must not exceed half of the shortest box edge (minimum-image convention:
 * each pair is counted once, at its nearest periodic image).
 */
import type { Configuration } from './types.js';
import { UserError } from '../util/errors.js';
import { CellGrid } from './cells.js';

/**
 * Neighbour list in compressed-sparse-row form. Neighbours of atom i are
 * index[start[i]] … index[start[i+1]−1], with displacement (dx, dy, dz) = r_j − r_i
 * (minimum image) and distance r.
 */
export interface NeighbourList {
  n: number;
  cutoff: number;
  /** true: each pair stored once (under the lower index); false: stored for both atoms */
  half: boolean;
  start: Int32Array;
  index: Int32Array;
  dx: Float64Array;
  dy: Float64Array;
  dz: Float64Array;
  r: Float64Array;
}

/** Throws a clear UserError if the box is too small for the cutoff under the minimum-image convention. */
export function checkBoxForCutoff(box: readonly number[], cutoff: number, what = 'cutoff'): void {
  const minEdge = Math.min(box[0], box[1], box[2]);
  if (cutoff > minEdge / 2 + 1e-12) {
    throw new UserError(
      `box too small for the ${what} ${cutoff.toFixed(3)} Å: the shortest box edge is ${minEdge.toFixed(3)} Å and ` +
        `must be at least 2×${what} = ${(2 * cutoff).toFixed(3)} Å (use a larger supercell)`,
    );
  }
}

/**
 * Reusable cell list for one box and cutoff, on the project's one pair iterator (CellGrid,
 * cells.ts). `bin` sorts atoms into cells (no allocation after the first call with a given N);
 * `forEachPair` and `pairList` visit every pair with r < cutoff exactly once.
 */
export class CellList {
  readonly cutoff: number;
  readonly box: [number, number, number];
  readonly nc: [number, number, number];
  /** true when every axis has at least 3 cells; otherwise all pairs are scanned */
  readonly useCells: boolean;
  readonly grid: CellGrid;

  constructor(box: readonly number[], cutoff: number) {
    if (!(cutoff > 0)) throw new UserError(`neighbour cutoff must be positive, got ${cutoff}`);
    checkBoxForCutoff(box, cutoff);
    this.cutoff = cutoff;
    this.grid = new CellGrid(box, cutoff);
    this.box = this.grid.box;
    this.nc = this.grid.nc;
    this.useCells = this.grid.useCells;
  }

  /** Sort atoms into cells. Positions need not be wrapped. */
  bin(positions: Float64Array, n: number): void {
    this.grid.bin(positions, n);
  }

  /**
   * Visit every pair i < j with r < cutoff once. The callback gets the minimum-image
   * displacement r_j − r_i and r². Call `bin` first with the same positions.
   */
  forEachPair(
    _positions: Float64Array,
    cb: (i: number, j: number, dx: number, dy: number, dz: number, r2: number) => void,
  ): void {
    this.grid.forEachPairChunk(this.cutoff, (p, m) => {
      for (let k = 0; k < m; k++) {
        const dx = p.dx[k],
          dy = p.dy[k],
          dz = p.dz[k];
        cb(p.i[k], p.j[k], dx, dy, dz, dx * dx + dy * dy + dz * dz);
      }
    });
  }

  /**
   * All pairs i < j with r < cutoff and their minimum-image displacement r_j − r_i, collected
   * into flat typed arrays (what buildNeighbourList needs). Call `bin` first with the same positions.
   */
  pairList(_positions: Float64Array): { count: number; i: Int32Array; j: Int32Array; d: Float64Array } {
    const { pairs, count } = this.grid.collectPairs(this.cutoff);
    const d = new Float64Array(3 * count);
    for (let k = 0; k < count; k++) {
      d[3 * k] = pairs.dx[k];
      d[3 * k + 1] = pairs.dy[k];
      d[3 * k + 2] = pairs.dz[k];
    }
    return { count, i: pairs.i, j: pairs.j, d };
  }
}

/**
 * Neighbour list of all pairs closer than `cutoff`. With `half`, each pair is stored once
 * under its lower index; otherwise under both atoms (the usual choice for angles).
 */
export function buildNeighbourList(
  conf: Configuration,
  cutoff: number,
  opts: { half?: boolean } = {},
): NeighbourList {
  const half = opts.half ?? false;
  const n = conf.n;
  const cl = new CellList(conf.box, cutoff);
  cl.bin(conf.positions, n);
  const { pairs, count: npairs } = cl.grid.collectPairs(cutoff);
  const { i: pi, j: pj, dx: pdx, dy: pdy, dz: pdz } = pairs;
  const count = new Int32Array(n + 1);
  for (let p = 0; p < npairs; p++) {
    count[pi[p] + 1]++;
    if (!half) count[pj[p] + 1]++;
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const total = count[n];
  const start = Int32Array.from(count);
  const cursor = Int32Array.from(count);
  const index = new Int32Array(total);
  const dx = new Float64Array(total);
  const dy = new Float64Array(total);
  const dz = new Float64Array(total);
  const r = new Float64Array(total);
  for (let p = 0; p < npairs; p++) {
    const i = pi[p],
      j = pj[p];
    const x = pdx[p],
      y = pdy[p],
      z = pdz[p];
    const d = Math.sqrt(x * x + y * y + z * z);
    let k = cursor[i]++;
    index[k] = j;
    dx[k] = x;
    dy[k] = y;
    dz[k] = z;
    r[k] = d;
    if (!half) {
      k = cursor[j]++;
      index[k] = i;
      dx[k] = -x;
      dy[k] = -y;
      dz[k] = -z;
      r[k] = d;
    }
  }
  return { n, cutoff, half, start, index, dx, dy, dz, r };
}

/** Brute-force O(N²) neighbour count per atom (for tests and validation). */
export function bruteForceNeighbourCounts(conf: Configuration, cutoff: number): Int32Array {
  const n = conf.n;
  const p = conf.positions;
  const [lx, ly, lz] = conf.box;
  const out = new Int32Array(n);
  const rc2 = cutoff * cutoff;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let dx = p[3 * j] - p[3 * i];
      let dy = p[3 * j + 1] - p[3 * i + 1];
      let dz = p[3 * j + 2] - p[3 * i + 2];
      dx -= lx * Math.round(dx / lx);
      dy -= ly * Math.round(dy / ly);
      dz -= lz * Math.round(dz / lz);
      if (dx * dx + dy * dy + dz * dz < rc2) {
        out[i]++;
        out[j]++;
      }
    }
  return out;
}
