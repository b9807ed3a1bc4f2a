/**
 * The forward check: χ(k) re-simulated from a predicted structure (g(r), ρ, N(θ)) through the
 * γ tables, compared with the measured χ(k).
 *
 * 2-body part (exact for a pair distribution, docs/design.md / GNXAS):
 *   χ2(k) = ∫ 4πr²ρ g(r) γ2(r, k) dr
 * 3-body part (an approximation: the networks predict N(θ), not the full triplet distribution
 * g3(r1, r2, θ)): each neighbour pair counted by N(θ) is a triplet with its vertex at the absorber;
 * its two bonds r1, r2 are drawn independently from the first-shell radial distribution (the
 * normalised RDF over the first shell, its spread scaled by 1/√2 — see `radialSpread`), i.e.
 * g3 ≈ g2·g2 within the shell (superposition).
 *   χ3(k) ≈ Σ_θ N(θ)Δθ · w(θ) · ⟨γ3(r1, r2, θ, k)⟩_{r1,r2 ∈ shell}
 * w(θ) = 1/3 where the third side 2·R1·sin(θ/2) is itself a first-shell bond (such a triangle is
 * counted at each of its three vertices by N(θ) but is one triplet in the sum of docs/design.md), else 1.
 * Angles below the γ3 table's first angle are skipped (in close-packed metals N(θ) is zero there).
 *
 * The networks are trained to be independent of E0, so before comparing, the energy origin ΔE and
 * the amplitude factor S0² of the re-simulated signal are fitted to the data (ΔE by a scan and
 * golden-section refinement, S0² in closed form), and both are reported.
 */
import type { GammaTables } from '../theory/table.js';
import { gamma2At, gamma3At } from '../theory/table.js';
import { ETOK, shiftedK } from './kgrid.js';

export interface StructureForResimulation {
  r: ArrayLike<number>;
  g: ArrayLike<number>;
  /** number density ρ (Å⁻³) */
  density: number;
  theta?: ArrayLike<number>;
  /** N(θ) per absorbing atom per degree */
  bad?: ArrayLike<number>;
  /** first-shell range [Å] (from the prediction's first-shell analysis: see shellForTriplets) */
  shell: { from: number; to: number };
}

/**
 * Above this R-factor the re-simulated χ(k) does not reproduce the data well enough to trust the
 * predicted structure without a look (the usual EXAFS-fit acceptance is R ≲ 0.02–0.05; the
 * superposition approximation of the 3-body term alone stays below 0.1 on the measured Ni foil).
 */
export const R_FACTOR_WARNING = 0.1;

/** The warning shown with a forward check whose R-factor exceeds R_FACTOR_WARNING, else null. */
export function rFactorWarning(rFactor: number): string | null {
  if (!(rFactor > R_FACTOR_WARNING)) return null;
  return (
    `the χ(k) re-simulated from the predicted structure misses the data (R-factor ${rFactor.toFixed(3)} > ${R_FACTOR_WARNING}): ` +
    'the prediction does not reproduce this spectrum — check the element, edge, k range and data quality before using R1, CN or N(θ)'
  );
}

/**
 * The shell whose pairs make the 3-body term: from the first shell's lower limit to its `cutoff`
 * (src/analysis/firstShell.ts; bcc: the combined 8 + 6 shell, the neighbours N(θ) counts). Without
 * a first shell (NaN limits) the range is empty and χ3 = 0.
 */
export function shellForTriplets(fs: { r_lower: number; cutoff: number }): { from: number; to: number } {
  return Number.isFinite(fs.r_lower) && Number.isFinite(fs.cutoff)
    ? { from: fs.r_lower, to: fs.cutoff }
    : { from: 0, to: 0 };
}

export interface ResimulateOptions {
  /** k grid of the output (Å⁻¹) */
  kGrid: ArrayLike<number>;
  /** include the 3-body term (default true when N(θ) is given) */
  threeBody?: boolean;
  /** radial quadrature points of the first shell for the 3-body term (default 5) */
  shellPoints?: number;
  /**
   * scale of the bond-length spread used in the 3-body term relative to the pair distribution's
   * (default 1/√2: the pair width holds the displacements of both atoms, but the two bonds of a
   * triplet share the vertex atom, so drawing them independently with the full pair width
   * over-damps γ3; the single-atom width, 1/√2 of it, matches the direct triplet average of
   * displaced fcc to within 3 % in amplitude at σ = 0.04–0.10 Å — test/exafs/resimulate.test.ts)
   */
  radialSpread?: number;
}

export interface ResimulatedChi {
  k: Float64Array;
  chi: Float64Array;
  chi2: Float64Array;
  chi3: Float64Array;
}

/** χ(k) from g(r), ρ and N(θ) (S0² = 1, ΔE = 0). */
export function chiFromStructure(
  s: StructureForResimulation,
  tables: GammaTables,
  opts: ResimulateOptions,
): ResimulatedChi {
  const k = Float64Array.from(opts.kGrid);
  const nk = k.length;
  const chi2 = new Float64Array(nk);
  const h2 = tables.header.gamma2;
  const r2min = h2.rMin;
  const r2max = h2.rMin + h2.rStep * (h2.nr - 1);
  const n = s.r.length;
  for (let i = 0; i < n; i++) {
    const r = s.r[i];
    const g = s.g[i];
    if (!(g > 0) || r < r2min || r > r2max) continue;
    const dr = i + 1 < n ? s.r[i + 1] - s.r[i] : s.r[i] - s.r[i - 1];
    const w = 4 * Math.PI * r * r * s.density * g * dr;
    const gam = gamma2At(tables, r, k);
    for (let q = 0; q < nk; q++) chi2[q] += w * gam[q];
  }
  const chi3 = new Float64Array(nk);
  const threeBody = (opts.threeBody ?? true) && s.theta && s.bad && s.theta.length > 1;
  if (threeBody) {
    const h3 = tables.header.gamma3;
    const rMin3 = h3.rMin;
    const rMax3 = h3.rMin + h3.rStep * (h3.nr - 1);
    const nodes = shellQuadrature(s, opts.shellPoints ?? 5, rMin3, rMax3);
    if (nodes.r.length > 0) {
      // mean first-shell distance for the "is the third side a bond?" test
      let r1 = 0;
      for (let a = 0; a < nodes.r.length; a++) r1 += nodes.w[a] * nodes.r[a];
      const f = opts.radialSpread ?? Math.SQRT1_2;
      for (let a = 0; a < nodes.r.length; a++) nodes.r[a] = r1 + f * (nodes.r[a] - r1);
      const theta = s.theta!;
      const bad = s.bad!;
      const thMin = h3.theta[0];
      for (let j = 0; j < theta.length; j++) {
        const th = theta[j];
        const c = bad[j];
        if (!(c > 0) || th < thMin || th > 180) continue;
        const dth = j + 1 < theta.length ? theta[j + 1] - theta[j] : theta[j] - theta[j - 1];
        const third = 2 * r1 * Math.sin((th * Math.PI) / 360);
        const w = (third < s.shell.to ? 1 / 3 : 1) * c * dth;
        for (let a = 0; a < nodes.r.length; a++)
          for (let b = a; b < nodes.r.length; b++) {
            const pw = (a === b ? 1 : 2) * nodes.w[a] * nodes.w[b] * w;
            const gam = gamma3At(tables, nodes.r[a], nodes.r[b], th, k);
            for (let q = 0; q < nk; q++) chi3[q] += pw * gam[q];
          }
      }
    }
  }
  const chi = new Float64Array(nk);
  for (let q = 0; q < nk; q++) chi[q] = chi2[q] + chi3[q];
  return { k, chi, chi2, chi3 };
}

/** Equal-probability quadrature nodes of the first-shell radial distribution 4πr²ρg(r). */
function shellQuadrature(
  s: StructureForResimulation,
  m: number,
  rMin: number,
  rMax: number,
): { r: Float64Array; w: Float64Array } {
  const rs: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < s.r.length; i++) {
    const r = s.r[i];
    if (r < s.shell.from || r > s.shell.to || !(s.g[i] > 0)) continue;
    rs.push(r);
    ps.push(r * r * s.g[i]);
  }
  const tot = ps.reduce((a, b) => a + b, 0);
  if (!(tot > 0)) return { r: new Float64Array(0), w: new Float64Array(0) };
  // mean r in each of m equal-probability slices
  const r = new Float64Array(m);
  const w = new Float64Array(m).fill(1 / m);
  let cum = 0;
  const acc = new Float64Array(m);
  const accw = new Float64Array(m);
  for (let i = 0; i < rs.length; i++) {
    const p = ps[i] / tot;
    const mid = cum + p / 2;
    cum += p;
    const slot = Math.min(m - 1, Math.floor(mid * m));
    acc[slot] += p * rs[i];
    accw[slot] += p;
  }
  let kept = 0;
  for (let a = 0; a < m; a++) {
    if (accw[a] <= 0) continue;
    r[kept] = Math.min(rMax, Math.max(rMin, acc[a] / accw[a]));
    w[kept] = accw[a];
    kept++;
  }
  return { r: r.subarray(0, kept), w: w.subarray(0, kept) };
}

export interface ForwardCheckOptions {
  kweight: number;
  kmin: number;
  kmax: number;
  /** ΔE search range in eV (default the training range, −5…+10, widened by 5 eV each side) */
  dERange?: [number, number];
  /** fit S0² (default true); otherwise use `s02` */
  fitS02?: boolean;
  s02?: number;
}

export interface ForwardCheck {
  k: Float64Array;
  /** re-simulated χ(k) with the fitted ΔE and S0², on the data's k grid */
  chi: Float64Array;
  chi2: Float64Array;
  chi3: Float64Array;
  dE: number;
  s02: number;
  /** Σ(k^w(χ_data − χ_sim))² / Σ(k^w χ_data)² over [kmin, kmax] */
  r_factor: number;
}

/** Linear interpolation of y(x) (x increasing, uniform or not) at xi; NaN outside. */
function interpAt(x: Float64Array, y: Float64Array, xi: number): number {
  if (!(xi >= x[0] && xi <= x[x.length - 1])) return NaN;
  let lo = 0,
    hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= xi) lo = mid;
    else hi = mid;
  }
  const t = (xi - x[lo]) / (x[hi] - x[lo] || 1);
  return y[lo] + t * (y[hi] - y[lo]);
}

/**
 * Re-simulate χ(k) on a fine grid, then fit ΔE and S0² against the measured χ(k) (kData, chiData)
 * and return the R-factor over [kmin, kmax] with k^w weighting.
 */
export function forwardCheck(
  s: StructureForResimulation,
  tables: GammaTables,
  kData: ArrayLike<number>,
  chiData: ArrayLike<number>,
  opts: ForwardCheckOptions,
): ForwardCheck {
  const kmaxFine = Math.min(
    tables.k[tables.k.length - 1],
    Math.sqrt(opts.kmax * opts.kmax + ETOK * 20) + 0.1,
  );
  const nFine = Math.round(kmaxFine / 0.01) + 1;
  const kFine = Float64Array.from({ length: nFine }, (_, i) => i * 0.01);
  const sim = chiFromStructure(s, tables, { kGrid: kFine });
  const sel: number[] = [];
  for (let i = 0; i < kData.length; i++)
    if (kData[i] >= opts.kmin && kData[i] <= opts.kmax && Number.isFinite(chiData[i])) sel.push(i);
  const kd = Float64Array.from(sel, (i) => kData[i]);
  const wd = Float64Array.from(sel, (i) => Math.pow(kData[i], opts.kweight) * chiData[i]);
  const kw = Float64Array.from(kd, (kk) => Math.pow(kk, opts.kweight));
  const fitS02 = opts.fitS02 ?? true;

  const evaluate = (dE: number) => {
    const kp = shiftedK(kd, dE);
    const ys = new Float64Array(kd.length);
    for (let i = 0; i < kd.length; i++) {
      const v = Number.isFinite(kp[i]) ? interpAt(kFine, sim.chi, kp[i]) : 0;
      ys[i] = Number.isFinite(v) ? kw[i] * v : 0;
    }
    let sxy = 0,
      syy = 0,
      sxx = 0;
    for (let i = 0; i < ys.length; i++) {
      sxy += wd[i] * ys[i];
      syy += ys[i] * ys[i];
      sxx += wd[i] * wd[i];
    }
    let s02 = fitS02 ? (syy > 0 ? sxy / syy : 1) : (opts.s02 ?? 1);
    if (fitS02) s02 = Math.min(1.5, Math.max(0.3, s02));
    let res = 0;
    for (let i = 0; i < ys.length; i++) res += (wd[i] - s02 * ys[i]) ** 2;
    return { rf: sxx > 0 ? res / sxx : NaN, s02 };
  };

  const [lo, hi] = opts.dERange ?? [-10, 15];
  let best = lo;
  let bestRf = Infinity;
  for (let dE = lo; dE <= hi + 1e-9; dE += 0.25) {
    const { rf } = evaluate(dE);
    if (rf < bestRf) {
      bestRf = rf;
      best = dE;
    }
  }
  // golden-section refinement within ±0.25 eV
  let a = best - 0.25,
    b = best + 0.25;
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 30; it++) {
    const c = b - gr * (b - a),
      d = a + gr * (b - a);
    if (evaluate(c).rf < evaluate(d).rf) b = d;
    else a = c;
  }
  const dE = (a + b) / 2;
  const fin = evaluate(dE);
  // final curves on the data's k grid
  const kAll = Float64Array.from(kData);
  const kp = shiftedK(kAll, dE);
  const chi = new Float64Array(kAll.length);
  const c2 = new Float64Array(kAll.length);
  const c3 = new Float64Array(kAll.length);
  for (let i = 0; i < kAll.length; i++) {
    if (!Number.isFinite(kp[i])) continue;
    const v = interpAt(kFine, sim.chi, kp[i]);
    if (!Number.isFinite(v)) continue;
    chi[i] = fin.s02 * v;
    c2[i] = fin.s02 * interpAt(kFine, sim.chi2, kp[i]);
    c3[i] = fin.s02 * interpAt(kFine, sim.chi3, kp[i]);
  }
  return { k: kAll, chi, chi2: c2, chi3: c3, dE, s02: fin.s02, r_factor: fin.rf };
}
