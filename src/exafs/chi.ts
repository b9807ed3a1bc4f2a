/**
 * Configurational average χ(k) of configurations from γ tables (docs/design.md; GNXAS n-body
 * expansion, Filipponi, Di Cicco & Natoli PRB 52, 15122 (1995)), every atom an absorber:
 *   χ(k) = S0² [ (1/N) Σ_i Σ_{j≠i} γ2(r_ij, k') + (1/N) Σ_triplets γ3(r1, r2, θ, k') ],
 * k' = √(k² + ETOK·ΔE) (see kgrid.ts for the sign convention).
 *
 * Contraction (cost independent of nk × pairs and nk × triplets):
 *  - pairs: histogram in r on a fine grid (0.002 Å) with linear weights; γ2 is evaluated at
 *    the histogram nodes once per (tables, k grid, ΔE) and cached.
 *  - triplets: each triplet adds its (trilinearly interpolated) γ3 coefficients in the k basis,
 *    for each path-length class, to a histogram over the path length L (0.02 Å bins, quadratic
 *    B-spline weights); then χ3(k) = Im Σ_m v_m(k') Σ_L H_m(L) e^(ik'L) / sinc³(k'h/2). The
 *    kernel's transform is divided out exactly; its aliases leave ≤ (sin(kh/2)/(π − kh/2))³
 *    = 3·10⁻⁴ at k = 20 Å⁻¹.
 */
import type { Configuration } from '../structure/index.js';
import { buildNeighbourList, checkBoxForCutoff, CellList } from '../structure/index.js';
import { type GammaTables, gamma2Reduced, g3Node } from '../theory/table.js';
import { splinePlan, splineApply, splineSecondDerivatives, type SplinePlan } from '../theory/spline.js';
import { UserError } from '../util/errors.js';
import { RdfAccumulator, maxRdfRange } from '../analysis/rdf.js';
import { firstShell } from '../analysis/firstShell.js';
import { kGrid as makeKGrid, shiftedK } from './kgrid.js';

export interface ChiOptions {
  /** output k grid (Å⁻¹); default 0–20 step 0.05 */
  kGrid?: ArrayLike<number>;
  /** energy-origin shift ΔE in eV (default 0) */
  dE?: number;
  /** amplitude reduction factor S0² (default 1) */
  s02?: number;
  /** pairs up to this distance enter the 2-body term (Å, default 6.0) */
  rmax2?: number;
  /**
   * first-shell cutoff for triplet bonds (Å); default: the configurations' own first-shell cutoff,
   * `firstShell(g(r)).cutoff` of their g(r) (src/analysis/firstShell.ts, the one definition)
   */
  cutoff3?: number;
  /**
   * lower a first-shell cutoff that lies beyond the γ3 table's end to that end instead of refusing
   * (default: true for the automatic cutoff, false for an explicit `cutoff3`). The cutoff is a
   * minimum of g(r), so the few bonds between the table's end and it are the weakest of the shell
   * (hot, expanded bcc Fe: combined 8 + 6 shell to 3.61–3.67 Å against Fe-K's 3.6 Å); the dataset
   * pipeline sets it, and the result says `cutoff3_clamped`.
   */
  clampCutoff3?: boolean;
  /** include the 3-body term (default true) */
  threeBody?: boolean;
}

export interface ChiResult {
  k: Float64Array;
  chi: Float64Array;
  chi2: Float64Array;
  chi3: Float64Array;
  /** absorbers averaged over (atoms × frames) */
  absorbers: number;
  frames: number;
  /** pairs (counted once) and triplets per frame, averaged */
  pairsPerFrame: number;
  tripletsPerFrame: number;
  rmax2: number;
  /** the triplet cutoff used [Å] */
  cutoff3: number;
  /** true when the first-shell cutoff lay beyond the γ3 table and was lowered to its end */
  cutoff3_clamped: boolean;
}

const H2 = 0.002;
const HL = 0.02;

/** Per (tables, k grid, ΔE) precomputation. */
class Evaluator {
  readonly k: Float64Array;
  readonly kp: Float64Array;
  readonly nk: number;
  // γ2 on the fine r grid
  readonly r2min: number;
  readonly n2: number;
  readonly g2: Float64Array; // [node][k]
  // γ3
  readonly M: number;
  readonly basisK: Float64Array; // [m][k] at k'
  readonly Lmin: number;
  readonly nL: number;

  constructor(
    readonly t: GammaTables,
    k: ArrayLike<number>,
    readonly dE: number,
  ) {
    this.k = Float64Array.from(k);
    this.nk = this.k.length;
    this.kp = shiftedK(this.k, dE);
    const nk = this.nk;
    const kpSafe = Float64Array.from(this.kp, (x) => (Number.isFinite(x) ? x : 0));
    const plan: SplinePlan = splinePlan(t.k, kpSafe);
    const nkt = t.k.length;
    // ---- γ2 at fine nodes
    const h2 = t.header.gamma2;
    this.r2min = h2.rMin;
    const r2max = h2.rMin + h2.rStep * (h2.nr - 1);
    this.n2 = Math.floor((r2max - h2.rMin) / H2 + 1e-9) + 1;
    this.g2 = new Float64Array(this.n2 * nk);
    const re = new Float64Array(nk),
      im = new Float64Array(nk);
    const comps = h2.components;
    for (let b = 0; b < this.n2; b++) {
      const r = Math.min(r2max, h2.rMin + b * H2);
      const red = gamma2Reduced(t, r);
      for (let c = 0; c < comps.length; c++) {
        const yr = red.subarray(2 * c * nkt, (2 * c + 1) * nkt);
        const yi = red.subarray((2 * c + 1) * nkt, (2 * c + 2) * nkt);
        splineApply(plan, yr, splineSecondDerivatives(t.k, yr), re);
        splineApply(plan, yi, splineSecondDerivatives(t.k, yi), im);
        const L = comps[c].lengthFactor * r;
        for (let i = 0; i < nk; i++) {
          const kp = this.kp[i];
          if (!Number.isFinite(kp)) continue;
          this.g2[b * nk + i] += re[i] * Math.sin(kp * L + im[i]); // amplitude · sin(k'L + phase)
        }
      }
    }
    // ---- γ3 basis at k'
    const h3 = t.header.gamma3;
    this.M = h3.m;
    this.basisK = new Float64Array(this.M * nk);
    const tmp = new Float64Array(nk);
    for (let m = 0; m < this.M; m++) {
      const y = t.basis.subarray(m * nkt, (m + 1) * nkt);
      splineApply(plan, y, splineSecondDerivatives(t.k, y), tmp);
      for (let i = 0; i < nk; i++) this.basisK[m * nk + i] = Number.isFinite(this.kp[i]) ? tmp[i] : 0;
    }
    const r3max = h3.rMin + h3.rStep * (h3.nr - 1);
    this.Lmin = Math.floor(3 * h3.rMin) - 1;
    this.nL = Math.ceil((6 * r3max + 1 - this.Lmin) / HL) + 2;
  }
}

const evalCache = new WeakMap<GammaTables, Map<string, Evaluator>>();
const EVAL_CACHE_SIZE = 4;

function keyOf(k: ArrayLike<number>, dE: number): string {
  let h = 0;
  for (let i = 0; i < k.length; i++) h = (h * 31 + Math.round(k[i] * 1e6)) | 0;
  return `${k.length}:${k[0]}:${k[k.length - 1]}:${h}:${dE}`;
}

function evaluator(t: GammaTables, k: ArrayLike<number>, dE: number): Evaluator {
  let m = evalCache.get(t);
  if (!m) evalCache.set(t, (m = new Map()));
  const key = keyOf(k, dE);
  let e = m.get(key);
  if (!e) {
    // A dataset draws a new ΔE for every sample, so entries are rarely reused; each holds a few MB
    // (γ2 on the fine r grid × nk), so keep only the most recent few (insertion order = age).
    while (m.size >= EVAL_CACHE_SIZE) m.delete(m.keys().next().value as string);
    e = new Evaluator(t, k, dE);
    m.set(key, e);
  }
  return e;
}

/** g(r) range looked at for the first shell: past the first minimum of a liquid (≈ 1.4·d1, 3.5 Å for Ni). */
const FIRST_SHELL_RMAX = 5.5;

/**
 * The triplet cutoff of configurations: the first-shell cutoff of their own (frame-averaged) g(r),
 * by the one first-shell rule of src/analysis/firstShell.ts (first minimum; the combined 8 + 6
 * shell of bcc). g(r) on 0.01 Å bins up to 5.5 Å or half the shortest box edge.
 */
export function firstShellCutoff3(frames: readonly Configuration[]): number {
  let half = FIRST_SHELL_RMAX;
  for (const f of frames) half = Math.min(half, maxRdfRange(f.box));
  const acc = new RdfAccumulator({ rmax: Math.floor(half * 100) / 100, dr: 0.01 });
  for (const f of frames) acc.add(f);
  const g = acc.result();
  return firstShell(g.r, g.g, { density: g.density }).cutoff;
}

/**
 * Per-(grid cell, class) histograms over the path length L, each a window of W bins placed
 * around its first deposit, with 8 channels (the cell's trilinear corners). A triplet adds
 * 8 corners × 3 bins of plain weights for each of its 4 classes, contiguously; the γ3
 * coefficients (M complex numbers per node and class) are applied once per occupied bin and
 * corner in `flush`, so the per-triplet cost does not grow with the basis size.
 */
class SlotHistograms {
  static readonly W = 128;
  private slotOf: Int32Array;
  private key: Int32Array = new Int32Array(1024);
  private base: Int32Array = new Int32Array(1024);
  private lo: Int32Array = new Int32Array(1024);
  private hi: Int32Array = new Int32Array(1024);
  private data: Float64Array = new Float64Array(1024 * SlotHistograms.W * 8);
  private n = 0;
  private readonly nodeOff = new Int32Array(8);

  constructor(
    private readonly nr: number,
    private readonly nth: number,
    private readonly ncl: number,
  ) {
    this.slotOf = new Int32Array(nr * nr * nth * ncl).fill(-1);
  }

  /** Offsets into the coefficient array of the 8 corner nodes of cell (i1, i2, it), class cl. */
  private corners(cell: number, cl: number, M: number): Int32Array {
    const it = cell % this.nth;
    const i2 = Math.floor(cell / this.nth) % this.nr;
    const i1 = Math.floor(cell / (this.nth * this.nr));
    for (let c = 0; c < 8; c++) {
      const node = g3Node(this.nr, this.nth, i1 + (c & 1), i2 + ((c >> 1) & 1), it + ((c >> 2) & 1));
      this.nodeOff[c] = (node * this.ncl + cl) * M * 2;
    }
    return this.nodeOff;
  }

  /** Add corner weights w[0..7] × bin weights (b0, b1, b2) at L bins l0, l0+1, l0+2 for (cell, class). */
  add(
    cell: number,
    cl: number,
    l0: number,
    b0: number,
    b1: number,
    b2: number,
    w: Float64Array,
    hist: Float64Array,
    coef: Float32Array,
    M: number,
  ): void {
    const W = SlotHistograms.W;
    const key = cell * this.ncl + cl;
    let s = this.slotOf[key];
    if (s < 0) {
      s = this.n++;
      if (s >= this.key.length) this.grow();
      this.slotOf[key] = s;
      this.key[s] = key;
      this.base[s] = l0 - (W >> 1);
      this.lo[s] = W;
      this.hi[s] = -1;
    }
    const loc = l0 - this.base[s];
    if (loc < 0 || loc + 2 >= W) {
      // outside the window (rare): apply the coefficients directly
      const off = this.corners(cell, cl, M);
      const M2 = 2 * M;
      for (let c = 0; c < 8; c++) {
        if (w[c] === 0) continue;
        for (let j = 0; j < 3; j++) {
          const v = w[c] * (j === 0 ? b0 : j === 1 ? b1 : b2);
          const g = (l0 + j) * M2;
          for (let q = 0; q < M2; q++) hist[g + q] += v * coef[off[c] + q];
        }
      }
      return;
    }
    const d = this.data;
    let o = (s * W + loc) * 8;
    for (let c = 0; c < 8; c++) d[o + c] += w[c] * b0;
    o += 8;
    for (let c = 0; c < 8; c++) d[o + c] += w[c] * b1;
    o += 8;
    for (let c = 0; c < 8; c++) d[o + c] += w[c] * b2;
    if (loc < this.lo[s]) this.lo[s] = loc;
    if (loc + 2 > this.hi[s]) this.hi[s] = loc + 2;
  }

  private grow(): void {
    const cap = this.key.length * 2;
    const g = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.key = g(this.key);
    this.base = g(this.base);
    this.lo = g(this.lo);
    this.hi = g(this.hi);
    const d = new Float64Array(cap * SlotHistograms.W * 8);
    d.set(this.data);
    this.data = d;
  }

  /** Apply each slot's coefficients to the global L histogram and clear the slots. */
  flush(hist: Float64Array, coef: Float32Array, M: number): void {
    const W = SlotHistograms.W;
    const M2 = 2 * M;
    const d = this.data;
    for (let s = 0; s < this.n; s++) {
      const key = this.key[s];
      const off = this.corners(Math.floor(key / this.ncl), key % this.ncl, M);
      for (let l = this.lo[s]; l <= this.hi[s]; l++) {
        const o = (s * W + l) * 8;
        const g = (this.base[s] + l) * M2;
        for (let c = 0; c < 8; c++) {
          const v = d[o + c];
          if (v === 0) continue;
          d[o + c] = 0;
          const cb = off[c];
          for (let q = 0; q < M2; q++) hist[g + q] += v * coef[cb + q];
        }
      }
      this.slotOf[key] = -1;
    }
    this.n = 0;
  }
}

let cellCache: CellList | null = null;
function cellListFor(box: [number, number, number], cutoff: number): CellList {
  const c = cellCache;
  if (c && c.cutoff === cutoff && c.box[0] === box[0] && c.box[1] === box[1] && c.box[2] === box[2]) return c;
  return (cellCache = new CellList(box, cutoff));
}

const slotCache = new WeakMap<GammaTables, SlotHistograms>();
function slotsFor(t: GammaTables): SlotHistograms {
  let s = slotCache.get(t);
  const h = t.header.gamma3;
  if (!s) slotCache.set(t, (s = new SlotHistograms(h.nr, h.theta.length, h.classes.length)));
  return s;
}

/** Scratch buffers reused across calls (single-threaded per worker). */
let scratchH2: Float64Array = new Float64Array(0);
let scratchH3: Float64Array = new Float64Array(0);

/**
 * χ(k) of one configuration or the average over several (frames). Synchronous and
 * allocation-light: safe to call thousands of times in a worker thread.
 */
export function computeChi(
  confs: Configuration | readonly Configuration[],
  tables: GammaTables,
  opts: ChiOptions = {},
): ChiResult {
  const frames = Array.isArray(confs) ? (confs as readonly Configuration[]) : [confs as Configuration];
  if (frames.length === 0) throw new UserError('computeChi: no configurations given');
  const k = opts.kGrid ?? makeKGrid(0, 20, 0.05);
  const dE = opts.dE ?? 0;
  const s02 = opts.s02 ?? 1;
  if (!Number.isFinite(dE)) throw new UserError(`dE: expected a finite number of eV, got ${dE}`);
  if (!(s02 > 0)) throw new UserError(`s02: expected a positive number, got ${s02}`);
  const ev = evaluator(tables, k, dE);
  const h2 = tables.header.gamma2;
  const h3 = tables.header.gamma3;
  const r2tabMax = h2.rMin + h2.rStep * (h2.nr - 1);
  const rmax2 = opts.rmax2 ?? Math.min(6.0, r2tabMax);
  if (rmax2 > r2tabMax + 1e-9)
    throw new UserError(
      `rmax2 = ${rmax2} Å exceeds the γ2 table's range (up to ${r2tabMax.toFixed(3)} Å) in ${tables.path ?? 'the tables'}`,
    );
  const r3min = h3.rMin;
  const r3max = h3.rMin + h3.rStep * (h3.nr - 1);
  const threeBody = opts.threeBody ?? true;
  for (const conf of frames) {
    if (!conf || !(conf.n > 0)) throw new UserError('computeChi: a configuration has no atoms');
    checkBoxForCutoff(conf.box, rmax2, 'γ2 cutoff rmax2');
  }
  let cutoff3 = opts.cutoff3 ?? (threeBody ? firstShellCutoff3(frames) : NaN);
  let cutoff3Clamped = false;
  if (cutoff3 > r3max + 1e-9 && (opts.clampCutoff3 ?? opts.cutoff3 === undefined)) {
    cutoff3 = r3max;
    cutoff3Clamped = true;
  }
  if (cutoff3 > r3max + 1e-9)
    throw new UserError(
      `first-shell cutoff ${cutoff3} Å exceeds the γ3 table's range (up to ${r3max.toFixed(3)} Å) in ${tables.path ?? 'the tables'}` +
        (opts.cutoff3 === undefined
          ? " (the cutoff is the first minimum of the configuration's g(r); give cutoff3 explicitly)"
          : ''),
    );
  const nk = ev.nk;
  const M = ev.M;
  const ncl = h3.classes.length;
  const nr3 = h3.nr;
  const theta = h3.theta;
  const nth = theta.length;
  const coef = tables.coef;

  if (scratchH2.length < ev.n2) scratchH2 = new Float64Array(ev.n2);
  const hist2 = scratchH2.subarray(0, ev.n2);
  hist2.fill(0);
  const nL = ev.nL;
  if (scratchH3.length < nL * M * 2) scratchH3 = new Float64Array(nL * M * 2);
  const hist3 = scratchH3.subarray(0, nL * M * 2);
  hist3.fill(0);
  let lUsedMin = nL,
    lUsedMax = -1;

  let absorbers = 0;
  let nPairs = 0;
  let nTrip = 0;
  const Ls = new Float64Array(4);
  const lb = new Int32Array(4);
  const lw = new Float64Array(12);
  const slots = slotsFor(tables);
  const cw = new Float64Array(8);
  for (const conf of frames) {
    if (!conf || !(conf.n > 0)) throw new UserError('computeChi: a configuration has no atoms');
    absorbers += conf.n;
    checkBoxForCutoff(conf.box, rmax2, 'γ2 cutoff rmax2');
    // ---- pairs (cell list, no pair list stored)
    const cl2 = cellListFor(conf.box, rmax2);
    cl2.bin(conf.positions, conf.n);
    let tooClose = -1,
      tooCloseJ = -1,
      tooCloseR = 0;
    let np = 0;
    const r2min = h2.rMin;
    const n2 = ev.n2;
    cl2.forEachPair(conf.positions, (i, j, _dx, _dy, _dz, rsq) => {
      const r = Math.sqrt(rsq);
      const x = (r - r2min) / H2;
      np++;
      if (x < 0) {
        if (tooClose < 0) {
          tooClose = i;
          tooCloseJ = j;
          tooCloseR = r;
        }
        return;
      }
      let b = Math.floor(x);
      if (b >= n2 - 1) b = n2 - 2;
      const f = x - b;
      hist2[b] += 2 * (1 - f); // both atoms are absorbers
      hist2[b + 1] += 2 * f;
    });
    if (tooClose >= 0) {
      throw new UserError(
        `atoms ${tooClose} and ${tooCloseJ} are ${tooCloseR.toFixed(4)} Å apart, below the γ2 table's range (${h2.rMin}–${r2tabMax.toFixed(2)} Å) in ${tables.path ?? 'the tables'}`,
      );
    }
    nPairs += np;
    if (!threeBody) continue;
    // ---- triplets
    const nl = buildNeighbourList(conf, cutoff3, { half: false });
    const { start, index, dx, dy, dz, r: rn } = nl;
    for (let i = 0; i < conf.n; i++) {
      const s0 = start[i],
        s1 = start[i + 1];
      for (let a = s0; a < s1; a++) {
        const ra = rn[a];
        const ja = index[a];
        for (let b = a + 1; b < s1; b++) {
          const rb = rn[b];
          const jb = index[b];
          const ex = dx[b] - dx[a],
            ey = dy[b] - dy[a],
            ez = dz[b] - dz[a];
          const rc = Math.sqrt(ex * ex + ey * ey + ez * ez);
          // the vertex of a triplet is the one opposite its longest side; ties go to the lowest index
          const lmax = ra > rb ? ra : rb;
          if (rc < lmax - 1e-9) continue;
          if (rc - ra <= 1e-9 && jb < i) continue; // side opposite jb (i–ja) ties the longest
          if (rc - rb <= 1e-9 && ja < i) continue; // side opposite ja (i–jb) ties the longest
          let r1 = ra,
            r2 = rb;
          if (r1 > r2) {
            r1 = rb;
            r2 = ra;
          }
          if (r1 < r3min - 1e-9) {
            throw new UserError(
              `atoms ${i} and ${ra < rb ? ja : jb} are ${r1.toFixed(4)} Å apart, below the γ3 table's range (${r3min}–${r3max.toFixed(2)} Å) in ${tables.path ?? 'the tables'}`,
            );
          }
          let cth = (dx[a] * dx[b] + dy[a] * dy[b] + dz[a] * dz[b]) / (ra * rb);
          if (cth > 1) cth = 1;
          else if (cth < -1) cth = -1;
          const th = (Math.acos(cth) * 180) / Math.PI;
          nTrip++;
          // trilinear weights on the (r1, r2, θ) grid
          let x1 = (r1 - r3min) / h3.rStep,
            x2 = (r2 - r3min) / h3.rStep;
          if (x1 < 0) x1 = 0;
          if (x2 > nr3 - 1) x2 = nr3 - 1;
          let i1 = Math.floor(x1),
            i2 = Math.floor(x2);
          if (i1 > nr3 - 2) i1 = nr3 - 2;
          if (i2 > nr3 - 2) i2 = nr3 - 2;
          const f1 = x1 - i1,
            f2 = x2 - i2;
          let it = 0,
            ft = 0;
          if (th >= theta[nth - 1]) {
            it = nth - 2;
            ft = 1;
          } else if (th > theta[0]) {
            let lo = 0,
              hi = nth - 1;
            while (hi - lo > 1) {
              const mid = (lo + hi) >> 1;
              if (theta[mid] <= th) lo = mid;
              else hi = mid;
            }
            it = lo;
            ft = (th - theta[lo]) / (theta[lo + 1] - theta[lo]);
          }
          // path lengths of the classes: sides a = r1, b = r2, c = rc
          Ls[0] = r1 + r2 + rc;
          Ls[1] = 2 * (r1 + r2);
          Ls[2] = 2 * (r1 + rc);
          Ls[3] = 2 * (r2 + rc);
          for (let cl = 0; cl < ncl; cl++) {
            // quadratic B-spline deposit over bins j−1, j, j+1 (j the nearest bin)
            const xl = (Ls[cl] - ev.Lmin) / HL;
            const j = Math.round(xl);
            const d = xl - j;
            lb[cl] = j - 1;
            lw[3 * cl] = 0.5 * (0.5 - d) * (0.5 - d);
            lw[3 * cl + 1] = 0.75 - d * d;
            lw[3 * cl + 2] = 0.5 * (0.5 + d) * (0.5 + d);
            if (j - 1 < lUsedMin) lUsedMin = j - 1;
            if (j + 1 > lUsedMax) lUsedMax = j + 1;
          }
          for (let c = 0; c < 8; c++) {
            cw[c] = (c & 1 ? f1 : 1 - f1) * ((c >> 1) & 1 ? f2 : 1 - f2) * ((c >> 2) & 1 ? ft : 1 - ft);
          }
          const cell = (i1 * nr3 + i2) * nth + it;
          for (let cl = 0; cl < ncl; cl++)
            slots.add(cell, cl, lb[cl], lw[3 * cl], lw[3 * cl + 1], lw[3 * cl + 2], cw, hist3, coef, M);
        }
      }
    }
  }
  slots.flush(hist3, coef, M);
  const norm = s02 / absorbers;
  // ---- contract
  const chi2 = new Float64Array(nk);
  const g2 = ev.g2;
  for (let b = 0; b < ev.n2; b++) {
    const hb = hist2[b];
    if (hb === 0) continue;
    const row = b * nk;
    for (let i = 0; i < nk; i++) chi2[i] += hb * g2[row + i];
  }
  for (let i = 0; i < nk; i++) chi2[i] *= norm;
  const chi3 = new Float64Array(nk);
  if (threeBody && lUsedMax >= lUsedMin) {
    const accR = new Float64Array(M),
      accI = new Float64Array(M);
    for (let i = 0; i < nk; i++) {
      const kp = ev.kp[i];
      if (!Number.isFinite(kp)) continue;
      accR.fill(0);
      accI.fill(0);
      const L0 = ev.Lmin + lUsedMin * HL;
      let c = Math.cos(kp * L0),
        s = Math.sin(kp * L0);
      const dc = Math.cos(kp * HL),
        ds = Math.sin(kp * HL);
      for (let l = lUsedMin; l <= lUsedMax; l++) {
        const o = l * M * 2;
        for (let m = 0; m < M; m++) {
          const hr = hist3[o + 2 * m],
            hi = hist3[o + 2 * m + 1];
          // (hr + i hi)(c + i s)
          accR[m] += hr * c - hi * s;
          accI[m] += hr * s + hi * c;
        }
        const c2 = c * dc - s * ds;
        s = s * dc + c * ds;
        c = c2;
      }
      let sum = 0;
      for (let m = 0; m < M; m++) sum += ev.basisK[m * nk + i] * accI[m];
      // undo the quadratic B-spline kernel's transform sinc³(k'h/2)
      const x = 0.5 * kp * HL;
      const sinc = x > 1e-8 ? Math.sin(x) / x : 1;
      chi3[i] = (sum * norm) / (sinc * sinc * sinc);
    }
  }
  const chi = new Float64Array(nk);
  for (let i = 0; i < nk; i++) chi[i] = chi2[i] + chi3[i];
  return {
    k: Float64Array.from(ev.k),
    chi,
    chi2,
    chi3,
    absorbers,
    frames: frames.length,
    pairsPerFrame: nPairs / frames.length,
    tripletsPerFrame: nTrip / frames.length,
    rmax2,
    cutoff3,
    cutoff3_clamped: cutoff3Clamped,
  };
}
