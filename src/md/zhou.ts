/**
 * The Zhou–Johnson–Wadley EAM (X. W. Zhou, R. A. Johnson, H. N. G. Wadley, Phys. Rev. B 69,
 * 144113 (2004), Table III) for Ni, Cu, Co and Fe, tabulated by our own code into setfl files.
 *
 *   f(r)  = fe·exp[−β(r/re − 1)] / (1 + (r/re − λ)^20)                      electron density
 *   φ(r)  = A·exp[−α(r/re − 1)] / (1 + (r/re − κ)^20)
 *         − B·exp[−β(r/re − 1)] / (1 + (r/re − λ)^20)                       pair potential
 *   F(ρ)  = Σ_{i=0..3} Fn_i (ρ/ρn − 1)^i              ρ < ρn = 0.85 ρe
 *         = Σ_{i=0..3} F_i  (ρ/ρe − 1)^i              ρn ≤ ρ < ρ0 = 1.15 ρe
 *         = Fe·[1 − ln((ρ/ρs)^η)]·(ρ/ρs)^η           ρ ≥ ρ0
 *
 * The numbers below were typed from the published table (cross-read against the parameter list
 * of LAMMPS' tools/eam_database, which reproduces it). The cutoff and grids are our choice
 * (see defaultGrid): the functions are smaller than 1e-6 eV at the cutoff, and the cutoff sits
 * between the 5th and 6th fcc neighbour shells rather than on one.
 */
import type { EamTables } from './eam.js';
import { UserError } from '../util/errors.js';

export interface ZhouParams {
  symbol: string;
  z: number;
  mass: number;
  structure: 'fcc' | 'bcc' | 'hcp';
  re: number;
  fe: number;
  rhoe: number;
  rhos: number;
  alpha: number;
  beta: number;
  A: number;
  B: number;
  kappa: number;
  lambda: number;
  Fn: [number, number, number, number];
  F: [number, number, number, number];
  eta: number;
  Fe: number;
  /** published fcc lattice constant (Å) and cohesive energy (eV) of the fit, where we check them */
  published?: { a: number; ec: number };
}

/** Parameters of ZJW 2004 (Table III). Units: Å, eV; ρ in the paper's arbitrary density units. */
export const ZHOU_PARAMS: Record<string, ZhouParams> = {
  Ni: {
    symbol: 'Ni',
    z: 28,
    mass: 58.6934,
    structure: 'fcc',
    re: 2.488746,
    fe: 2.007018,
    rhoe: 27.562015,
    rhos: 27.562031,
    alpha: 8.383453,
    beta: 4.471175,
    A: 0.429046,
    B: 0.633531,
    kappa: 0.443599,
    lambda: 0.820658,
    Fn: [-2.693513, -0.076445, 0.241442, -2.375626],
    F: [-2.7, 0, 0.26539, -0.152856],
    eta: 0.44547,
    Fe: -2.7,
    published: { a: 3.52, ec: 4.45 },
  },
  Cu: {
    symbol: 'Cu',
    z: 29,
    mass: 63.546,
    structure: 'fcc',
    re: 2.556162,
    fe: 1.554485,
    rhoe: 21.175871,
    rhos: 21.175395,
    alpha: 8.12762,
    beta: 4.334731,
    A: 0.39662,
    B: 0.548085,
    kappa: 0.308782,
    lambda: 0.756515,
    Fn: [-2.170269, -0.263788, 1.088878, -0.817603],
    F: [-2.19, 0, 0.56183, -2.100595],
    eta: 0.31049,
    Fe: -2.186568,
    published: { a: 3.615, ec: 3.54 },
  },
  Co: {
    symbol: 'Co',
    z: 27,
    mass: 58.9332,
    structure: 'hcp',
    re: 2.505979,
    fe: 1.975299,
    rhoe: 27.206789,
    rhos: 27.206789,
    alpha: 8.679625,
    beta: 4.629134,
    A: 0.421378,
    B: 0.640107,
    kappa: 0.5,
    lambda: 1.0,
    Fn: [-2.541799, -0.219415, 0.733381, -1.589003],
    F: [-2.56, 0, 0.705845, -0.68714],
    eta: 0.694608,
    Fe: -2.559307,
  },
  Fe: {
    symbol: 'Fe',
    z: 26,
    mass: 55.847,
    structure: 'bcc',
    re: 2.481987,
    fe: 1.885957,
    rhoe: 20.041463,
    rhos: 20.041463,
    alpha: 9.81827,
    beta: 5.236411,
    A: 0.392811,
    B: 0.646243,
    kappa: 0.170306,
    lambda: 0.340613,
    Fn: [-2.534992, -0.059605, 0.193065, -2.282322],
    F: [-2.54, 0, 0.200269, -0.14877],
    eta: 0.39175,
    Fe: -2.539945,
  },
};

export function zhouDensity(p: ZhouParams, r: number): number {
  const x = r / p.re;
  return (p.fe * Math.exp(-p.beta * (x - 1))) / (1 + Math.pow(x - p.lambda, 20));
}

export function zhouPair(p: ZhouParams, r: number): number {
  const x = r / p.re;
  return (
    (p.A * Math.exp(-p.alpha * (x - 1))) / (1 + Math.pow(x - p.kappa, 20)) -
    (p.B * Math.exp(-p.beta * (x - 1))) / (1 + Math.pow(x - p.lambda, 20))
  );
}

export function zhouEmbedding(p: ZhouParams, rho: number): number {
  const rhon = 0.85 * p.rhoe;
  const rho0 = 1.15 * p.rhoe;
  if (rho < rhon) {
    const u = rho / rhon - 1;
    return p.Fn[0] + u * (p.Fn[1] + u * (p.Fn[2] + u * p.Fn[3]));
  }
  if (rho < rho0) {
    const u = rho / p.rhoe - 1;
    return p.F[0] + u * (p.F[1] + u * (p.F[2] + u * p.F[3]));
  }
  const s = Math.pow(rho / p.rhos, p.eta);
  return p.Fe * (1 - Math.log(s)) * s;
}

export interface GridSpec {
  nr: number;
  nrho: number;
  cutoff: number;
  rhomax: number;
}

/** Our tabulation grid: r up to 2.37·re (5.90 Å for Ni), ρ up to max(100, 3ρe), 3000 points each. */
export function defaultGrid(p: ZhouParams): GridSpec {
  return {
    nr: 3000,
    nrho: 3000,
    cutoff: Math.round(2.37 * p.re * 100) / 100,
    rhomax: Math.max(100, 3 * p.rhoe),
  };
}

/** Lattice constant of the element's ground-state structure implied by re (nearest-neighbour distance). */
export function zhouLattice(p: ZhouParams): number {
  if (p.structure === 'fcc') return p.re * Math.SQRT2;
  if (p.structure === 'bcc') return (2 * p.re) / Math.sqrt(3);
  return p.re;
}

/** Tabulate one element of ZJW 2004 as setfl tables. */
export function tabulateZhou(symbol: string, grid?: Partial<GridSpec>): EamTables {
  const p = ZHOU_PARAMS[symbol];
  if (!p)
    throw new UserError(
      `no Zhou–Johnson–Wadley parameters for "${symbol}" (have ${Object.keys(ZHOU_PARAMS).join(', ')})`,
    );
  const g = { ...defaultGrid(p), ...grid };
  const dr = g.cutoff / (g.nr - 1);
  const drho = g.rhomax / (g.nrho - 1);
  const frho = new Float64Array(g.nrho);
  const rhor = new Float64Array(g.nr);
  const z2r = new Float64Array(g.nr);
  for (let k = 0; k < g.nrho; k++) frho[k] = zhouEmbedding(p, k * drho);
  for (let k = 0; k < g.nr; k++) {
    const r = k * dr;
    rhor[k] = zhouDensity(p, r);
    z2r[k] = r * zhouPair(p, r);
  }
  return {
    source: `generated:zhou04:${symbol}`,
    comments: [
      `${symbol} EAM of X. W. Zhou, R. A. Johnson, H. N. G. Wadley, Phys. Rev. B 69, 144113 (2004), Table III`,
      `tabulated by exafsnn (src/md/zhou.ts) from the analytic functions; setfl r*phi in eV*A; units metal`,
      `grid: Nr=${g.nr} cutoff=${g.cutoff} A, Nrho=${g.nrho} rhomax=${g.rhomax}`,
    ],
    elements: [
      { symbol, z: p.z, mass: p.mass, lattice: Number(zhouLattice(p).toFixed(6)), structure: p.structure },
    ],
    nrho: g.nrho,
    drho,
    nr: g.nr,
    dr,
    cutoff: g.cutoff,
    frho: [frho],
    rhor: [rhor],
    z2r: [z2r],
  };
}
