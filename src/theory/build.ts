/**
 * The γ table builder: FEFF potentials once, then genfmt over the 2-atom paths of the γ2 r grid
 * and the 12 three-body paths of every triangle of the γ3 grid, summed into reduced amplitudes
 * per path-length class and compressed in k (see table.ts for the layout).
 */
import { defaultSettings } from './feffSolid.js';
import { defaultWorkDir, preparePotentials, runPaths, type FeffPotentials } from './feffRun.js';
import type { FeffPath } from './feffFiles.js';
import { pathReducedAmplitude } from './pathChi.js';
import { gamma2Paths, GAMMA2_COMPONENTS, trianglePaths, GAMMA3_CLASSES } from './paths.js';
import { symmetricEigen } from './linalg.js';
import {
  TABLE_FORMAT_VERSION,
  type GammaTables,
  type TableHeader,
  serializeTables,
  parseTables,
} from './table.js';
import { UserError } from '../util/errors.js';

export interface GridSpec {
  min: number;
  max: number;
  step: number;
}

export interface BuildOptions {
  element: string;
  edge?: string;
  lattice?: number;
  /** γ2 r grid (Å); default `defaultGrids` (1.5–6.5 step 0.05) */
  r2?: GridSpec;
  /** γ3 grid of the two shortest sides (Å); default `defaultGrids` (0.65–1.45 × the nearest-neighbour distance, step 0.1) */
  r3?: GridSpec;
  /** γ3 θ nodes (degrees, increasing, ending at 180) */
  theta?: number[];
  /** largest number of k basis functions for γ3, and the residual that stops earlier */
  maxBasis?: number;
  pcaTolerance?: number;
  workDir?: string;
  log?: (msg: string) => void;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/**
 * The grids `exafsnn tables build` uses by default (and the shipped tables were built with).
 * Measured with the shipped ZJW potentials (LAMMPS NVT, 864 atoms, 20 ps at 2000 K, the densest
 * liquid of the dataset presets): the shortest pair is 1.76 Å (Ni), see docs/theory.md. So
 *  - γ2 starts at 1.5 Å (≥ 0.2 Å below the shortest pair seen in any element's hot liquid);
 *  - γ3 covers r1 ≤ r2 from 0.65·d1 (≥ 0.15 Å below the shortest liquid pair, rounded down to
 *    0.1 Å) to 1.45·d1 (above the first minimum of liquid g(r), ≈ 1.37·d1, rounded up): Ni 1.6–3.7 Å;
 *  - θ from 55° to 180° in 2.5° steps (the vertex angle of a triplet is ≥ 60°, see chi.ts).
 */
export function defaultGrids(
  element: string,
  lattice?: number,
  steps: { r2?: number; r3?: number; theta?: number } = {},
): { r2: GridSpec; r3: GridSpec; theta: number[]; d1: number } {
  const d1 = nearestNeighbourOfReference(element, lattice);
  const thStep = steps.theta ?? 2.5;
  const theta: number[] = [];
  for (let x = 180; x >= 55 - 1e-9; x -= thStep) theta.unshift(Math.round(x * 1000) / 1000);
  if (theta[0] > 60) theta.unshift(Math.round((theta[0] - thStep) * 1000) / 1000);
  return {
    r2: { min: 1.5, max: 6.5, step: steps.r2 ?? 0.05 },
    r3: {
      min: Math.floor(0.65 * d1 * 10) / 10,
      max: Math.ceil(1.45 * d1 * 10) / 10,
      step: steps.r3 ?? 0.1,
    },
    theta,
    d1,
  };
}

export function nearestNeighbourOfReference(element: string, lattice?: number): number {
  const s = defaultSettings(element, 'K', lattice);
  const el = s.element;
  const a = s.lattice;
  if (el === 'Fe') return (a * Math.sqrt(3)) / 2;
  if (el === 'Co') return a; // hcp: a (c/a ≈ 1.623 makes the out-of-plane bonds 2.497 Å, within 0.5 %)
  return a / Math.SQRT2;
}

function grid(g: GridSpec, what: string): number[] {
  if (!(g.step > 0) || !(g.max > g.min))
    throw new UserError(`${what}: expected min < max and step > 0, got ${JSON.stringify(g)}`);
  const n = Math.round((g.max - g.min) / g.step) + 1;
  return Array.from({ length: n }, (_, i) => Math.round((g.min + i * g.step) * 1e6) / 1e6);
}

function nc2Count(): number {
  return GAMMA2_COMPONENTS.length;
}

function sameK(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-6) return false;
  return true;
}

export interface BuiltTables {
  tables: GammaTables;
  bytes: Uint8Array;
  /** uncompressed γ3 reduced amplitudes [node][class][re|im][k] (for diagnostics) */
  raw3: Float64Array;
}

export function buildTables(opts: BuildOptions): BuiltTables {
  const log = opts.log ?? (() => {});
  const settings = defaultSettings(opts.element, opts.edge ?? 'K', opts.lattice);
  const d1 = nearestNeighbourOfReference(settings.element, settings.lattice);
  const defaults = defaultGrids(settings.element, settings.lattice);
  const r2grid = grid(opts.r2 ?? defaults.r2, 'γ2 r grid');
  const r3grid = grid(opts.r3 ?? defaults.r3, 'γ3 r grid');
  const theta = opts.theta ?? defaults.theta;
  for (let i = 1; i < theta.length; i++)
    if (!(theta[i] > theta[i - 1]))
      throw new UserError(`θ nodes must increase, got ${theta[i - 1]} then ${theta[i]}`);
  if (theta[0] > 60 || theta[theta.length - 1] !== 180)
    throw new UserError(
      `θ nodes must cover 60°–180° (the two shortest sides of a triangle enclose ≥ 60°); got ${theta[0]}–${theta[theta.length - 1]}`,
    );
  const workDir = opts.workDir ?? defaultWorkDir(settings);
  const pots: FeffPotentials = preparePotentials(settings, workDir, log);

  // ---- γ2
  log(
    `γ2: ${r2grid.length} distances ${r2grid[0]}–${r2grid[r2grid.length - 1]} Å × ${GAMMA2_COMPONENTS.length} paths`,
  );
  opts.onProgress?.('γ2 paths', 0, r2grid.length * nc2Count());
  const p2 = runPaths(
    pots,
    r2grid.flatMap((r) => gamma2Paths(r)),
    { onProgress: (d, t) => opts.onProgress?.('γ2 paths', d, t) },
  );
  const kGrid = p2[0].k;
  const nk = kGrid.length;
  const nc2 = GAMMA2_COMPONENTS.length;
  const g2 = new Float32Array(r2grid.length * nc2 * 2 * nk);
  p2.forEach((p, idx) => {
    if (!sameK(p.k, kGrid)) throw new Error('FEFF returned different k grids for different paths');
    const ir = Math.floor(idx / nc2),
      c = idx % nc2;
    const { re, im } = pathReducedAmplitude(p, 1);
    const base = (ir * nc2 + c) * 2 * nk;
    // amplitude and phase (unwrapped in k, and continuous in r with the previous node)
    for (let i = 0; i < nk; i++) {
      g2[base + i] = Math.hypot(re[i], im[i]);
      let ph = Math.atan2(im[i], re[i]);
      if (i > 0) ph -= 2 * Math.PI * Math.round((ph - g2[base + nk + i - 1]) / (2 * Math.PI));
      g2[base + nk + i] = ph;
    }
    if (ir > 0) {
      const prev = ((ir - 1) * nc2 + c) * 2 * nk + nk;
      let d = 0;
      for (let i = 0; i < nk; i++) d += g2[prev + i] - g2[base + nk + i];
      const shift = 2 * Math.PI * Math.round(d / nk / (2 * Math.PI));
      for (let i = 0; i < nk; i++) g2[base + nk + i] += shift;
    }
  });

  // ---- γ3
  const nr = r3grid.length,
    nth = theta.length;
  const nodes = ((nr * (nr + 1)) / 2) * nth;
  const ncl = GAMMA3_CLASSES.length;
  const raw3 = new Float64Array(nodes * ncl * 2 * nk);
  log(
    `γ3: ${nodes} triangles (${nr} r nodes ${r3grid[0]}–${r3grid[nr - 1]} Å, ${nth} θ nodes ${theta[0]}–180°) × 12 paths`,
  );
  const tri: { node: number; r1: number; r2: number; th: number }[] = [];
  let node = 0;
  for (let i1 = 0; i1 < nr; i1++)
    for (let i2 = i1; i2 < nr; i2++)
      for (let it = 0; it < nth; it++)
        tri.push({ node: node++, r1: r3grid[i1], r2: r3grid[i2], th: theta[it] });
  opts.onProgress?.('γ3 triangles', 0, tri.length);
  const perBatch = 833; // 833 × 12 = 9996 paths ≤ 9999
  for (let s = 0; s < tri.length; s += perBatch) {
    const part = tri.slice(s, s + perBatch);
    const tps = part.map((t) => trianglePaths(t.r1, t.r2, t.th));
    const res: FeffPath[] = runPaths(
      pots,
      tps.flatMap((tp) => tp.map((x) => x.spec)),
      { batch: 9999 },
    );
    let q = 0;
    part.forEach((t, j) => {
      for (const tp of tps[j]) {
        const p = res[q++];
        if (!sameK(p.k, kGrid)) throw new Error('FEFF returned different k grids for different paths');
        const { re, im } = pathReducedAmplitude(p);
        const base = (t.node * ncl + tp.cls) * 2 * nk;
        for (let k = 0; k < nk; k++) {
          raw3[base + k] += re[k];
          raw3[base + nk + k] += im[k];
        }
      }
    });
    opts.onProgress?.('γ3 triangles', Math.min(tri.length, s + perBatch), tri.length);
  }

  // ---- compression of γ3 in k: weighted PCA over all rows (node, class, re|im), each complex
  // row (node, class) normalised to unit weighted norm, so that the basis fits weak triangles
  // (long sides, 60–120°) as well as the strong short collinear ones that dominate the raw norm
  const w = new Float64Array(nk);
  for (let i = 0; i < nk; i++) {
    const dk = (kGrid[Math.min(nk - 1, i + 1)] - kGrid[Math.max(0, i - 1)]) / 2;
    w[i] = Math.sqrt(dk) * Math.max(1, kGrid[i]);
  }
  const G = new Float64Array(nk * nk);
  const rows = nodes * ncl * 2;
  const xr = new Float64Array(nk);
  for (let r = 0; r < rows; r++) {
    const c0 = (r >> 1) * 2 * nk; // this (node, class): re row then im row
    let norm = 0;
    for (let k = 0; k < 2 * nk; k++) norm += (raw3[c0 + k] * w[k % nk]) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < nk; k++) xr[k] = raw3[r * nk + k] * w[k] * scale;
    for (let a = 0; a < nk; a++) {
      const xa = xr[a];
      if (xa === 0) continue;
      for (let b = a; b < nk; b++) G[a * nk + b] += xa * xr[b];
    }
  }
  for (let a = 0; a < nk; a++) for (let b = 0; b < a; b++) G[a * nk + b] = G[b * nk + a];
  const { values, vectors } = symmetricEigen(G, nk);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  const maxM = Math.min(nk, opts.maxBasis ?? 40);
  const tol = opts.pcaTolerance ?? 1e-3;
  let M: number;
  let tail = total;
  for (M = 1; M <= maxM; M++) {
    tail -= Math.max(0, values[M - 1]);
    if (Math.sqrt(Math.max(0, tail) / total) < tol) break;
  }
  M = Math.min(M, maxM);
  let resid = 0;
  for (let m = M; m < nk; m++) resid += Math.max(0, values[m]);
  const pcaResidual = Math.sqrt(resid / total);
  log(`γ3: ${M} k basis functions, relative residual ${pcaResidual.toExponential(2)}`);
  const basis = new Float32Array(M * nk);
  for (let m = 0; m < M; m++) for (let k = 0; k < nk; k++) basis[m * nk + k] = vectors[k * nk + m] / w[k];
  const coef = new Float32Array(nodes * ncl * M * 2);
  for (let n = 0; n < nodes; n++)
    for (let cl = 0; cl < ncl; cl++)
      for (let part = 0; part < 2; part++) {
        const r = (n * ncl + cl) * 2 + part;
        for (let m = 0; m < M; m++) {
          let s = 0;
          for (let k = 0; k < nk; k++) s += raw3[r * nk + k] * w[k] * vectors[k * nk + m];
          coef[((n * ncl + cl) * M + m) * 2 + part] = s;
        }
      }

  const header: Omit<TableHeader, 'checksum'> = {
    format: 'exafsnn-gamma-tables',
    version: TABLE_FORMAT_VERSION,
    element: settings.element,
    edge: settings.edge,
    created: new Date().toISOString(),
    builder: 'exafsnn tables build',
    feff: {
      version: pots.version,
      package: pots.packageVersion,
      settings: {
        ...settings,
        critcw: 0,
        exchange: 'Hedin-Lundqvist (FEFF default)',
        s02: 1,
        potentials: 'self-consistent, reference solid, absorber with core hole',
      },
      potentials: `${settings.element} reference solid, a = ${settings.lattice} Å`,
    },
    k: Array.from(kGrid),
    gamma2: {
      rMin: r2grid[0],
      rStep: (r2grid[r2grid.length - 1] - r2grid[0]) / (r2grid.length - 1),
      nr: r2grid.length,
      components: GAMMA2_COMPONENTS.map((c) => ({ name: c.name, lengthFactor: c.lengthFactor })),
      offset: 0,
      count: g2.length,
    },
    gamma3: {
      rMin: r3grid[0],
      rStep: (r3grid[nr - 1] - r3grid[0]) / (nr - 1),
      nr,
      theta,
      classes: [...GAMMA3_CLASSES],
      nodes,
      m: M,
      basisOffset: 0,
      coefOffset: 0,
      count: 0,
      pcaResidual,
      firstShellCutoff: r3grid[nr - 1],
      nearestNeighbour: Math.round(d1 * 1e4) / 1e4,
    },
    notes: [
      'chi(k) = Im{C(k) exp(i k L)}; gamma2: L = 2r (ss), 4r (ms4); gamma3: L = a+b+c (ds), 2(a+b), 2(a+c), 2(b+c) (triple scattering)',
      'S0^2 = 1 and no Debye-Waller factor in the tables: disorder comes from the configurations',
    ],
  };
  const bytes = serializeTables({
    header,
    element: settings.element,
    edge: settings.edge,
    k: kGrid,
    g2,
    basis,
    coef,
  });
  const tables = parseTables(bytes, '(built in memory)');
  tables.path = null;
  return { tables, bytes, raw3 };
}
