/**
 * γ tables: file format, loading and point evaluation.
 *
 * File (binary, little endian): 8 bytes magic "EXNNGAM1", uint32 header length, UTF-8 JSON
 * header, zero padding to a multiple of 4, then the float32 body. The header names element,
 * edge, FEFF version and settings, the grids, the layout of the body and its SHA-256.
 *
 * Both tables hold complex *reduced amplitudes* C(k) on FEFF's own k grid, with the fast phase
 * removed:  χ(k) = Im{ C(k) · e^(ik·L) }  for a component whose total path length is L.
 *  γ2(r, k)        = Σ_c A_c(r, k)·sin(k·f_c·r + Φ_c(r, k)),  components ss (f = 2) and ms4 (f = 4)
 *                    (C2 = A·e^(iΦ); amplitude and phase are stored, exactly as FEFF/Larch interpolate a path).
 *  γ3(r1, r2, θ, k) = Σ_classes Im{ C3_cl(r1, r2, θ, k) e^(ik·L_cl) },  L_cl from paths.ts.
 * C3 is stored compressed: C3_cl(node, k) = Σ_m U[node, cl, m] · v_m(k), with a real basis v_m
 * (weighted PCA over all nodes and classes) and complex coefficients U.
 * Interpolation: γ2 cubic (Catmull-Rom) in r; γ3 trilinear in (r1, r2, θ); cubic spline in k.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError, FileFormatError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { packageRoot } from '../util/packagePaths.js';
import { splineInterp } from './spline.js';
import { classLengths } from './paths.js';

import { TABLE_MAGIC, TABLE_FORMAT_VERSION, splitTableFile, tablesFromBody } from './tableFormat.js';
export { TABLE_MAGIC, TABLE_FORMAT_VERSION, splitTableFile, tablesFromBody };

export interface TableHeader {
  format: 'exafsnn-gamma-tables';
  version: number;
  element: string;
  edge: string;
  created: string;
  builder: string;
  feff: { version: string; package: string | null; settings: Record<string, unknown>; potentials: string };
  /** FEFF's k grid (Å⁻¹) on which all C(k) are stored */
  k: number[];
  gamma2: {
    rMin: number;
    rStep: number;
    nr: number;
    components: { name: string; lengthFactor: number }[];
    /** float32 offset and count in the body; layout [ir][component][amplitude|phase][k]:
     *  χ = A(k)·sin(k·L + Φ(k)), Φ unwrapped in k and continuous in r */
    offset: number;
    count: number;
  };
  gamma3: {
    rMin: number;
    rStep: number;
    nr: number;
    theta: number[];
    classes: string[];
    /** nodes = nr(nr+1)/2 (r1 ≤ r2 index pairs) × nθ */
    nodes: number;
    m: number;
    /** basis v_m(k): layout [m][k] */
    basisOffset: number;
    /** coefficients: layout [node][class][m][re|im] */
    coefOffset: number;
    count: number;
    /** relative RMS residual of the compression (k-weighted, each (node, class) normalised to unit norm) */
    pcaResidual: number;
    /** largest first-shell cutoff (Å) the γ3 grid supports (its upper end) */
    firstShellCutoff: number;
    /** nearest-neighbour distance d1 of the reference solid the grid was scaled to (Å); absent in files before Dec 2026 */
    nearestNeighbour?: number;
  };
  checksum: { algorithm: 'sha256'; body: string };
  notes?: string[];
  accuracy?: Record<string, unknown>;
}

export interface GammaTables {
  header: TableHeader;
  element: string;
  edge: string;
  /** where it was read from (or null when built in memory) */
  path: string | null;
  k: Float64Array;
  g2: Float32Array;
  basis: Float32Array;
  coef: Float32Array;
}

export function tableFileName(element: string, edge: string): string {
  return `${element}-${edge}.gamma`;
}

/** The package root: src/util/packagePaths.ts (re-exported for older imports). */
export { packageRoot };

/** Folders searched for tables: $EXAFSNN_TABLES, then <package>/data/tables. */
export function tableDirs(): string[] {
  const d: string[] = [];
  if (process.env.EXAFSNN_TABLES) d.push(resolve(process.env.EXAFSNN_TABLES));
  d.push(join(packageRoot(), 'data', 'tables'));
  return d;
}

export function serializeTables(
  t: Omit<GammaTables, 'path' | 'header'> & { header: Omit<TableHeader, 'checksum'> },
): Uint8Array {
  const body = new Float32Array(t.g2.length + t.basis.length + t.coef.length);
  body.set(t.g2, 0);
  body.set(t.basis, t.g2.length);
  body.set(t.coef, t.g2.length + t.basis.length);
  const bodyBytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const header: TableHeader = {
    ...t.header,
    gamma2: { ...t.header.gamma2, offset: 0, count: t.g2.length },
    gamma3: {
      ...t.header.gamma3,
      basisOffset: t.g2.length,
      coefOffset: t.g2.length + t.basis.length,
      count: t.basis.length + t.coef.length,
    },
    checksum: { algorithm: 'sha256', body: createHash('sha256').update(bodyBytes).digest('hex') },
  };
  const hj = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((12 + hj.length) % 4)) % 4;
  const out = new Uint8Array(12 + hj.length + pad + bodyBytes.length);
  out.set(Buffer.from(TABLE_MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, hj.length + pad, true);
  out.set(hj, 12);
  out.fill(0x20, 12 + hj.length, 12 + hj.length + pad);
  out.set(bodyBytes, 12 + hj.length + pad);
  return out;
}

export function writeTables(
  path: string,
  t: Omit<GammaTables, 'path' | 'header'> & { header: Omit<TableHeader, 'checksum'> },
): void {
  writeFileAtomic(path, serializeTables(t));
}

export function parseTables(buf: Uint8Array, file: string): GammaTables {
  const { header, bodyBytes } = splitTableFile(buf, file);
  const sum = createHash('sha256').update(bodyBytes).digest('hex');
  if (sum !== header.checksum?.body)
    throw new FileFormatError(
      file,
      null,
      `checksum mismatch (file damaged or truncated): header says ${header.checksum?.body}, body is ${sum}`,
    );
  const copy = new Uint8Array(bodyBytes.length);
  copy.set(bodyBytes);
  return tablesFromBody(header, new Float32Array(copy.buffer), file);
}

export function readTables(file: string): GammaTables {
  if (!existsSync(file)) throw new UserError(`γ table file not found: ${file}`);
  return parseTables(new Uint8Array(readFileSync(file)), file);
}

const cache = new Map<string, GammaTables>();

/**
 * The shipped (or user-built) tables for an element and edge, from $EXAFSNN_TABLES or
 * <package>/data/tables (independent of the working directory). Cached per process.
 */
export function loadTables(element: string, edge = 'K'): GammaTables {
  const el = String(element);
  const ed = String(edge).toUpperCase();
  const dirs = tableDirs();
  for (const d of dirs) {
    for (const name of [
      tableFileName(el, ed),
      tableFileName(el.charAt(0).toUpperCase() + el.slice(1).toLowerCase(), ed),
    ]) {
      const p = join(d, name);
      if (existsSync(p)) {
        const hit = cache.get(p);
        if (hit) return hit;
        const t = readTables(p);
        cache.set(p, t);
        return t;
      }
    }
  }
  throw new UserError(
    `no γ tables for ${el} ${ed} edge (looked for ${tableFileName(el, ed)} in ${dirs.join(', ')}); ` +
      `build them with "exafsnn tables build --element ${el} --edge ${ed}" (needs FEFF 8.5: apt-get install feff85exafs)`,
  );
}

// ---------------------------------------------------------------------------------------------
// point evaluation (tests, diagnostics; the fast path is in src/exafs)

/** Catmull-Rom weights for fractional position t in [0,1) between nodes 1 and 2 of 4. */
export function catmullRom(t: number, w: Float64Array): void {
  const t2 = t * t,
    t3 = t2 * t;
  w[0] = -0.5 * t3 + t2 - 0.5 * t;
  w[1] = 1.5 * t3 - 2.5 * t2 + 1;
  w[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
  w[3] = 0.5 * t3 - 0.5 * t2;
}

/** γ2 amplitude and phase at r (Catmull-Rom in r) on FEFF's k grid: [component][amp|phase][k]. */
export function gamma2Reduced(t: GammaTables, r: number): Float64Array {
  const h = t.header.gamma2;
  const nk = t.k.length;
  const nc = h.components.length;
  const x = (r - h.rMin) / h.rStep;
  if (!(x >= -1e-9 && x <= h.nr - 1 + 1e-9)) {
    throw new UserError(
      `distance ${r.toFixed(4)} Å is outside the γ2 table range ${h.rMin}–${(h.rMin + h.rStep * (h.nr - 1)).toFixed(3)} Å of ${t.path ?? 'the tables'}`,
    );
  }
  let i = Math.floor(x);
  if (i > h.nr - 2) i = h.nr - 2;
  const w = new Float64Array(4);
  catmullRom(x - i, w);
  const out = new Float64Array(nc * 2 * nk);
  const stride = nc * 2 * nk;
  for (let q = 0; q < 4; q++) {
    const j = i - 1 + q;
    const wq = w[q];
    if (j < 0 || j >= h.nr) {
      // missing end node: linear extrapolation f(−1) = 2f(0) − f(1) (and likewise at the top)
      const e = j < 0 ? 0 : h.nr - 1;
      const e2 = j < 0 ? 1 : h.nr - 2;
      for (let s = 0; s < stride; s++) out[s] += wq * (2 * t.g2[e * stride + s] - t.g2[e2 * stride + s]);
      continue;
    }
    for (let s = 0; s < stride; s++) out[s] += wq * t.g2[j * stride + s];
  }
  return out;
}

/** γ2(r, k) on any k grid (S0² = 1, no ΔE). */
export function gamma2At(t: GammaTables, r: number, kOut: ArrayLike<number>): Float64Array {
  const nk = t.k.length;
  const red = gamma2Reduced(t, r);
  const out = new Float64Array(kOut.length);
  t.header.gamma2.components.forEach((c, ci) => {
    const amp = splineInterp(t.k, red.subarray(2 * ci * nk, (2 * ci + 1) * nk), kOut);
    const pha = splineInterp(t.k, red.subarray((2 * ci + 1) * nk, (2 * ci + 2) * nk), kOut);
    const L = c.lengthFactor * r;
    for (let i = 0; i < kOut.length; i++) out[i] += amp[i] * Math.sin(kOut[i] * L + pha[i]);
  });
  return out;
}

/** Index of the node (i1 ≤ i2 r indices, θ index it). */
export function g3Node(nr: number, nth: number, i1: number, i2: number, it: number): number {
  if (i1 > i2) {
    const s = i1;
    i1 = i2;
    i2 = s;
  }
  return (i1 * nr - (i1 * (i1 - 1)) / 2 + (i2 - i1)) * nth + it;
}

/** Locate θ (degrees) in the θ grid: lower index and fraction. */
export function thetaCell(theta: ArrayLike<number>, th: number): [number, number] {
  const n = theta.length;
  let lo = 0,
    hi = n - 1;
  if (th <= theta[0]) return [0, 0];
  if (th >= theta[n - 1]) return [n - 2, 1];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (theta[mid] <= th) lo = mid;
    else hi = mid;
  }
  return [lo, (th - theta[lo]) / (theta[lo + 1] - theta[lo])];
}

/** γ3 reduced amplitudes (trilinear) on FEFF's k grid: [class][re|im][k]. */
export function gamma3Reduced(t: GammaTables, r1: number, r2: number, thetaDeg: number): Float64Array {
  const h = t.header.gamma3;
  const nk = t.k.length;
  const ncl = h.classes.length;
  const M = h.m;
  if (r1 > r2) {
    const s = r1;
    r1 = r2;
    r2 = s;
  }
  const rMax = h.rMin + h.rStep * (h.nr - 1);
  for (const r of [r1, r2]) {
    if (!(r >= h.rMin - 1e-9 && r <= rMax + 1e-9))
      throw new UserError(
        `first-shell distance ${r.toFixed(4)} Å is outside the γ3 table range ${h.rMin}–${rMax.toFixed(3)} Å of ${t.path ?? 'the tables'}`,
      );
  }
  const x1 = Math.min(h.nr - 1 - 1e-12, Math.max(0, (r1 - h.rMin) / h.rStep));
  const x2 = Math.min(h.nr - 1 - 1e-12, Math.max(0, (r2 - h.rMin) / h.rStep));
  const i1 = Math.min(h.nr - 2, Math.floor(x1)),
    i2 = Math.min(h.nr - 2, Math.floor(x2));
  const f1 = x1 - i1,
    f2 = x2 - i2;
  const [it, ft] = thetaCell(h.theta, thetaDeg);
  const u = new Float64Array(ncl * M * 2);
  for (let c = 0; c < 8; c++) {
    const a = c & 1,
      b = (c >> 1) & 1,
      d = (c >> 2) & 1;
    const w = (a ? f1 : 1 - f1) * (b ? f2 : 1 - f2) * (d ? ft : 1 - ft);
    if (w === 0) continue;
    const node = g3Node(h.nr, h.theta.length, i1 + a, i2 + b, it + d);
    const base = node * ncl * M * 2;
    for (let s = 0; s < ncl * M * 2; s++) u[s] += w * t.coef[base + s];
  }
  const out = new Float64Array(ncl * 2 * nk);
  for (let cl = 0; cl < ncl; cl++)
    for (let m = 0; m < M; m++) {
      const ur = u[(cl * M + m) * 2],
        ui = u[(cl * M + m) * 2 + 1];
      for (let k = 0; k < nk; k++) {
        const v = t.basis[m * nk + k];
        out[2 * cl * nk + k] += ur * v;
        out[(2 * cl + 1) * nk + k] += ui * v;
      }
    }
  return out;
}

/** γ3(r1, r2, θ, k) on any k grid (S0² = 1, no ΔE). */
export function gamma3At(
  t: GammaTables,
  r1: number,
  r2: number,
  thetaDeg: number,
  kOut: ArrayLike<number>,
): Float64Array {
  const nk = t.k.length;
  const red = gamma3Reduced(t, r1, r2, thetaDeg);
  const L = classLengths(
    r1,
    r2,
    Math.sqrt(Math.max(0, r1 * r1 + r2 * r2 - 2 * r1 * r2 * Math.cos((thetaDeg * Math.PI) / 180))),
  );
  const out = new Float64Array(kOut.length);
  for (let cl = 0; cl < t.header.gamma3.classes.length; cl++) {
    const re = splineInterp(t.k, red.subarray(2 * cl * nk, (2 * cl + 1) * nk), kOut);
    const im = splineInterp(t.k, red.subarray((2 * cl + 1) * nk, (2 * cl + 2) * nk), kOut);
    for (let i = 0; i < kOut.length; i++) {
      const ph = kOut[i] * L[cl];
      out[i] += re[i] * Math.sin(ph) + im[i] * Math.cos(ph);
    }
  }
  return out;
}
