/**
 * Crystal lattices in orthogonal periodic boxes.
 *
 * Every lattice is described by an orthogonal conventional cell (edge lengths in units of the
 * lattice parameter a) and its basis in fractional coordinates. hcp uses the orthohexagonal
 * cell (a, √3·a, c) with 4 atoms and ideal c/a = √(8/3).
 */
import type { Configuration } from './types.js';
import { UserError } from '../util/errors.js';

export type LatticeName = 'fcc' | 'hcp' | 'bcc' | 'diamond' | 'sc';
export const LATTICES: readonly LatticeName[] = ['fcc', 'hcp', 'bcc', 'diamond', 'sc'];

interface CellSpec {
  /** cell edges in units of a */
  edges: [number, number, number];
  /** fractional basis coordinates */
  basis: [number, number, number][];
}

const IDEAL_COA = Math.sqrt(8 / 3);

function cellSpec(name: LatticeName, coa = IDEAL_COA): CellSpec {
  switch (name) {
    case 'sc':
      return { edges: [1, 1, 1], basis: [[0, 0, 0]] };
    case 'bcc':
      return {
        edges: [1, 1, 1],
        basis: [
          [0, 0, 0],
          [0.5, 0.5, 0.5],
        ],
      };
    case 'fcc':
      return {
        edges: [1, 1, 1],
        basis: [
          [0, 0, 0],
          [0.5, 0.5, 0],
          [0.5, 0, 0.5],
          [0, 0.5, 0.5],
        ],
      };
    case 'diamond': {
      const fcc = cellSpec('fcc').basis;
      const shifted = fcc.map(([x, y, z]) => [x + 0.25, y + 0.25, z + 0.25] as [number, number, number]);
      return { edges: [1, 1, 1], basis: [...fcc, ...shifted] };
    }
    case 'hcp':
      // orthohexagonal cell: A sites at (0,0,0), (1/2,1/2,0); B sites at (1/2,1/6,1/2), (0,2/3,1/2)
      return {
        edges: [1, Math.sqrt(3), coa],
        basis: [
          [0, 0, 0],
          [0.5, 0.5, 0],
          [0.5, 1 / 6, 0.5],
          [0, 2 / 3, 0.5],
        ],
      };
  }
}

/** Atoms per conventional (orthogonal) cell. */
export function atomsPerCell(name: LatticeName): number {
  return cellSpec(name).basis.length;
}

/** Nearest-neighbour distance of an ideal lattice with lattice parameter a (Å). */
export function nearestNeighbourDistance(name: LatticeName, a: number): number {
  switch (name) {
    case 'sc':
    case 'hcp':
      return a;
    case 'bcc':
      return (a * Math.sqrt(3)) / 2;
    case 'fcc':
      return a / Math.SQRT2;
    case 'diamond':
      return (a * Math.sqrt(3)) / 4;
  }
}

/** Ideal coordination number of the first shell. */
export function firstShellCoordination(name: LatticeName): number {
  return { sc: 6, bcc: 8, fcc: 12, hcp: 12, diamond: 4 }[name];
}

export interface LatticeOptions {
  /** cells along x, y, z (default n×n×n from `cells`) */
  reps?: [number, number, number];
  /** c/a ratio for hcp (default ideal √(8/3)) */
  coa?: number;
  element?: string;
}

/**
 * Build an n×n×n supercell (or reps[0]×reps[1]×reps[2]) of a lattice with lattice parameter a (Å).
 * For hcp, a is the in-plane nearest-neighbour distance.
 */
export function buildLattice(
  name: LatticeName,
  a: number,
  cells: number,
  opts: LatticeOptions = {},
): Configuration {
  if (!LATTICES.includes(name)) {
    throw new UserError(`unknown structure "${name}": expected one of ${LATTICES.join(', ')}`);
  }
  if (!(a > 0) || !Number.isFinite(a))
    throw new UserError(`lattice parameter must be a positive number of Å, got ${a}`);
  const reps = opts.reps ?? [cells, cells, cells];
  for (const r of reps) {
    if (!Number.isInteger(r) || r < 1)
      throw new UserError(`cell repetitions must be positive integers, got ${reps.join('×')}`);
  }
  const spec = cellSpec(name, opts.coa);
  const cell = spec.edges.map((e) => e * a) as [number, number, number];
  const n = spec.basis.length * reps[0] * reps[1] * reps[2];
  const positions = new Float64Array(3 * n);
  let k = 0;
  for (let ix = 0; ix < reps[0]; ix++)
    for (let iy = 0; iy < reps[1]; iy++)
      for (let iz = 0; iz < reps[2]; iz++)
        for (const [fx, fy, fz] of spec.basis) {
          positions[k++] = (ix + fx) * cell[0];
          positions[k++] = (iy + fy) * cell[1];
          positions[k++] = (iz + fz) * cell[2];
        }
  const box: [number, number, number] = [cell[0] * reps[0], cell[1] * reps[1], cell[2] * reps[2]];
  // wrap (diamond's shifted basis stays inside; keep the general guarantee)
  for (let i = 0; i < 3 * n; i++) {
    const L = box[i % 3];
    positions[i] = ((positions[i] % L) + L) % L;
  }
  return { n, positions, box, types: new Int32Array(n).fill(1), element: opts.element };
}

/**
 * Cells per axis so that the box holds about `atoms` atoms (rounded to the nearest cube).
 * For hcp the repetitions are chosen to keep the box close to cubic.
 */
export function repsForAtoms(name: LatticeName, atoms: number, coa = IDEAL_COA): [number, number, number] {
  const spec = cellSpec(name, coa);
  const perCell = spec.basis.length;
  const vol = spec.edges[0] * spec.edges[1] * spec.edges[2];
  // edge of a cube holding `atoms` atoms, in units of a
  const edge = Math.cbrt((atoms / perCell) * vol);
  return spec.edges.map((e) => Math.max(1, Math.round(edge / e))) as [number, number, number];
}
