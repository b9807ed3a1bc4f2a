/**
 * The one element table of the project: symbols and atomic numbers (Z = 1–92), and for the
 * metals the project models (Fe, Co, Ni, Cu) the standard atomic mass (IUPAC 2019 / CIAAW) and
 * the room-temperature reference lattice (Wyckoff, Crystal Structures, 1963) whose FEFF
 * potentials serve every geometry of the element. Edge energies live with the X-ray data in
 * src/xas/constants.ts, EAM parameters with the potential in src/md/zhou.ts; both key on these
 * symbols.
 */

/** Element symbols by atomic number (index 0 unused). */
const SYMBOLS = [
  '',
  'H', 'He', 'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne',
  'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar', 'K', 'Ca',
  'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn',
  'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr', 'Rb', 'Sr', 'Y', 'Zr',
  'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn',
  'Sb', 'Te', 'I', 'Xe', 'Cs', 'Ba', 'La', 'Ce', 'Pr', 'Nd',
  'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb',
  'Lu', 'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir', 'Pt', 'Au', 'Hg',
  'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Ac', 'Th',
  'Pa', 'U',
] as const; // prettier-ignore

const Z_BY_SYMBOL = new Map<string, number>();
SYMBOLS.forEach((s, z) => z > 0 && Z_BY_SYMBOL.set(s.toLowerCase(), z));

/** Atomic number of a symbol (any case, surrounding blanks ignored), or null. */
export function atomicNumber(symbol: string): number | null {
  return Z_BY_SYMBOL.get(String(symbol).trim().toLowerCase()) ?? null;
}

/** Symbol of an atomic number, or undefined outside 1–92. */
export function elementSymbol(z: number): string | undefined {
  return Number.isInteger(z) && z >= 1 && z < SYMBOLS.length ? SYMBOLS[z] : undefined;
}

/** Canonical symbol ("ni" → "Ni"), or null when not an element. */
export function canonicalSymbol(symbol: string): string | null {
  const z = atomicNumber(symbol);
  return z === null ? null : SYMBOLS[z];
}

export interface ReferenceLattice {
  structure: 'fcc' | 'bcc' | 'hcp';
  /** lattice constant a in Å (room temperature) */
  a: number;
  /** hcp c in Å */
  c?: number;
  source: string;
}

export interface ModelledElement {
  symbol: string;
  z: number;
  /** standard atomic mass, amu */
  mass: number;
  reference: ReferenceLattice;
  /**
   * melting point of the shipped ZJW 2004 EAM potential (not of the real metal) in K, measured by
   * solid–liquid coexistence at zero pressure (LAMMPS NPH; scripts/lammps/coexistence.in, runs and
   * protocol in docs/md.md). Liquids below it are undercooled.
   */
  tmZjw: { value: number; uncertainty: number; note?: string };
}

/** The metals with EAM potentials, γ tables and reference solids. */
export const MODELLED_ELEMENTS: Readonly<Record<string, ModelledElement>> = {
  Fe: {
    symbol: 'Fe',
    z: 26,
    mass: 55.845,
    reference: { structure: 'bcc', a: 2.8665, source: 'Wyckoff, Crystal Structures (1963), α-Fe, 293 K' },
    tmZjw: { value: 2080, uncertainty: 30, note: 'bcc–liquid coexistence (experiment: 1811 K)' },
  },
  Co: {
    symbol: 'Co',
    z: 27,
    mass: 58.933194,
    reference: {
      structure: 'hcp',
      a: 2.507,
      c: 4.069,
      source: 'Wyckoff, Crystal Structures (1963), hcp α-Co, 293 K',
    },
    tmZjw: {
      value: 1800,
      uncertainty: 50,
      note: 'hcp–liquid coexistence, preliminary: small box (experiment: 1768 K)',
    },
  },
  Ni: {
    symbol: 'Ni',
    z: 28,
    mass: 58.6934,
    reference: { structure: 'fcc', a: 3.524, source: 'Wyckoff, Crystal Structures (1963), 293 K' },
    tmZjw: { value: 1515, uncertainty: 25, note: 'fcc–liquid coexistence (experiment: 1728 K)' },
  },
  Cu: {
    symbol: 'Cu',
    z: 29,
    mass: 63.546,
    reference: { structure: 'fcc', a: 3.615, source: 'Wyckoff, Crystal Structures (1963), 293 K' },
    tmZjw: { value: 1160, uncertainty: 20, note: 'fcc–liquid coexistence (experiment: 1358 K)' },
  },
};
