/**
 * The reference solid whose self-consistent FEFF potentials serve every geometry of an element:
 * its lattice (from the element table, src/util/elements.ts), the supported edges, the FEFF
 * settings, and the cluster of atoms around the absorber written to feff.inp.
 */
import { UserError } from '../util/errors.js';
import { MODELLED_ELEMENTS } from '../util/elements.js';

export interface ReferenceSolid {
  element: string;
  z: number;
  structure: 'fcc' | 'bcc' | 'hcp';
  /** lattice constant a in Å (room temperature) */
  a: number;
  /** hcp c in Å */
  c?: number;
  source: string;
}

/** Reference solids whose self-consistent potentials are used for every geometry of the element. */
export const REFERENCE_SOLIDS: Record<string, ReferenceSolid> = Object.fromEntries(
  Object.values(MODELLED_ELEMENTS).map((e) => [e.symbol, { element: e.symbol, z: e.z, ...e.reference }]),
);

export const FEFF_EDGES = ['K', 'L1', 'L2', 'L3'] as const;

/** Canonical element symbol, or a UserError listing the supported ones. */
export function checkElement(element: string): ReferenceSolid {
  const key = Object.keys(REFERENCE_SOLIDS).find((e) => e.toLowerCase() === String(element).toLowerCase());
  if (!key) {
    throw new UserError(
      `unknown element "${element}": γ tables can be built for ${Object.keys(REFERENCE_SOLIDS).join(', ')} (reference solids with known lattices)`,
    );
  }
  return REFERENCE_SOLIDS[key];
}

export function checkEdge(edge: string): string {
  const e = String(edge).toUpperCase();
  if (!(FEFF_EDGES as readonly string[]).includes(e)) {
    throw new UserError(`unknown edge "${edge}": expected one of ${FEFF_EDGES.join(', ')}`);
  }
  return e;
}

export interface FeffSettings {
  element: string;
  edge: string;
  /** lattice constant a of the reference solid (Å) */
  lattice: number;
  /** hcp c (Å); scaled with a when only a is given */
  c?: number;
  /** radius of the self-consistency cluster (FEFF SCF card), Å */
  scfRadius: number;
  /** radius of the cluster written to feff.inp, Å */
  clusterRadius: number;
}

export function defaultSettings(element: string, edge = 'K', lattice?: number): FeffSettings {
  const ref = checkElement(element);
  const a = lattice ?? ref.a;
  if (!(a > 1 && a < 10))
    throw new UserError(`--lattice: expected a lattice constant in Å between 1 and 10, got ${lattice}`);
  return {
    element: ref.element,
    edge: checkEdge(edge),
    lattice: a,
    c: ref.c !== undefined ? (ref.c * a) / ref.a : undefined,
    scfRadius: 4.5,
    clusterRadius: 7.0,
  };
}

/** Atoms of the reference solid within `radius` of an atom at the origin, sorted by distance. */
export function referenceCluster(s: FeffSettings): number[][] {
  const ref = checkElement(s.element);
  const a = s.lattice;
  let cellVecs: number[][];
  let basis: number[][];
  if (ref.structure === 'fcc' || ref.structure === 'bcc') {
    cellVecs = [
      [a, 0, 0],
      [0, a, 0],
      [0, 0, a],
    ];
    basis =
      ref.structure === 'fcc'
        ? [
            [0, 0, 0],
            [0.5, 0.5, 0],
            [0.5, 0, 0.5],
            [0, 0.5, 0.5],
          ]
        : [
            [0, 0, 0],
            [0.5, 0.5, 0.5],
          ];
  } else {
    const c = s.c ?? a * 1.633;
    cellVecs = [
      [a, 0, 0],
      [-a / 2, (a * Math.sqrt(3)) / 2, 0],
      [0, 0, c],
    ];
    basis = [
      [0, 0, 0],
      [1 / 3, 2 / 3, 0.5],
    ];
  }
  const R = s.clusterRadius;
  const nmax = Math.ceil(R / Math.min(a, s.c ?? a)) + 2;
  const out: number[][] = [];
  for (let i = -nmax; i <= nmax; i++)
    for (let j = -nmax; j <= nmax; j++)
      for (let k = -nmax; k <= nmax; k++)
        for (const b of basis) {
          const f = [i + b[0], j + b[1], k + b[2]];
          const x = f[0] * cellVecs[0][0] + f[1] * cellVecs[1][0] + f[2] * cellVecs[2][0];
          const y = f[0] * cellVecs[0][1] + f[1] * cellVecs[1][1] + f[2] * cellVecs[2][1];
          const z = f[0] * cellVecs[0][2] + f[1] * cellVecs[1][2] + f[2] * cellVecs[2][2];
          const r = Math.hypot(x, y, z);
          if (r <= R + 1e-9) out.push([x, y, z, r]);
        }
  out.sort((p, q) => p[3] - q[3]);
  return out;
}
