/**
 * Structure fingerprint per atom and per configuration: fcc / hcp / bcc / cubic diamond / other.
 *
 * fcc, hcp, bcc: adaptive common-neighbour analysis (a-CNA; Stukowski, Modelling Simul. Mater. Sci.
 * Eng. 20, 045021 (2012); CNA of Honeycutt & Andersen, J. Phys. Chem. 91, 4950 (1987)).
 *  - 12 nearest neighbours, local cutoff rc = (1+√2)/2 · mean distance of the 12. Each
 *    central–neighbour bond gets the signature (common neighbours, bonds among them, longest
 *    chain of those bonds): fcc = 12 × (4,2,1); hcp = 6 × (4,2,1) + 6 × (4,2,2).
 *  - 14 nearest neighbours, rc = (1+√2)/2 · ½(2/√3 · mean of the 8 nearest + mean of the next 6):
 *    bcc = 8 × (6,6,6) + 6 × (4,4,4).
 * cubic diamond: the identify-diamond-structure method (Maras, Trushin, Stukowski, Ala-Nissila &
 * Jónsson, Comput. Phys. Commun. 205, 13 (2016)): the 4 nearest neighbours of the atom, each
 * of whom must count the atom among its own 4 nearest, give 3 second neighbours apiece; those 12
 * form an fcc-like cuboctahedron, tested with the 12-neighbour a-CNA above (all 12 × (4,2,1)).
 * Hexagonal diamond (6 × 421 + 6 × 422 there) is reported as "other".
 *
 * Neighbour candidates come from one cell-list search with cutoff 1.6·ρ^(−1/3) (clamped to half
 * the box): ≥ 14 neighbours for every ideal or thermally displaced lattice of the five types.
 */
import type { Configuration } from '../structure/index.js';
import { buildNeighbourList, density } from '../structure/index.js';

export const STRUCTURE_TYPES = ['other', 'fcc', 'hcp', 'bcc', 'diamond'] as const;
export type StructureType = (typeof STRUCTURE_TYPES)[number];
export const OTHER = 0,
  FCC = 1,
  HCP = 2,
  BCC = 3,
  DIAMOND = 4;

export interface StructureFractions {
  fcc: number;
  hcp: number;
  bcc: number;
  diamond: number;
  other: number;
}

export interface Fingerprint {
  /** class of each atom: 0 other, 1 fcc, 2 hcp, 3 bcc, 4 diamond (see STRUCTURE_TYPES) */
  perAtom: Uint8Array;
  /** fraction of atoms in each class (sums to 1) */
  fractions: StructureFractions;
  /**
   * the phase of the configuration: the most frequent crystalline class when at least
   * CRYSTAL_MIN_FRACTION of the atoms are crystalline, otherwise "other" (liquid, amorphous).
   * Thermal disorder moves atoms to "other" long before melting (EAM fcc Ni at ≈ 1450 K: 37.5 % fcc,
   * 62 % other; the liquid at 2000 K: 0 % crystalline), so "other" is not simply the largest class.
   */
  dominant: StructureType;
}

/** Least crystalline fraction for a configuration to count as a crystal (see Fingerprint.dominant). */
export const CRYSTAL_MIN_FRACTION = 0.15;

const K = 14;
const F = (1 + Math.SQRT2) / 2;

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Scratch buffers reused across atoms (no allocation in the per-atom loop). */
class Scratch {
  vx = new Float64Array(16);
  vy = new Float64Array(16);
  vz = new Float64Array(16);
  mask = new Int32Array(16);
  /** signature tallies of the last cna() call */
  n421 = 0;
  n422 = 0;
  n444 = 0;
  n666 = 0;
}

/** Longest chain: the number of bonds in the largest connected cluster of bonds among `cm`. */
function maxChain(mask: Int32Array, cm: number): number {
  let left = cm;
  let best = 0;
  while (left !== 0) {
    const seed = left & -left;
    let comp = seed;
    for (;;) {
      let grow = comp;
      let bits = comp;
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        grow |= mask[b] & cm;
        bits &= bits - 1;
      }
      if (grow === comp) break;
      comp = grow;
    }
    left &= ~comp;
    let bonds = 0;
    let bits = comp;
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits);
      bonds += popcount(mask[b] & cm);
      bits &= bits - 1;
    }
    bonds >>= 1;
    if (bonds > best) best = bonds;
  }
  return best;
}

/** CNA on the first m vectors of the scratch with squared local cutoff rc2; tallies signatures. */
function cna(s: Scratch, m: number, rc2: number): void {
  const { vx, vy, vz, mask } = s;
  for (let a = 0; a < m; a++) mask[a] = 0;
  for (let a = 0; a < m; a++)
    for (let b = a + 1; b < m; b++) {
      const dx = vx[a] - vx[b],
        dy = vy[a] - vy[b],
        dz = vz[a] - vz[b];
      if (dx * dx + dy * dy + dz * dz < rc2) {
        mask[a] |= 1 << b;
        mask[b] |= 1 << a;
      }
    }
  s.n421 = s.n422 = s.n444 = s.n666 = 0;
  for (let j = 0; j < m; j++) {
    const cm = mask[j];
    const ncn = popcount(cm);
    if (ncn !== 4 && ncn !== 6) return;
    let nb = 0;
    let bits = cm;
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits);
      nb += popcount(mask[b] & cm);
      bits &= bits - 1;
    }
    nb >>= 1;
    if (ncn === 4 && nb === 2) {
      const ch = maxChain(mask, cm);
      if (ch === 1) s.n421++;
      else if (ch === 2) s.n422++;
      else return;
    } else if (ncn === 4 && nb === 4) {
      if (maxChain(mask, cm) === 4) s.n444++;
      else return;
    } else if (ncn === 6 && nb === 6) {
      if (maxChain(mask, cm) === 6) s.n666++;
      else return;
    } else return;
  }
}

/**
 * Classify every atom of a configuration; the per-configuration fingerprint is the fraction of
 * atoms in each class.
 */
export function fingerprint(conf: Configuration): Fingerprint {
  const n = conf.n;
  const perAtom = new Uint8Array(n);
  if (n === 0)
    return { perAtom, fractions: { fcc: 0, hcp: 0, bcc: 0, diamond: 0, other: 1 }, dominant: 'other' };
  const half = Math.min(conf.box[0], conf.box[1], conf.box[2]) / 2;
  const rc = Math.min(1.6 * Math.cbrt(1 / density(conf)), half * (1 - 1e-9));
  const nl = buildNeighbourList(conf, rc);
  const { start, index, dx, dy, dz, r } = nl;

  // K nearest neighbours of each atom, sorted by distance (positions in the CSR arrays)
  const nn = new Int32Array(n * K);
  const nnCount = new Uint8Array(n);
  let maxDeg = 0;
  for (let i = 0; i < n; i++) maxDeg = Math.max(maxDeg, start[i + 1] - start[i]);
  const tmp = new Int32Array(Math.max(1, maxDeg));
  for (let i = 0; i < n; i++) {
    const s = start[i],
      e = start[i + 1];
    const deg = e - s;
    // insertion sort of the CSR positions by distance, keeping only the K nearest
    let m = 0;
    for (let p = s; p < e; p++) {
      const rp = r[p];
      if (m === K && rp >= r[tmp[K - 1]]) continue;
      let q = m < K ? m++ : K - 1;
      while (q > 0 && r[tmp[q - 1]] > rp) {
        tmp[q] = tmp[q - 1];
        q--;
      }
      tmp[q] = p;
    }
    const c = Math.min(deg, K);
    nnCount[i] = c;
    for (let k = 0; k < c; k++) nn[i * K + k] = tmp[k];
  }

  const sc = new Scratch();
  const { vx, vy, vz } = sc;
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const c = nnCount[i];
    const base = i * K;
    let cls = OTHER;
    // fcc / hcp from the 12 nearest
    if (c >= 12) {
      let sum = 0;
      for (let k = 0; k < 12; k++) {
        const p = nn[base + k];
        vx[k] = dx[p];
        vy[k] = dy[p];
        vz[k] = dz[p];
        sum += r[p];
      }
      const rloc = (F * sum) / 12;
      cna(sc, 12, rloc * rloc);
      if (sc.n421 === 12) cls = FCC;
      else if (sc.n421 === 6 && sc.n422 === 6) cls = HCP;
    }
    // bcc from the 14 nearest
    if (cls === OTHER && c >= 14) {
      let s8 = 0,
        s6 = 0;
      for (let k = 0; k < 14; k++) {
        const p = nn[base + k];
        vx[k] = dx[p];
        vy[k] = dy[p];
        vz[k] = dz[p];
        if (k < 8) s8 += r[p];
        else s6 += r[p];
      }
      const rloc = F * 0.5 * ((2 / Math.sqrt(3)) * (s8 / 8) + s6 / 6);
      cna(sc, 14, rloc * rloc);
      if (sc.n666 === 8 && sc.n444 === 6) cls = BCC;
    }
    // cubic diamond from the second neighbours through the 4 nearest
    if (cls === OTHER && c >= 4) {
      let m = 0;
      let ok = true;
      let sum = 0;
      for (let a = 0; a < 4 && ok; a++) {
        const p = nn[base + a];
        const j = index[p];
        const cj = nnCount[j];
        if (cj < 4) {
          ok = false;
          break;
        }
        let found = false;
        for (let b = 0; b < 4; b++) {
          const q = nn[j * K + b];
          if (index[q] === i) {
            found = true;
            continue;
          }
          if (m >= 12) {
            ok = false;
            break;
          }
          vx[m] = dx[p] + dx[q];
          vy[m] = dy[p] + dy[q];
          vz[m] = dz[p] + dz[q];
          sum += Math.sqrt(vx[m] * vx[m] + vy[m] * vy[m] + vz[m] * vz[m]);
          m++;
        }
        if (!found) ok = false;
      }
      if (ok && m === 12) {
        const rloc = (F * sum) / 12;
        cna(sc, 12, rloc * rloc);
        if (sc.n421 === 12) cls = DIAMOND;
      }
    }
    perAtom[i] = cls;
    counts[cls]++;
  }
  const fractions: StructureFractions = {
    other: counts[OTHER] / n,
    fcc: counts[FCC] / n,
    hcp: counts[HCP] / n,
    bcc: counts[BCC] / n,
    diamond: counts[DIAMOND] / n,
  };
  return { perAtom, fractions, dominant: dominantPhase(fractions) };
}

/** Phase from class fractions: the largest crystalline class if crystals make up ≥ CRYSTAL_MIN_FRACTION, else "other". */
export function dominantPhase(f: StructureFractions, minCrystalline = CRYSTAL_MIN_FRACTION): StructureType {
  let best: StructureType = 'fcc';
  for (const t of ['hcp', 'bcc', 'diamond'] as const) if (f[t] > f[best]) best = t;
  return f.fcc + f.hcp + f.bcc + f.diamond >= minCrystalline && f[best] > 0 ? best : 'other';
}

/** Average of per-configuration fractions (for a trajectory). */
export class FingerprintAccumulator {
  private sum = { fcc: 0, hcp: 0, bcc: 0, diamond: 0, other: 0 };
  frames = 0;

  add(conf: Configuration): Fingerprint {
    const f = fingerprint(conf);
    for (const k of Object.keys(this.sum) as (keyof StructureFractions)[]) this.sum[k] += f.fractions[k];
    this.frames++;
    return f;
  }

  result(): StructureFractions {
    const d = Math.max(1, this.frames);
    return {
      fcc: this.sum.fcc / d,
      hcp: this.sum.hcp / d,
      bcc: this.sum.bcc / d,
      diamond: this.sum.diamond / d,
      other: this.sum.other / d,
    };
  }
}
