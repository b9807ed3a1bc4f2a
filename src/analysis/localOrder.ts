/**
 * Local order at one fixed first-shell cutoff: Honeycutt–Andersen pair signatures and conventional
 * per-atom common-neighbour analysis (CNA), icosahedral order included.
 *
 * Every pair (i, j) closer than the cutoff rc gets the signature of Honeycutt & Andersen
 * (J. Phys. Chem. 91, 4950 (1987)): the number of common neighbours of i and j (within rc of
 * both), the number of bonds (pairs closer than rc) among them, and the longest chain of those
 * bonds. With so few bonds the chain follows from the largest number of bonds any one common
 * neighbour has (as LAMMPS `compute cna/atom` computes it):
 *   1421: 4 common, 2 bonds, none sharing an atom      (fcc: all 12 pairs; hcp: 6 of 12)
 *   1422: 4 common, 2 bonds sharing one atom           (hcp: the other 6)
 *   1551: 5 common, 5 bonds forming one 5-ring         (the pairs of an icosahedron's centre)
 *   1444 / 1666: 4 / 6 common forming a 4- / 6-ring    (bcc: 6 × 1444 + 8 × 1666)
 *
 * Per-atom classes are LAMMPS's conventional CNA (Faken & Jónsson, Comput. Mater. Sci. 2, 279
 * (1994); LAMMPS `compute cna/atom`): 12 neighbours within rc and all 12 pairs 1421 → fcc,
 * 6 × 1421 + 6 × 1422 → hcp, all 12 pairs 1551 → icosahedral; 14 neighbours with 6 × 1444 +
 * 8 × 1666 → bcc; anything else → other. Unlike the adaptive CNA of ./fingerprint.ts the cutoff is
 * one number for the whole configuration, so the classes depend on it (for bcc the first minimum of
 * g(r) must lie beyond the second shell, at a ≈ 1.15 a, e.g. LAMMPS's recommended 1.207 a).
 *
 * The cutoff callers pass is the configuration's first-shell cutoff (the first minimum of g(r),
 * ./coordination.ts `firstShell`, as datasets store it in `cutoff`).
 */
import type { Configuration } from '../structure/index.js';
import { buildNeighbourList } from '../structure/index.js';
import { UserError } from '../util/errors.js';
import { LOCAL_ORDER_COLUMNS } from './localOrderColumns.js';

/** Per-atom conventional CNA classes, in the order of `LocalOrder.perAtom` codes. */
export const CNA_CLASSES = ['other', 'fcc', 'hcp', 'bcc', 'ico'] as const;
export type CnaClass = (typeof CNA_CLASSES)[number];

/** Fractions of atoms in each conventional-CNA class (sum 1). */
export interface CnaFractions {
  fcc: number;
  hcp: number;
  bcc: number;
  ico: number;
  other: number;
}

/** The pair signatures whose shares are reported. */
export const PAIR_SIGNATURES = ['1551', '1421', '1422'] as const;

export interface LocalOrder {
  /** the first-shell cutoff used, Å */
  cutoff: number;
  /** number of first-shell pairs (each pair once) */
  pairs: number;
  /** fractions of first-shell pairs with signature 1551, 1421, 1422 */
  pairs_1551: number;
  pairs_1421: number;
  pairs_1422: number;
  /** conventional-CNA class of each atom: index into CNA_CLASSES */
  perAtom: Uint8Array;
  /** fractions of atoms per class */
  atoms: CnaFractions;
}

// pair signature codes
const SIG_OTHER = 0,
  SIG_1421 = 1,
  SIG_1422 = 2,
  SIG_1551 = 3,
  SIG_1444 = 4,
  SIG_1666 = 5;
const NSIG = 6;
/** More common neighbours than this cannot be one of the signatures above. */
const MAX_COMMON = 8;

/**
 * Pair signatures and per-atom conventional CNA of a configuration for first-shell cutoff `cutoff`
 * (Å; at most half the shortest box edge). Hot loop: typed arrays, no allocation per pair.
 */
export function localOrder(conf: Configuration, cutoff: number): LocalOrder {
  if (!(cutoff > 0) || !Number.isFinite(cutoff))
    throw new UserError(`local order: cutoff must be a positive number of Å, got ${cutoff}`);
  const n = conf.n;
  const perAtom = new Uint8Array(n);
  if (n === 0)
    return {
      cutoff,
      pairs: 0,
      pairs_1551: 0,
      pairs_1421: 0,
      pairs_1422: 0,
      perAtom,
      atoms: { fcc: 0, hcp: 0, bcc: 0, ico: 0, other: 1 },
    };
  const nl = buildNeighbourList(conf, cutoff);
  const { start, index, dx, dy, dz } = nl;
  const rc2 = cutoff * cutoff;
  // stamp[k] = i + 1 while k is a neighbour of i; at[k] its position in i's CSR row
  const stamp = new Int32Array(n);
  const at = new Int32Array(n);
  const tally = new Int32Array(n * NSIG);
  const cx = new Float64Array(MAX_COMMON);
  const cy = new Float64Array(MAX_COMMON);
  const cz = new Float64Array(MAX_COMMON);
  const deg = new Int32Array(MAX_COMMON);
  const sigCount = new Float64Array(NSIG);
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const s = start[i],
      e = start[i + 1];
    for (let p = s; p < e; p++) {
      stamp[index[p]] = i + 1;
      at[index[p]] = p;
    }
    for (let p = s; p < e; p++) {
      const j = index[p];
      if (j <= i) continue;
      pairs++;
      // common neighbours of i and j, as vectors from i
      let nc = 0;
      for (let q = start[j]; q < start[j + 1]; q++) {
        const k = index[q];
        if (stamp[k] !== i + 1) continue;
        if (nc < MAX_COMMON) {
          const pk = at[k];
          cx[nc] = dx[pk];
          cy[nc] = dy[pk];
          cz[nc] = dz[pk];
        }
        nc++;
      }
      let sig = SIG_OTHER;
      if (nc === 4 || nc === 5 || nc === 6) {
        let nb = 0;
        for (let a = 0; a < nc; a++) deg[a] = 0;
        for (let a = 0; a < nc; a++)
          for (let b = a + 1; b < nc; b++) {
            const ux = cx[a] - cx[b],
              uy = cy[a] - cy[b],
              uz = cz[a] - cz[b];
            if (ux * ux + uy * uy + uz * uz < rc2) {
              nb++;
              deg[a]++;
              deg[b]++;
            }
          }
        let maxDeg = 0;
        for (let a = 0; a < nc; a++) if (deg[a] > maxDeg) maxDeg = deg[a];
        if (nc === 4 && nb === 2) sig = maxDeg === 1 ? SIG_1421 : SIG_1422;
        else if (nc === 5 && nb === 5 && maxDeg === 2) sig = SIG_1551;
        else if (nc === 4 && nb === 4 && maxDeg === 2) sig = SIG_1444;
        else if (nc === 6 && nb === 6 && maxDeg === 2) sig = SIG_1666;
      }
      sigCount[sig]++;
      tally[i * NSIG + sig]++;
      tally[j * NSIG + sig]++;
    }
  }
  const counts = new Float64Array(CNA_CLASSES.length);
  for (let i = 0; i < n; i++) {
    const nn = start[i + 1] - start[i];
    const t = i * NSIG;
    let cls = 0;
    if (nn === 12) {
      if (tally[t + SIG_1421] === 12) cls = 1;
      else if (tally[t + SIG_1421] === 6 && tally[t + SIG_1422] === 6) cls = 2;
      else if (tally[t + SIG_1551] === 12) cls = 4;
    } else if (nn === 14 && tally[t + SIG_1444] === 6 && tally[t + SIG_1666] === 8) cls = 3;
    perAtom[i] = cls;
    counts[cls]++;
  }
  const share = (c: number) => (pairs > 0 ? sigCount[c] / pairs : 0);
  return {
    cutoff,
    pairs,
    pairs_1551: share(SIG_1551),
    pairs_1421: share(SIG_1421),
    pairs_1422: share(SIG_1422),
    perAtom,
    atoms: {
      fcc: counts[1] / n,
      hcp: counts[2] / n,
      bcc: counts[3] / n,
      ico: counts[4] / n,
      other: counts[0] / n,
    },
  };
}

export { LOCAL_ORDER_COLUMNS } from './localOrderColumns.js';

/** The LOCAL_ORDER_COLUMNS values of a LocalOrder. */
export function localOrderValues(lo: LocalOrder): Record<(typeof LOCAL_ORDER_COLUMNS)[number], number> {
  return {
    pairs_1551: lo.pairs_1551,
    pairs_1421: lo.pairs_1421,
    pairs_1422: lo.pairs_1422,
    cna_fcc: lo.atoms.fcc,
    cna_hcp: lo.atoms.hcp,
    cna_bcc: lo.atoms.bcc,
    cna_ico: lo.atoms.ico,
    cna_other: lo.atoms.other,
  };
}

/** Frame average of local order at a fixed cutoff (for trajectories). */
export class LocalOrderAccumulator {
  private sum = new Float64Array(LOCAL_ORDER_COLUMNS.length);
  frames = 0;
  constructor(readonly cutoff: number) {}

  add(conf: Configuration): LocalOrder {
    const lo = localOrder(conf, this.cutoff);
    const v = localOrderValues(lo);
    LOCAL_ORDER_COLUMNS.forEach((c, i) => (this.sum[i] += v[c]));
    this.frames++;
    return lo;
  }

  /** Mean of the LOCAL_ORDER_COLUMNS over the frames added. */
  result(): Record<(typeof LOCAL_ORDER_COLUMNS)[number], number> {
    const d = Math.max(1, this.frames);
    const out = {} as Record<(typeof LOCAL_ORDER_COLUMNS)[number], number>;
    LOCAL_ORDER_COLUMNS.forEach((c, i) => (out[c] = this.sum[i] / d));
    return out;
  }
}
