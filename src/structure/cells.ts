/**
 * The one cell-list pair iterator of the project (neighbour lists, g(r) histograms and the EAM
 * Verlet list all use it). Orthogonal periodic box, cells of edge ≥ the pair radius.
 *
 * Atoms are counting-sorted into cells and copied, wrapped into the box, in cell order. Each
 * cell is paired with the 14 cells of the half 27-cell stencil (offset code
 * s = (ox+1)·9 + (oy+1)·3 + (oz+1) ≥ 13, the cell itself at s = 13), so every pair is met once;
 * the periodic image of the neighbouring cell is one precomputed shift per (cell, offset), so
 * the inner loop has no minimum-image rounding. Boxes under three cells across fall back to
 * all pairs at their minimum image. Pairs come out in chunks of typed arrays (no per-pair
 * callback in the hot loop): i < j, displacement d = r_j + S − r_i with S the shift of code
 * `shift` (shift vector (kx, ky, kz)·L, code (kx+1)·9 + (ky+1)·3 + (kz+1); 13 = no shift).
 */

/** Shift code of no periodic shift. */
export const NO_SHIFT = 13;

/** One chunk of pairs; entries 0 … count−1 are valid until the callback returns. */
export interface PairChunk {
  i: Int32Array;
  j: Int32Array;
  dx: Float64Array;
  dy: Float64Array;
  dz: Float64Array;
  shift: Uint8Array;
}

const CHUNK = 4096;

/** Empty pair buffers of `cap` slots. */
export function newChunk(cap: number): PairChunk {
  return {
    i: new Int32Array(cap),
    j: new Int32Array(cap),
    dx: new Float64Array(cap),
    dy: new Float64Array(cap),
    dz: new Float64Array(cap),
    shift: new Uint8Array(cap),
  };
}

/** Grow the buffers of `ch` in place to `cap` slots, keeping what they hold. */
function growChunk(ch: PairChunk, cap: number): void {
  const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(cap);
    b.set(a);
    return b;
  };
  ch.i = grow(ch.i, (n) => new Int32Array(n));
  ch.j = grow(ch.j, (n) => new Int32Array(n));
  ch.dx = grow(ch.dx, (n) => new Float64Array(n));
  ch.dy = grow(ch.dy, (n) => new Float64Array(n));
  ch.dz = grow(ch.dz, (n) => new Float64Array(n));
  ch.shift = grow(ch.shift, (n) => new Uint8Array(n));
}

/** Store pair (a, b) at slot m as i < j: swapping the atoms reverses d and the shift (code → 26 − code). */
function storePair(
  ch: PairChunk,
  m: number,
  a: number,
  b: number,
  dx: number,
  dy: number,
  dz: number,
  code: number,
): void {
  if (a < b) {
    ch.i[m] = a;
    ch.j[m] = b;
    ch.dx[m] = dx;
    ch.dy[m] = dy;
    ch.dz[m] = dz;
    ch.shift[m] = code;
  } else {
    ch.i[m] = b;
    ch.j[m] = a;
    ch.dx[m] = -dx;
    ch.dy[m] = -dy;
    ch.dz[m] = -dz;
    ch.shift[m] = 26 - code;
  }
}

export class CellGrid {
  readonly box: [number, number, number];
  /** pair radius the grid was built for (cell edge ≥ radius) */
  readonly radius: number;
  readonly nc: [number, number, number];
  /** true when every axis has at least 3 cells; otherwise all pairs are scanned */
  readonly useCells: boolean;
  /** shift vectors by code, 3 per code (Å) */
  readonly shiftVec = new Float64Array(81);
  /** atoms of cell c: atoms[start[c]] … atoms[start[c+1]−1] (after bin) */
  readonly start: Int32Array;
  atoms = new Int32Array(0);
  /** cell of each atom (after bin) */
  atomCell = new Int32Array(0);
  /** wrapped coordinates in cell order (after bin) */
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);
  private zs = new Float64Array(0);
  private cursor: Int32Array;
  /** per axis, cell and offset: [neighbour cell, shift digit] */
  private axX: Int32Array;
  private axY: Int32Array;
  private axZ: Int32Array;
  private n = 0;
  private readonly chunk: PairChunk = newChunk(CHUNK);

  constructor(box: readonly number[], radius: number) {
    this.box = [box[0], box[1], box[2]];
    this.radius = radius;
    this.nc = [0, 1, 2].map((d) => Math.max(1, Math.floor(box[d] / radius))) as [number, number, number];
    this.useCells = this.nc[0] >= 3 && this.nc[1] >= 3 && this.nc[2] >= 3;
    for (let kx = 0; kx < 3; kx++)
      for (let ky = 0; ky < 3; ky++)
        for (let kz = 0; kz < 3; kz++) {
          const c = 3 * (kx * 9 + ky * 3 + kz);
          this.shiftVec[c] = (kx - 1) * box[0];
          this.shiftVec[c + 1] = (ky - 1) * box[1];
          this.shiftVec[c + 2] = (kz - 1) * box[2];
        }
    const [ncx, ncy, ncz] = this.nc;
    const ncell = this.useCells ? ncx * ncy * ncz : 1;
    this.start = new Int32Array(ncell + 1);
    this.cursor = new Int32Array(ncell);
    // per axis and offset −1, 0, +1: the neighbouring cell index and its shift digit (0: −L, 1: none, 2: +L)
    const axis = (nc: number): Int32Array => {
      const t = new Int32Array(6 * nc);
      for (let c = 0; c < nc; c++)
        for (let o = 0; o < 3; o++) {
          const v = c + o - 1;
          t[6 * c + 2 * o] = v < 0 ? v + nc : v >= nc ? v - nc : v;
          t[6 * c + 2 * o + 1] = v < 0 ? 0 : v >= nc ? 2 : 1;
        }
      return t;
    };
    this.axX = axis(ncx);
    this.axY = axis(ncy);
    this.axZ = axis(ncz);
  }

  /** Sort atoms into cells and keep their wrapped coordinates in cell order. Positions need not be wrapped. */
  bin(positions: Float64Array, n: number): void {
    this.n = n;
    if (this.atoms.length < n) {
      this.atoms = new Int32Array(n);
      this.atomCell = new Int32Array(n);
      this.xs = new Float64Array(n);
      this.ys = new Float64Array(n);
      this.zs = new Float64Array(n);
    }
    const [lx, ly, lz] = this.box;
    const [ncx, ncy, ncz] = this.useCells ? this.nc : [1, 1, 1];
    const cs = this.start;
    const ac = this.atomCell;
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
      ac[i] = c;
      cs[c + 1]++;
    }
    const ncell = cs.length - 1;
    for (let c = 0; c < ncell; c++) cs[c + 1] += cs[c];
    const cur = this.cursor;
    for (let c = 0; c < ncell; c++) cur[c] = cs[c];
    const ca = this.atoms;
    for (let i = 0; i < n; i++) {
      const a = cur[ac[i]]++;
      ca[a] = i;
      const x = positions[3 * i],
        y = positions[3 * i + 1],
        z = positions[3 * i + 2];
      this.xs[a] = x - lx * Math.floor(x / lx);
      this.ys[a] = y - ly * Math.floor(y / ly);
      this.zs[a] = z - lz * Math.floor(z / lz);
    }
  }

  /**
   * Every pair i < j closer than `cutoff` (≤ the grid's radius) once, in chunks of at most 4096
   * (cell order; the chunk buffers are reused). Call `bin` first.
   */
  forEachPairChunk(cutoff: number, onChunk: (p: PairChunk, count: number) => void): void {
    const m = this.scan(cutoff, this.chunk, (ch, full) => {
      onChunk(ch, full);
      return 0;
    });
    if (m) onChunk(this.chunk, m);
  }

  /**
   * Every pair i < j closer than `cutoff` once, all of them, into `into` (grown as needed: keep it
   * to reuse its arrays). Call `bin` first. Returns the buffer (possibly new arrays) and the count.
   */
  collectPairs(cutoff: number, into?: PairChunk): { pairs: PairChunk; count: number } {
    const buf = into ?? newChunk(Math.max(1024, 8 * this.n));
    const count = this.scan(cutoff, buf, (ch, full) => {
      growChunk(ch, 2 * full);
      return full;
    });
    return { pairs: buf, count };
  }

  /**
   * The pair loop: stores pairs into `ch` from slot 0; when it is full, `flush(ch, count)` says
   * how many stay (0: consumed; count: it grew the arrays). Returns the number of filled slots.
   */
  private scan(cutoff: number, ch: PairChunk, flush: (ch: PairChunk, full: number) => number): number {
    const rc2 = cutoff * cutoff;
    let cap = ch.i.length;
    const xs = this.xs,
      ys = this.ys,
      zs = this.zs;
    const ca = this.atoms;
    const sv = this.shiftVec;
    let m = 0;
    if (!this.useCells) {
      // all pairs at their minimum image (box ≥ 2·cutoff, so the image is within one box length)
      const [lx, ly, lz] = this.box;
      const n = this.n;
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          const ex = xs[b] - xs[a],
            ey = ys[b] - ys[a],
            ez = zs[b] - zs[a];
          const kx = -Math.round(ex / lx),
            ky = -Math.round(ey / ly),
            kz = -Math.round(ez / lz);
          const dx = ex + kx * lx,
            dy = ey + ky * ly,
            dz = ez + kz * lz;
          const r2 = dx * dx + dy * dy + dz * dz;
          if (r2 < rc2) {
            storePair(ch, m, ca[a], ca[b], dx, dy, dz, (kx + 1) * 9 + (ky + 1) * 3 + (kz + 1));
            if (++m === cap) {
              m = flush(ch, m);
              cap = ch.i.length;
            }
          }
        }
      }
      return m;
    }
    const cs = this.start;
    const [ncx, ncy, ncz] = this.nc;
    const axX = this.axX,
      axY = this.axY,
      axZ = this.axZ;
    for (let cx = 0; cx < ncx; cx++)
      for (let cy = 0; cy < ncy; cy++)
        for (let cz = 0; cz < ncz; cz++) {
          const c = (cx * ncy + cy) * ncz + cz;
          const c0 = cs[c],
            c1 = cs[c + 1];
          if (c0 === c1) continue;
          for (let o = 0; o < 14; o++) {
            // half stencil: offset codes 13 … 26 (the cell itself first)
            const s = o + 13;
            const qx = 6 * cx + 2 * ((s / 9) | 0),
              qy = 6 * cy + 2 * (((s / 3) | 0) % 3),
              qz = 6 * cz + 2 * (s % 3);
            const c2 = (axX[qx] * ncy + axY[qy]) * ncz + axZ[qz];
            const code = axX[qx + 1] * 9 + axY[qy + 1] * 3 + axZ[qz + 1];
            const sx = sv[3 * code],
              sy = sv[3 * code + 1],
              sz = sv[3 * code + 2];
            const e2 = cs[c2 + 1];
            const self = o === 0;
            for (let a = c0; a < c1; a++) {
              const xi = xs[a] - sx,
                yi = ys[a] - sy,
                zi = zs[a] - sz;
              for (let b = self ? a + 1 : cs[c2]; b < e2; b++) {
                const dx = xs[b] - xi,
                  dy = ys[b] - yi,
                  dz = zs[b] - zi;
                const r2 = dx * dx + dy * dy + dz * dz;
                if (r2 < rc2) {
                  storePair(ch, m, ca[a], ca[b], dx, dy, dz, code);
                  if (++m === cap) {
                    m = flush(ch, m);
                    cap = ch.i.length;
                  }
                }
              }
            }
          }
        }
    return m;
  }
}
