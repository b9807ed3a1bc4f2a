/**
 * Physical constants and X-ray absorption edge energies.
 *
 * Edge energies (eV) for K, L1, L2, L3 of Z = 19–92 are the tabulated values of the
 * xraydb library 4.4 (Elam, Ravel & Sieber, Radiat. Phys. Chem. 63, 121 (2002)), which follow
 * Bearden & Burr, Rev. Mod. Phys. 39, 125 (1967) / the X-ray Data Booklet (LBNL).
 * Generated once with `/usr/bin/python3 -c "import xraydb; xraydb.xray_edge(sym, edge)"`.
 */

/** KTOE = ħ²/(2mₑe) [eV·Å²] and ETOK = 1/KTOE: the one definition, src/util/physics.ts (CODATA 2022, = Larch's). */
export { KTOE, ETOK } from '../util/physics.js';

export type EdgeName = 'K' | 'L1' | 'L2' | 'L3';
export const EDGE_NAMES: readonly EdgeName[] = ['K', 'L1', 'L2', 'L3'];

/** [Z, symbol, K, L1, L2, L3] in eV. */
const EDGE_TABLE: ReadonlyArray<readonly [number, string, number, number, number, number]> = [
  [19, 'K', 3608.4, 378.6, 297.3, 294.6],
  [20, 'Ca', 4038.5, 438.4, 349.7, 346.2],
  [21, 'Sc', 4492, 498, 403.6, 398.7],
  [22, 'Ti', 4966, 560.9, 460.2, 453.8],
  [23, 'V', 5465, 626.7, 519.8, 512.1],
  [24, 'Cr', 5989, 696, 583.8, 574.1],
  [25, 'Mn', 6539, 769.1, 649.9, 638.7],
  [26, 'Fe', 7112, 844.6, 719.9, 706.8],
  [27, 'Co', 7709, 925.1, 793.2, 778.1],
  [28, 'Ni', 8333, 1008.6, 870, 852.7],
  [29, 'Cu', 8979, 1096.7, 952.3, 932.7],
  [30, 'Zn', 9659, 1196.2, 1044.9, 1021.8],
  [31, 'Ga', 10367, 1299, 1143.2, 1116.4],
  [32, 'Ge', 11103, 1414.6, 1248.1, 1217],
  [33, 'As', 11867, 1527, 1359.1, 1323.6],
  [34, 'Se', 12658, 1652, 1474.3, 1433.9],
  [35, 'Br', 13474, 1782, 1596, 1550],
  [36, 'Kr', 14326, 1921, 1730.9, 1678.4],
  [37, 'Rb', 15200, 2065, 1864, 1804],
  [38, 'Sr', 16105, 2216, 2007, 1940],
  [39, 'Y', 17038, 2373, 2156, 2080],
  [40, 'Zr', 17998, 2532, 2307, 2223],
  [41, 'Nb', 18986, 2698, 2465, 2371],
  [42, 'Mo', 20000, 2866, 2625, 2520],
  [43, 'Tc', 21044, 3043, 2793, 2677],
  [44, 'Ru', 22117, 3224, 2967, 2838],
  [45, 'Rh', 23220, 3412, 3146, 3004],
  [46, 'Pd', 24350, 3604, 3330, 3173],
  [47, 'Ag', 25514, 3806, 3524, 3351],
  [48, 'Cd', 26711, 4018, 3727, 3538],
  [49, 'In', 27940, 4238, 3938, 3730],
  [50, 'Sn', 29200, 4465, 4156, 3929],
  [51, 'Sb', 30491, 4698, 4380, 4132],
  [52, 'Te', 31814, 4939, 4612, 4341],
  [53, 'I', 33169, 5188, 4852, 4557],
  [54, 'Xe', 34561, 5453, 5107, 4786],
  [55, 'Cs', 35985, 5714, 5359, 5012],
  [56, 'Ba', 37441, 5989, 5624, 5247],
  [57, 'La', 38925, 6266, 5891, 5483],
  [58, 'Ce', 40443, 6548, 6164, 5723],
  [59, 'Pr', 41991, 6835, 6440, 5964],
  [60, 'Nd', 43569, 7126, 6722, 6208],
  [61, 'Pm', 45184, 7428, 7013, 6459],
  [62, 'Sm', 46834, 7737, 7312, 6716],
  [63, 'Eu', 48519, 8052, 7617, 6977],
  [64, 'Gd', 50239, 8376, 7930, 7243],
  [65, 'Tb', 51996, 8708, 8252, 7514],
  [66, 'Dy', 53789, 9046, 8581, 7790],
  [67, 'Ho', 55618, 9394, 8918, 8071],
  [68, 'Er', 57486, 9751, 9264, 8358],
  [69, 'Tm', 59390, 10116, 9617, 8648],
  [70, 'Yb', 61332, 10486, 9978, 8944],
  [71, 'Lu', 63314, 10870, 10349, 9244],
  [72, 'Hf', 65351, 11271, 10739, 9561],
  [73, 'Ta', 67416, 11682, 11136, 9881],
  [74, 'W', 69525, 12100, 11544, 10207],
  [75, 'Re', 71676, 12527, 11959, 10535],
  [76, 'Os', 73871, 12968, 12385, 10871],
  [77, 'Ir', 76111, 13419, 12824, 11215],
  [78, 'Pt', 78395, 13880, 13273, 11564],
  [79, 'Au', 80725, 14353, 13734, 11919],
  [80, 'Hg', 83102, 14839, 14209, 12284],
  [81, 'Tl', 85530, 15347, 14698, 12658],
  [82, 'Pb', 88005, 15861, 15200, 13035],
  [83, 'Bi', 90526, 16388, 15711, 13419],
  [84, 'Po', 93105, 16939, 16244, 13814],
  [85, 'At', 95730, 17493, 16785, 14214],
  [86, 'Rn', 98404, 18049, 17337, 14619],
  [87, 'Fr', 101137, 18639, 17907, 15031],
  [88, 'Ra', 103922, 19237, 18484, 15444],
  [89, 'Ac', 106755, 19840, 19083, 15871],
  [90, 'Th', 109651, 20472, 19693, 16300],
  [91, 'Pa', 112601, 21105, 20314, 16733],
  [92, 'U', 115606, 21757, 20948, 17166],
];

const BY_SYMBOL = new Map<string, (typeof EDGE_TABLE)[number]>();
for (const row of EDGE_TABLE) BY_SYMBOL.set(row[1].toLowerCase(), row);

/** Canonical element symbol ("ni" → "Ni"), or null when not in the table (Z 19–92). */
export function normaliseElement(sym: string): string | null {
  const row = BY_SYMBOL.get(sym.trim().toLowerCase());
  return row ? row[1] : null;
}

/** Canonical edge name ("k" → "K", "l3"/"LIII" → "L3"), or null. */
export function normaliseEdge(edge: string): EdgeName | null {
  const e = edge.trim().toUpperCase();
  const map: Record<string, EdgeName> = {
    K: 'K',
    L1: 'L1',
    L2: 'L2',
    L3: 'L3',
    LI: 'L1',
    LII: 'L2',
    LIII: 'L3',
  };
  return map[e] ?? null;
}

/** Atomic number of a symbol, or null (the project's element table, src/util/elements.ts). */
export { atomicNumber } from '../util/elements.js';

/** Tabulated edge energy in eV, or null for an unknown element/edge. */
export function edgeEnergy(element: string, edge: string): number | null {
  const row = BY_SYMBOL.get(element.trim().toLowerCase());
  const e = normaliseEdge(edge);
  if (!row || !e) return null;
  return row[2 + EDGE_NAMES.indexOf(e)] as number;
}

/** The tabulated edge nearest to an energy (K and L3 preferred, as xraydb's guess_edge does). */
export function guessEdge(
  energy: number,
  edges: readonly EdgeName[] = ['K', 'L3'],
): { element: string; edge: EdgeName; energy: number } {
  let best = { element: 'Fe', edge: 'K' as EdgeName, energy: 7112 };
  let bestD = Infinity;
  for (const row of EDGE_TABLE) {
    for (const e of edges) {
      const en = row[2 + EDGE_NAMES.indexOf(e)] as number;
      const d = Math.abs(en - energy);
      if (d < bestD) {
        bestD = d;
        best = { element: row[1], edge: e, energy: en };
      }
    }
  }
  return best;
}
