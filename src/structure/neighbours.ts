/**
 * Neighbour search in an orthogonal periodic box: O(N) cell lists with a brute-force
 * minimum-image fallback for boxes too small to hold three cells along some axis.
 *
 * The cutoff must not exceed half of the shortest box edge (minimum-image convention:
 * each pair is counted once, at its nearest periodic image).
 */
import type { Configuration } from './types.js';

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

/** Throws a clear error if the box is too small for the cutoff under the minimum-image convention. */
export function checkBoxForCutoff(box: readonly number[], cutoff: number, what = 'cutoff'): void {
  const minEdge = Math.min(box[0], box[1], box[2]);
  if (cutoff > minEdge / 2 + 1e-12) {
    throw new Error(
      `box too small for the ${what} ${cutoff.toFixed(3)} Å: the shortest box edge is ${minEdge.toFixed(3)} Å and ` +
        `must be at least 2×${what} = ${(2 * cutoff).toFixed(3)} Å (use a larger supercell)`,
    );
  }
}

/**
 * Reusable cell-list builder. `bin` sorts atoms into cells (counting sort, no allocation
 * after the first call with a given N and cell grid); `forEachPair` visits every pair with
 * r < cutoff exactly once.
 */
export class CellList {
  readonly cutoff: number;
  readonly box: [number, number, number];
  readonly nc: [number, number, number];
  /** true when every axis has at least 3 cells; otherwise brute force is used */
  readonly useCells: boolean;
  private cellStart: Int32Array;
  private cellAtoms: Int32Array;
  private atomCell: Int32Array;
  private n = 0;

  /**
   * The binning of the last `bin` call, for callers with their own inlined pair loops: atoms of
   * cell c are atoms[start[c]] … atoms[start[c+1]−1]; cell index (cx·ncy + cy)·ncz + cz.
   * Read-only views; valid until the next `bin`.
   */
  get binning(): { start: Int32Array; atoms: Int32Array; n: number } {
    return { start: this.cellStart, atoms: this.cellAtoms, n: this.n };
  }

  constructor(box: readonly number[], cutoff: number) {
    if (!(cutoff > 0)) throw new Error(`neighbour cutoff must be positive, got ${cutoff}`);
    checkBoxForCutoff(box, cutoff);
    this.cutoff = cutoff;
    this.box = [box[0], box[1], box[2]];
    this.nc = [0, 1, 2].map((d) => Math.max(1, Math.floor(box[d] / cutoff))) as [number, number, number];
    this.useCells = this.nc[0] >= 3 && this.nc[1] >= 3 && this.nc[2] >= 3;
    const ncell = this.nc[0] * this.nc[1] * this.nc[2];
    this.cellStart = new Int32Array(ncell + 1);
    this.cellAtoms = new Int32Array(0);
    this.atomCell = new Int32Array(0);
  }

  /** Sort atoms into cells. Positions need not be wrapped. */
  bin(positions: Float64Array, n: number): void {
    this.n = n;
    if (!this.useCells) return;
    if (this.atomCell.length < n) {
      this.atomCell = new Int32Array(n);
      this.cellAtoms = new Int32Array(n);
    }
    const [ncx, ncy, ncz] = this.nc;
    const [lx, ly, lz] = this.box;
    const cs = this.cellStart;
    cs.fill(0);
    for (let i = 0; i < n; i++) {
      let fx = positions[3 * i] / lx;
      let fy = positions[3 * i + 1] / ly;
      let fz = positions[3 * i + 2] / lz;
      fx -= Math.floor(fx);
      fy -= Math.floor(fy);
      fz -= Math.floor(fz);
      let cx = Math.floor(fx * ncx);
      let cy = Math.floor(fy * ncy);
      let cz = Math.floor(fz * ncz);
      if (cx >= ncx) cx = ncx - 1;
      if (cy >= ncy) cy = ncy - 1;
      if (cz >= ncz) cz = ncz - 1;
      const c = (cx * ncy + cy) * ncz + cz;
      this.atomCell[i] = c;
      cs[c + 1]++;
    }
    for (let c = 0; c < cs.length - 1; c++) cs[c + 1] += cs[c];
    // fill using a moving cursor (cellStart shifted back afterwards)
    for (let i = 0; i < n; i++) {
      const c = this.atomCell[i];
      this.cellAtoms[cs[c]++] = i;
    }
    for (let c = cs.length - 1; c > 0; c--) cs[c] = cs[c - 1];
    cs[0] = 0;
  }

  /**
   * Visit every pair i < j with r < cutoff once. The callback gets the minimum-image
   * displacement r_j − r_i and r². Call `bin` first.
   */
  forEachPair(
    positions: Float64Array,
    cb: (i: number, j: number, dx: number, dy: number, dz: number, r2: number) => void,
  ): void {
    const n = this.n;
    const [lx, ly, lz] = this.box;
    const rc2 = this.cutoff * this.cutoff;
    if (!this.useCells) {
      for (let i = 0; i < n; i++) {
        const xi = positions[3 * i],
          yi = positions[3 * i + 1],
          zi = positions[3 * i + 2];
        for (let j = i + 1; j < n; j++) {
          let dx = positions[3 * j] - xi;
          let dy = positions[3 * j + 1] - yi;
          let dz = positions[3 * j + 2] - zi;
          dx -= lx * Math.round(dx / lx);
          dy -= ly * Math.round(dy / ly);
          dz -= lz * Math.round(dz / lz);
          const r2 = dx * dx + dy * dy + dz * dz;
          if (r2 < rc2) cb(i, j, dx, dy, dz, r2);
        }
      }
      return;
    }
    const [ncx, ncy, ncz] = this.nc;
    const cs = this.cellStart;
    const ca = this.cellAtoms;
    for (let cx = 0; cx < ncx; cx++)
      for (let cy = 0; cy < ncy; cy++)
        for (let cz = 0; cz < ncz; cz++) {
          const c = (cx * ncy + cy) * ncz + cz;
          // half of the 27 neighbouring cells (13 + self) so each cell pair is visited once
          for (let ox = -1; ox <= 1; ox++)
            for (let oy = -1; oy <= 1; oy++)
              for (let oz = -1; oz <= 1; oz++) {
                const o = (ox * 3 + oy) * 3 + oz;
                if (o < 0) continue;
                const nx = (cx + ox + ncx) % ncx;
                const ny = (cy + oy + ncy) % ncy;
                const nz = (cz + oz + ncz) % ncz;
                const c2 = (nx * ncy + ny) * ncz + nz;
                const self = o === 0;
                for (let a = cs[c]; a < cs[c + 1]; a++) {
                  const i = ca[a];
                  const xi = positions[3 * i],
                    yi = positions[3 * i + 1],
                    zi = positions[3 * i + 2];
                  for (let b = self ? a + 1 : cs[c2]; b < cs[c2 + 1]; b++) {
                    const j = ca[b];
                    let dx = positions[3 * j] - xi;
                    let dy = positions[3 * j + 1] - yi;
                    let dz = positions[3 * j + 2] - zi;
                    dx -= lx * Math.round(dx / lx);
                    dy -= ly * Math.round(dy / ly);
                    dz -= lz * Math.round(dz / lz);
                    const r2 = dx * dx + dy * dy + dz * dz;
                    if (r2 < rc2) {
                      if (i < j) cb(i, j, dx, dy, dz, r2);
                      else cb(j, i, -dx, -dy, -dz, r2);
                    }
                  }
                }
              }
        }
  }
  /**
   * All pairs i < j with r < cutoff and their minimum-image displacement r_j − r_i, collected
   * into flat typed arrays (what buildNeighbourList needs). Same pairs as forEachPair, but the
   * loop is inlined, works on cell-ordered wrapped coordinates and replaces the per-pair
   * minimum-image rounding by one periodic shift per neighbouring cell. Call `bin` first with
   * the same positions.
   */
  pairList(positions: Float64Array): { count: number; i: Int32Array; j: Int32Array; d: Float64Array } {
    const n = this.n;
    let cap = Math.max(1024, n * 8);
    let pi = new Int32Array(cap);
    let pj = new Int32Array(cap);
    let pd = new Float64Array(3 * cap);
    let m = 0;
    const grow = () => {
      cap *= 2;
      const a = new Int32Array(cap);
      a.set(pi);
      pi = a;
      const b = new Int32Array(cap);
      b.set(pj);
      pj = b;
      const c = new Float64Array(3 * cap);
      c.set(pd);
      pd = c;
    };
    if (!this.useCells) {
      this.forEachPair(positions, (i, j, dx, dy, dz) => {
        if (m === cap) grow();
        pi[m] = i;
        pj[m] = j;
        pd[3 * m] = dx;
        pd[3 * m + 1] = dy;
        pd[3 * m + 2] = dz;
        m++;
      });
      return { count: m, i: pi, j: pj, d: pd };
    }
    const [lx, ly, lz] = this.box;
    const [ncx, ncy, ncz] = this.nc;
    const cs = this.cellStart;
    const ca = this.cellAtoms;
    const rc2 = this.cutoff * this.cutoff;
    // wrapped coordinates in cell order
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    const zs = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      const i = ca[a];
      const x = positions[3 * i],
        y = positions[3 * i + 1],
        z = positions[3 * i + 2];
      xs[a] = x - lx * Math.floor(x / lx);
      ys[a] = y - ly * Math.floor(y / ly);
      zs[a] = z - lz * Math.floor(z / lz);
    }
    for (let cx = 0; cx < ncx; cx++)
      for (let cy = 0; cy < ncy; cy++)
        for (let cz = 0; cz < ncz; cz++) {
          const c = (cx * ncy + cy) * ncz + cz;
          const c0 = cs[c],
            c1 = cs[c + 1];
          if (c0 === c1) continue;
          for (let ox = -1; ox <= 1; ox++)
            for (let oy = -1; oy <= 1; oy++)
              for (let oz = -1; oz <= 1; oz++) {
                const o = (ox * 3 + oy) * 3 + oz;
                if (o < 0) continue;
                // neighbouring cell and the periodic shift of its atoms' image next to cell c
                let nx = cx + ox,
                  sx = 0;
                if (nx < 0) {
                  nx += ncx;
                  sx = -lx;
                } else if (nx >= ncx) {
                  nx -= ncx;
                  sx = lx;
                }
                let ny = cy + oy,
                  sy = 0;
                if (ny < 0) {
                  ny += ncy;
                  sy = -ly;
                } else if (ny >= ncy) {
                  ny -= ncy;
                  sy = ly;
                }
                let nz = cz + oz,
                  sz = 0;
                if (nz < 0) {
                  nz += ncz;
                  sz = -lz;
                } else if (nz >= ncz) {
                  nz -= ncz;
                  sz = lz;
                }
                const c2 = (nx * ncy + ny) * ncz + nz;
                const e2 = cs[c2 + 1];
                const self = o === 0;
                for (let a = c0; a < c1; a++) {
                  const xi = xs[a] - sx,
                    yi = ys[a] - sy,
                    zi = zs[a] - sz;
                  for (let b = self ? a + 1 : cs[c2]; b < e2; b++) {
                    const dx = xs[b] - xi;
                    const dy = ys[b] - yi;
                    const dz = zs[b] - zi;
                    const r2 = dx * dx + dy * dy + dz * dz;
                    if (r2 < rc2) {
                      if (m === cap) grow();
                      const i = ca[a],
                        j = ca[b];
                      if (i < j) {
                        pi[m] = i;
                        pj[m] = j;
                        pd[3 * m] = dx;
                        pd[3 * m + 1] = dy;
                        pd[3 * m + 2] = dz;
                      } else {
                        pi[m] = j;
                        pj[m] = i;
                        pd[3 * m] = -dx;
                        pd[3 * m + 1] = -dy;
                        pd[3 * m + 2] = -dz;
                      }
                      m++;
                    }
                  }
                }
              }
        }
    return { count: m, i: pi, j: pj, d: pd };
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
  const { count: npairs, i: pi, j: pj, d: pd } = cl.pairList(conf.positions);
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
    const x = pd[3 * p],
      y = pd[3 * p + 1],
      z = pd[3 * p + 2];
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
