/**
 * EAM energy, forces and virial over a Verlet neighbour list (half list, Newton's third law).
 *
 * The list holds every pair within cutoff + skin, with the periodic image shift of each pair
 * frozen at build time, so between rebuilds the displacement is x_j − x_i + shift (no
 * minimum-image rounding in the hot loop). The pairs come from the project's cell-list pair
 * iterator (src/structure/cells.ts, cells of edge ≥ cutoff + skin). It is rebuilt when any atom has moved more than
 * skin/2 since the last build (then no pair can have crossed into the cutoff unseen). At a
 * rebuild positions are wrapped into the box and the image counters updated, so
 * x + image·L is always the unwrapped trajectory. All buffers are typed arrays reused across
 * steps; a rebuild allocates only when the list outgrows its buffers.
 */
import { CellGrid, checkBoxForCutoff, type PairChunk } from '../structure/index.js';
import { UserError } from '../util/errors.js';
import { EamPotential, pairIndex } from './eam.js';

export interface ForceResult {
  /** potential energy, eV (whole system) */
  energy: number;
  /** Σ_pairs r_ij·f_ij in eV (pressure: P = (2·KE + W) / 3V) */
  virial: number;
}

export class EamForceField {
  readonly n: number;
  box: [number, number, number] = [0, 0, 0];
  readonly cutoff: number;
  /** skin in use (the requested one, shrunk if the box is small) */
  skin = 0;
  private skinRequested: number;
  private stale = true;
  readonly pot: EamPotential;
  /** element index (into pot.elements) of each atom */
  readonly elem: Int32Array;
  /** periodic image counters, 3n */
  readonly image: Int32Array;
  /** number of neighbour-list builds so far */
  builds = 0;

  private xRef: Float64Array;
  private start: Int32Array;
  private nbr = new Int32Array(0);
  private scode = new Uint8Array(0);
  /** image shift vectors (Å) by code (sx+1)·9 + (sy+1)·3 + (sz+1), sx,sy,sz ∈ {−1,0,1} box lengths */
  private shTab = new Float64Array(81);
  private pr = new Float64Array(0);
  private pp = new Float64Array(0);
  private po = new Int32Array(0);
  private rho: Float64Array;
  private fp: Float64Array;
  private grid!: CellGrid;
  /** pairs of the last build before sorting by i (reused), and the fill cursor */
  private pairBuf: PairChunk | undefined;
  private cursor: Int32Array;
  private npairs = 0;
  // flattened spline tables with per-element / per-pair offsets
  private rhoTab: Float64Array;
  private fTab: Float64Array;
  private z2Tab: Float64Array;
  private rhoOff: Int32Array;
  private fOff: Int32Array;
  private z2Off: Int32Array;
  private nel: number;

  /**
   * @param elem element index of each atom (e.g. all zeros for a pure metal)
   * @param skin Verlet skin in Å (LAMMPS metal default 2.0; 0.3–0.5 is usual for dense metals)
   */
  constructor(pot: EamPotential, n: number, box: [number, number, number], elem: Int32Array, skin = 0.4) {
    if (elem.length !== n) throw new Error(`element index array has ${elem.length} entries for ${n} atoms`);
    for (let i = 0; i < n; i++) {
      if (elem[i] < 0 || elem[i] >= pot.elements.length)
        throw new Error(`atom ${i} has element index ${elem[i]} outside the potential`);
    }
    this.n = n;
    this.pot = pot;
    this.cutoff = pot.cutoff;
    this.elem = elem;
    this.skinRequested = skin;
    this.image = new Int32Array(3 * n);
    this.cursor = new Int32Array(n);
    this.setBox(box);
    this.xRef = new Float64Array(3 * n);
    this.start = new Int32Array(n + 1);
    this.rho = new Float64Array(n);
    this.fp = new Float64Array(n);
    const nel = pot.elements.length;
    this.nel = nel;
    const cat = (arrs: Float64Array[]) => {
      const off = new Int32Array(arrs.length);
      let len = 0;
      arrs.forEach((a, k) => {
        off[k] = len;
        len += a.length;
      });
      const out = new Float64Array(len);
      arrs.forEach((a, k) => out.set(a, off[k]));
      return { out, off };
    };
    const r = cat(pot.rhoSpline);
    const f = cat(pot.fSpline);
    const z = cat(pot.z2Spline);
    this.rhoTab = r.out;
    this.rhoOff = r.off;
    this.fTab = f.out;
    this.fOff = f.off;
    this.z2Tab = z.out;
    // z2Off indexed by a*nel+b for quick lookup
    this.z2Off = new Int32Array(nel * nel);
    for (let a = 0; a < nel; a++)
      for (let b = 0; b < nel; b++) this.z2Off[a * nel + b] = z.off[pairIndex(a, b)];
  }

  /**
   * Set (or change) the box: checks it against the cutoff, shrinks the skin if needed, sets up
   * the cell grid and image shifts; the next compute() rebuilds the list. Positions are not touched.
   */
  setBox(box: readonly number[]): void {
    try {
      checkBoxForCutoff(box, this.cutoff, 'potential cutoff');
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    // shrink the skin if the box cannot hold cutoff + skin
    const maxSkin = Math.min(box[0], box[1], box[2]) / 2 - this.cutoff;
    this.skin = Math.max(0, Math.min(this.skinRequested, maxSkin - 1e-9));
    this.box = [box[0], box[1], box[2]];
    this.grid = new CellGrid(this.box, this.cutoff + this.skin);
    this.shTab = this.grid.shiftVec;
    this.stale = true;
  }

  /** Electron density at each atom from the last compute(). */
  get density(): Float64Array {
    return this.rho;
  }

  /** Rebuild the list if any atom moved more than skin/2 since the last build; returns true if rebuilt. */
  update(x: Float64Array): boolean {
    if (!this.stale) {
      const lim = 0.25 * this.skin * this.skin;
      const ref = this.xRef;
      let moved = false;
      for (let k = 0; k < 3 * this.n; k += 3) {
        const dx = x[k] - ref[k],
          dy = x[k + 1] - ref[k + 1],
          dz = x[k + 2] - ref[k + 2];
        if (dx * dx + dy * dy + dz * dz > lim) {
          moved = true;
          break;
        }
      }
      if (!moved) return false;
    }
    this.rebuild(x);
    return true;
  }

  /** Wrap positions into the box (updating image counters) and rebuild the neighbour list. */
  rebuild(x: Float64Array): void {
    const n = this.n;
    const L = this.box;
    const img = this.image;
    for (let i = 0; i < n; i++)
      for (let d = 0; d < 3; d++) {
        const k = 3 * i + d;
        const s = Math.floor(x[k] / L[d]);
        if (s !== 0) {
          x[k] -= s * L[d];
          img[k] += s;
        }
        if (x[k] >= L[d]) {
          x[k] -= L[d];
          img[k] += 1;
        }
        if (x[k] < 0) x[k] = 0;
      }
    // pairs within cutoff + skin from the cell-list iterator (i < j, with the image shift code),
    // then counting-sorted into a half list by i
    const grid = this.grid;
    grid.bin(x, n);
    const st = this.start;
    st.fill(0);
    const { pairs, count: np } = grid.collectPairs(this.cutoff + this.skin, this.pairBuf);
    this.pairBuf = pairs;
    const ti = pairs.i,
      tj = pairs.j,
      tc = pairs.shift;
    for (let q = 0; q < np; q++) st[ti[q] + 1]++;
    for (let i = 0; i < n; i++) st[i + 1] += st[i];
    if (this.nbr.length < np) this.allocPairs(Math.ceil(np * 1.2) + 16);
    const cur = this.cursor;
    cur.set(st.subarray(0, n));
    const nbr = this.nbr,
      scode = this.scode;
    for (let q = 0; q < np; q++) {
      const k = cur[ti[q]]++;
      nbr[k] = tj[q];
      scode[k] = tc[q];
    }
    st[n] = np;
    this.npairs = np;
    this.xRef.set(x.subarray(0, 3 * n));
    this.builds++;
    this.stale = false;
  }

  private allocPairs(cap: number): void {
    this.nbr = new Int32Array(cap);
    this.scode = new Uint8Array(cap);
    this.pr = new Float64Array(cap);
    this.pp = new Float64Array(cap);
    this.po = new Int32Array(cap);
  }

  /** Pairs currently in the list (within cutoff + skin at the last build). */
  get listSize(): number {
    return this.npairs;
  }

  /**
   * Energy and forces (eV/Å, written into f, length 3n) at positions x. Calls update(x) first,
   * which may wrap x.
   */
  compute(x: Float64Array, f: Float64Array): ForceResult {
    this.update(x);
    const n = this.n;
    const st = this.start,
      nbr = this.nbr,
      scode = this.scode,
      sh = this.shTab,
      pr = this.pr,
      pp = this.pp,
      po = this.po;
    const rho = this.rho,
      fp = this.fp,
      elem = this.elem;
    const rhoTab = this.rhoTab,
      rhoOff = this.rhoOff,
      fTab = this.fTab,
      fOff = this.fOff,
      z2Tab = this.z2Tab,
      z2Off = this.z2Off,
      nel = this.nel;
    const pot = this.pot;
    const rdr = pot.rdr,
      rdrho = pot.rdrho,
      nr1 = pot.nr - 1,
      nrho1 = pot.nrho - 1,
      rhomax = pot.rhomax;
    const rc2 = this.cutoff * this.cutoff;
    const mono = nel === 1;
    rho.fill(0);
    // pass 1: densities; cache r, p and table offset of each in-range pair
    for (let i = 0; i < n; i++) {
      const xi = x[3 * i],
        yi = x[3 * i + 1],
        zi = x[3 * i + 2];
      const oi = rhoOff[elem[i]];
      let rhoi = 0;
      for (let q = st[i], qe = st[i + 1]; q < qe; q++) {
        const j = nbr[q];
        const sc = 3 * scode[q];
        const dx = x[3 * j] - xi + sh[sc],
          dy = x[3 * j + 1] - yi + sh[sc + 1],
          dz = x[3 * j + 2] - zi + sh[sc + 2];
        const r2 = dx * dx + dy * dy + dz * dz;
        if (r2 < rc2) {
          const r = Math.sqrt(r2);
          let p = r * rdr + 1.0;
          let m = p | 0;
          if (m > nr1) m = nr1;
          p -= m;
          if (p > 1) p = 1;
          const o = 7 * (m - 1);
          pr[q] = r;
          pp[q] = p;
          po[q] = o;
          if (mono) {
            // one element: ρ_i from j equals ρ_j from i
            const v = ((rhoTab[o + 3] * p + rhoTab[o + 4]) * p + rhoTab[o + 5]) * p + rhoTab[o + 6];
            rhoi += v;
            rho[j] += v;
          } else {
            let c = rhoOff[elem[j]] + o;
            rhoi += ((rhoTab[c + 3] * p + rhoTab[c + 4]) * p + rhoTab[c + 5]) * p + rhoTab[c + 6];
            c = oi + o;
            rho[j] += ((rhoTab[c + 3] * p + rhoTab[c + 4]) * p + rhoTab[c + 5]) * p + rhoTab[c + 6];
          }
        } else {
          po[q] = -1;
        }
      }
      rho[i] += rhoi;
    }
    // pass 2: embedding energy and its derivative
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const rh = rho[i];
      let p = rh * rdrho + 1.0;
      let m = p | 0;
      if (m > nrho1) m = nrho1;
      if (m < 1) m = 1;
      p -= m;
      if (p > 1) p = 1;
      const c = fOff[elem[i]] + 7 * (m - 1);
      const d = (fTab[c] * p + fTab[c + 1]) * p + fTab[c + 2];
      fp[i] = d;
      let e = ((fTab[c + 3] * p + fTab[c + 4]) * p + fTab[c + 5]) * p + fTab[c + 6];
      if (rh > rhomax) e += d * (rh - rhomax);
      energy += e;
    }
    // pass 3: pair energy and forces
    f.fill(0, 0, 3 * n);
    let virial = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[3 * i],
        yi = x[3 * i + 1],
        zi = x[3 * i + 2];
      const ei = elem[i];
      const fpi = fp[i];
      let fxi = 0,
        fyi = 0,
        fzi = 0;
      for (let q = st[i], qe = st[i + 1]; q < qe; q++) {
        const o = po[q];
        if (o < 0) continue;
        const j = nbr[q];
        const p = pp[q];
        const r = pr[q];
        let psip: number, z2: number, z2p: number;
        if (mono) {
          const rhop = (rhoTab[o] * p + rhoTab[o + 1]) * p + rhoTab[o + 2];
          z2p = (z2Tab[o] * p + z2Tab[o + 1]) * p + z2Tab[o + 2];
          z2 = ((z2Tab[o + 3] * p + z2Tab[o + 4]) * p + z2Tab[o + 5]) * p + z2Tab[o + 6];
          psip = (fpi + fp[j]) * rhop;
        } else {
          const ej = elem[j];
          // derivative of ρ_i from j (element ej) and of ρ_j from i (element ei)
          let c = rhoOff[ej] + o;
          const rhojp = (rhoTab[c] * p + rhoTab[c + 1]) * p + rhoTab[c + 2];
          c = rhoOff[ei] + o;
          const rhoip = (rhoTab[c] * p + rhoTab[c + 1]) * p + rhoTab[c + 2];
          c = z2Off[ei * nel + ej] + o;
          z2p = (z2Tab[c] * p + z2Tab[c + 1]) * p + z2Tab[c + 2];
          z2 = ((z2Tab[c + 3] * p + z2Tab[c + 4]) * p + z2Tab[c + 5]) * p + z2Tab[c + 6];
          psip = fpi * rhojp + fp[j] * rhoip;
        }
        const recip = 1 / r;
        const phi = z2 * recip;
        const phip = z2p * recip - phi * recip;
        psip += phip;
        energy += phi;
        virial -= psip * r;
        // f_i = −∂E/∂x_i = psip·(x_j − x_i)/r
        const s = psip * recip;
        const sc = 3 * scode[q];
        const dx = (x[3 * j] - xi + sh[sc]) * s,
          dy = (x[3 * j + 1] - yi + sh[sc + 1]) * s,
          dz = (x[3 * j + 2] - zi + sh[sc + 2]) * s;
        fxi += dx;
        fyi += dy;
        fzi += dz;
        f[3 * j] -= dx;
        f[3 * j + 1] -= dy;
        f[3 * j + 2] -= dz;
      }
      f[3 * i] += fxi;
      f[3 * i + 1] += fyi;
      f[3 * i + 2] += fzi;
    }
    return { energy, virial };
  }
}

/** One-off energy and forces of a configuration (builds a fresh force field). */
export function eamEnergyForces(
  pot: EamPotential,
  positions: Float64Array,
  box: [number, number, number],
  elem: Int32Array,
): { energy: number; forces: Float64Array; virial: number } {
  const n = elem.length;
  const x = new Float64Array(positions);
  const ff = new EamForceField(pot, n, box, elem, 0);
  const forces = new Float64Array(3 * n);
  const { energy, virial } = ff.compute(x, forces);
  return { energy, forces, virial };
}
