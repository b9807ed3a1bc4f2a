/**
 * A small synthetic data set with real physics in it, for tests and benchmarks of the training
 * machinery (not for scientific use): each sample is a set of Gaussian coordination shells,
 * g(r) follows from them, and χ(k) is the single-scattering EXAFS integral of that g(r),
 *   χ(k) = ∫ 4πr²ρ g(r) · A(k) sin(2kr + φ) e^{−2r/λ} / (k r²) dr,
 * with a toy amplitude A(k) and constant phase φ. χ is linear in g, so g is learnable from χ.
 * N(θ) is a sum of Gaussians at the ideal bond angles of the class with widths from σ1/R1.
 */
import { Rng } from '../util/rng.js';
import type { TrainingData } from './types.js';

export interface SyntheticOptions {
  n: number;
  seed: number;
  nk?: number;
  kmin?: number;
  kmax?: number;
  nr?: number;
  rmin?: number;
  rmax?: number;
  ntheta?: number;
}

interface ClassDef {
  name: string;
  shells: [number, number][]; // (R/R1, CN)
  angles: [number, number][]; // (θ degrees, count)
  rhoOf(R1: number): number;
  liquid: boolean;
}

const CLASSES: ClassDef[] = [
  {
    name: 'fcc',
    shells: [
      [1, 12],
      [Math.SQRT2, 6],
      [Math.sqrt(3), 24],
      [2, 12],
    ],
    angles: [
      [60, 24],
      [90, 12],
      [120, 24],
      [180, 6],
    ],
    rhoOf: (R1) => 4 / Math.pow(R1 * Math.SQRT2, 3),
    liquid: false,
  },
  {
    name: 'bcc',
    shells: [
      [1, 8],
      [2 / Math.sqrt(3), 6],
      [Math.sqrt(8 / 3), 12],
      [Math.sqrt(11 / 3), 24],
    ],
    angles: [
      [70.53, 12],
      [109.47, 12],
      [180, 4],
    ],
    rhoOf: (R1) => 2 / Math.pow((2 * R1) / Math.sqrt(3), 3),
    liquid: false,
  },
  {
    name: 'liquid',
    shells: [
      [1, 11],
      [1.85, 40],
    ],
    angles: [
      [58, 22],
      [110, 25],
      [160, 8],
    ],
    rhoOf: (R1) => 0.92 * (4 / Math.pow(R1 * Math.SQRT2, 3)),
    liquid: true,
  },
];

export function syntheticData(o: SyntheticOptions): TrainingData {
  const nk = o.nk ?? 40;
  const nr = o.nr ?? 40;
  const nth = o.ntheta ?? 36;
  const kmin = o.kmin ?? 2;
  const kmax = o.kmax ?? 12;
  const rmin = o.rmin ?? 1.5;
  const rmax = o.rmax ?? 6;
  const k = new Float64Array(nk).map((_, i) => kmin + ((kmax - kmin) * i) / (nk - 1));
  const r = new Float64Array(nr).map((_, i) => rmin + ((rmax - rmin) * i) / (nr - 1));
  const theta = new Float64Array(nth).map((_, i) => (180 * (i + 0.5)) / nth);
  const dr = r[1] - r[0];
  const dth = 180 / nth;
  // a fine r grid for the χ integral so χ is smooth in the shell parameters
  const nf = 400;
  const rf = new Float64Array(nf).map((_, i) => rmin + ((rmax - rmin) * (i + 0.5)) / nf);
  const drf = (rmax - rmin) / nf;
  const chi = new Float32Array(o.n * nk);
  const gr = new Float32Array(o.n * nr);
  const bad = new Float32Array(o.n * nth);
  const density = new Float32Array(o.n);
  const structure: string[] = [];
  const rng = new Rng(o.seed);
  const rdfF = new Float64Array(nf);
  const gAt = (x: number, R1: number, s1: number, cnScale: number, cls: ClassDef, rho: number): number => {
    let g = 0;
    cls.shells.forEach(([f, cn], s) => {
      const R = f * R1;
      const sig = s1 * (cls.liquid ? 1.5 + s : 1 + 0.3 * s);
      const c = (s === 0 ? cnScale : 1) * cn;
      g +=
        ((c / (4 * Math.PI * x * x * rho)) * Math.exp(-0.5 * ((x - R) / sig) ** 2)) /
        (sig * Math.sqrt(2 * Math.PI));
    });
    // continuum beyond the listed shells → g → 1 at large r
    const rc = (cls.shells[cls.shells.length - 1][0] + 0.35) * R1;
    g += 1 / (1 + Math.exp(-(x - rc) / 0.15));
    return g;
  };
  for (let s = 0; s < o.n; s++) {
    const cls = CLASSES[rng.int(CLASSES.length)];
    const R1 = rng.range(2.4, 2.6);
    const s1 = cls.liquid ? rng.range(0.12, 0.2) : rng.range(0.05, 0.11);
    const cnScale = rng.range(0.85, 1.0);
    const rho = cls.rhoOf(R1);
    structure.push(cls.name);
    density[s] = rho;
    for (let i = 0; i < nr; i++) gr[s * nr + i] = gAt(r[i], R1, s1, cnScale, cls, rho);
    for (let j = 0; j < nf; j++)
      rdfF[j] = 4 * Math.PI * rf[j] * rf[j] * rho * gAt(rf[j], R1, s1, cnScale, cls, rho);
    for (let i = 0; i < nk; i++) {
      const kk = k[i];
      const amp = 0.9 * Math.exp(-kk / 12) * (1 - Math.exp(-kk / 3));
      let acc = 0;
      for (let j = 0; j < nf; j++) {
        const x = rf[j];
        acc += (rdfF[j] * Math.sin(2 * kk * x + 0.6) * Math.exp((-2 * x) / 6)) / (kk * x * x);
      }
      chi[s * nk + i] = amp * acc * drf * 0.2;
    }
    const wth = (s1 / R1) * (180 / Math.PI) * 1.4 + (cls.liquid ? 10 : 2);
    for (let i = 0; i < nth; i++) {
      let v = 0;
      for (const [a, c] of cls.angles)
        v += (c * cnScale * Math.exp(-0.5 * ((theta[i] - a) / wth) ** 2)) / (wth * Math.sqrt(2 * Math.PI));
      bad[s * nth + i] = v;
    }
    void dr;
    void dth;
  }
  return {
    n: o.n,
    k,
    chi,
    r,
    gr,
    theta,
    bad,
    density,
    structure,
    identity: { source: 'synthetic', seed: o.seed, n: o.n },
  };
}
