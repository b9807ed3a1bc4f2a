/**
 * The forward check: χ(k) re-simulated from a predicted structure (g(r), ρ, N(θ)) through the
 * γ tables, compared with the measured χ(k).
 *
 * 2-body part (exact for a pair distribution, docs/design.md / GNXAS):
 *   χ2(k) = ∫ 4πr²ρ g(r) γ2(r, k) dr
 * 3-body part (an approximation: the networks predict N(θ), not the full triplet distribution
 * g3(r1, r2, θ)): each neighbour pair counted by N(θ) is a triplet with its vertex at the absorber;
 * its bond lengths r1, r2 are distributed over the first shell by a (tempered) Kirkwood
 * superposition r1²g(r1)·r2²g(r2)·g(r3)^α, normalised in each θ bin to N(θ) — see
 * `chi3Superposition`. This puts bcc's 8–8 bonds at 70.5°/109.5°/180°, 8–6 at 54.7°/125.3° and
 * 6–6 at 90°/180°; the old term, both bonds drawn independently from the one combined shell, left
 * a floor of R ≈ 0.25 on true bcc structures.
 *   χ3(k) ≈ Σ_θ N(θ)Δθ Σ_{r1,r2} P(r1, r2 | θ) · w · γ3(r1, r2, θ, k)
 * w = 1/3 where the third side r3 is itself within the cutoff (such a triangle is counted at each of
 * its three vertices by N(θ) but is one triplet in the sum of docs/design.md), else 1.
 *
 * The networks are trained to be independent of E0, so before comparing, the energy origin ΔE and
 * the amplitude factor S0² of the re-simulated signal are fitted to the data (ΔE by a scan and
 * golden-section refinement, S0² in closed form), and both are reported.
 */
import type { GammaTables } from '../theory/table.js';
import { gamma2At, g3Node, thetaCell } from '../theory/table.js';
import { splinePlan, splineApply, splineSecondDerivatives } from '../theory/spline.js';
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
  /**
   * scale of the bond-length spread in the 3-body term about each sub-shell's peak (default 1: the
   * pair distribution's own width). The old independent-bond term needed 1/√2; with the
   * superposition weights a narrower spread makes the re-simulation worse (measured: R-factor of
   * MD bcc Fe 0.02–0.03 at 1, 0.12–0.16 at 1/√2).
   */
  radialSpread?: number;
  /**
   * exponent α of g(r3) in the triplet weights r1²g(r1)·r2²g(r2)·g(r3)^α (default
   * TRIPLET_EXPONENT = 1/2; 1 is the plain Kirkwood superposition, 0 independent bonds)
   */
  tripletExponent?: number;
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
  const threeBody = (opts.threeBody ?? true) && s.theta && s.bad && s.theta.length > 1;
  const chi3 = threeBody ? chi3Superposition(s, tables, k, opts) : new Float64Array(nk);
  const chi = new Float64Array(nk);
  for (let q = 0; q < nk; q++) chi[q] = chi2[q] + chi3[q];
  return { k, chi, chi2, chi3 };
}

/**
 * Default exponent of g(r3) in the superposition weights. N(θ) already holds the angular spread
 * that the same atomic displacements give g(r3); the full weight g(r3) imposes it a second time
 * and over-constrains (r1, r2) at each angle. g(r3)^½ (a Gaussian peak of g widened by √2) was
 * chosen by measurement — forward check of true structures against their own χ(k), k² 4–14 Å⁻¹
 * (docs/report.md "Forward check"); α scan on MD bcc Fe 310 K (6 dataset samples): 0 (independent
 * bonds) 0.24–0.29, 0.25: 0.016–0.028, 0.35: 0.012–0.026, 0.5: 0.020–0.033, 0.7: 0.042–0.052,
 * 1: 0.064–0.095; MD fcc Cu 250 K: α = 0.5 0.001–0.006, α = 1 0.018–0.033 (old term 0.005–0.018).
 */
export const TRIPLET_EXPONENT = 0.5;

/** Radial node spacing of the 3-body term (Å): g(r) bins are merged up to this width. */
const NODE_DR = 0.05;
/** Path-length bin of the γ3 contraction (Å), as in src/exafs/chi.ts. */
const HL = 0.02;

/** g(r) at x by linear interpolation; 0 below the grid, 1 (uncorrelated) above it, negative g clipped. */
function gAt(r: ArrayLike<number>, g: ArrayLike<number>, x: number): number {
  const n = r.length;
  if (x < r[0]) return 0;
  if (x >= r[n - 1]) return 1;
  let lo = 0,
    hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (r[mid] <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - r[lo]) / (r[hi] - r[lo] || 1);
  const v = g[lo] + t * (g[hi] - g[lo]);
  return v > 0 ? v : 0;
}

/**
 * Radial nodes of the first shell: the distribution r²g(r) over [shell.from, shell.to] in nodes of
 * width NODE_DR (position = weighted mean r, weight = normalised r²g·dr). Each node is then pulled
 * towards the peak of its own sub-shell (the nearest local maximum of r²g, so bcc's 8 and 6 stay
 * apart) by `spread` (see ResimulateOptions.radialSpread).
 */
function shellNodes(
  s: StructureForResimulation,
  spread: number,
  rMin: number,
  rMax: number,
): { r: Float64Array; w: Float64Array } {
  const rs: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < s.r.length; i++) {
    const r = s.r[i];
    if (r < s.shell.from || r > s.shell.to || !(s.g[i] > 0)) continue;
    const dr = i + 1 < s.r.length ? s.r[i + 1] - r : r - s.r[i - 1];
    rs.push(r);
    ps.push(r * r * s.g[i] * dr);
  }
  const tot = ps.reduce((a, b) => a + b, 0);
  if (!(tot > 0)) return { r: new Float64Array(0), w: new Float64Array(0) };
  const r: number[] = [];
  const w: number[] = [];
  let acc = 0,
    accw = 0,
    start = rs[0];
  for (let i = 0; i < rs.length; i++) {
    if (rs[i] - start >= NODE_DR - 1e-9 && accw > 0) {
      r.push(acc / accw);
      w.push(accw / tot);
      acc = accw = 0;
      start = rs[i];
    }
    acc += ps[i] * rs[i];
    accw += ps[i];
  }
  if (accw > 0) {
    r.push(acc / accw);
    w.push(accw / tot);
  }
  const m = r.length;
  // local maxima of the node weights (sub-shell peaks)
  const peaks: number[] = [];
  for (let a = 0; a < m; a++)
    if ((a === 0 || w[a] >= w[a - 1]) && (a === m - 1 || w[a] > w[a + 1])) peaks.push(r[a]);
  const out = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let c = peaks[0];
    for (const p of peaks) if (Math.abs(p - r[a]) < Math.abs(c - r[a])) c = p;
    out[a] = Math.min(rMax, Math.max(rMin, c + spread * (r[a] - c)));
  }
  return { r: out, w: Float64Array.from(w) };
}

/**
 * 3-body part of the forward check with the Kirkwood superposition approximation for the triplet
 * density at a vertex (Kirkwood, J. Chem. Phys. 3, 300 (1935)):
 *   P(r1, r2, θ) ∝ r1²g(r1) · r2²g(r2) · g(r3),  r3 = √(r1² + r2² − 2r1r2 cos θ),
 * normalised in every θ bin of N(θ) so that its θ marginal is the given N(θ): N(θ) stays the
 * angular answer, g(r3) only decides which bond lengths go with which angle (bcc: 8–8 bonds at
 * 70.5°/109.5°/180°, 8–6 at 54.7°/125.3°, 6–6 at 90°/180°; one shell in fcc and liquids, where
 * it changes little). Each vertex description (r1, r2, θ) is one triplet of the direct sum of
 * src/exafs/chi.ts when r3 exceeds the cutoff, and a third of one when r3 is itself a bond (N(θ)
 * counts such a triangle at all three vertices); γ3 is a property of the triangle, evaluated at
 * its canonical description (the two shorter sides and the angle between them, θ ≥ 60°).
 * Contraction as in chi.ts: γ3 coefficients are interpolated trilinearly and binned in the path
 * length L of each class (quadratic B-spline, HL bins), then χ3(k) = Im Σ_m v_m(k) Σ_L H_m(L)e^{ikL}
 * / sinc³(kHL/2).
 */
function chi3Superposition(
  s: StructureForResimulation,
  tables: GammaTables,
  k: Float64Array,
  opts: ResimulateOptions,
): Float64Array {
  const nk = k.length;
  const chi3 = new Float64Array(nk);
  const h3 = tables.header.gamma3;
  const rMin3 = h3.rMin;
  const rMax3 = h3.rMin + h3.rStep * (h3.nr - 1);
  // a γ3 grid without two nodes in r and θ (a toy or truncated table) cannot be interpolated:
  // no 3-body term rather than NaN everywhere
  if (h3.nr < 2 || h3.theta.length < 2) return chi3;
  const nodes = shellNodes(s, opts.radialSpread ?? 1, rMin3, rMax3);
  const exponent = opts.tripletExponent ?? TRIPLET_EXPONENT;
  const m = nodes.r.length;
  if (m === 0) return chi3;
  const theta = s.theta!;
  const bad = s.bad!;
  const nr3 = h3.nr;
  const tgrid = h3.theta;
  const nth = tgrid.length;
  const M = h3.m;
  const ncl = h3.classes.length;
  const coef = tables.coef;
  const Lmin = Math.floor(3 * rMin3) - 1;
  const nL = Math.ceil((6 * rMax3 + 1 - Lmin) / HL) + 2;
  const hist = new Float64Array(nL * M * 2);
  let lUsedMin = nL,
    lUsedMax = -1;
  const npair = (m * (m + 1)) / 2;
  const pw = new Float64Array(npair);
  const u = new Float64Array(ncl * M * 2);
  const Ls = new Float64Array(4);
  const rad = Math.PI / 180;
  for (let j = 0; j < theta.length; j++) {
    const th = theta[j];
    const c = bad[j];
    if (!(c > 0) || !(th > 0) || th > 180) continue;
    const dth = j + 1 < theta.length ? theta[j + 1] - theta[j] : theta[j] - theta[j - 1];
    const cth = Math.cos(th * rad);
    // superposition weights of the (r1, r2) node pairs at this angle
    let sum = 0,
      sum0 = 0;
    for (let a = 0, q = 0; a < m; a++)
      for (let b = a; b < m; b++, q++) {
        const ra = nodes.r[a],
          rb = nodes.r[b];
        const p = (a === b ? 1 : 2) * nodes.w[a] * nodes.w[b];
        const r3 = Math.sqrt(Math.max(0, ra * ra + rb * rb - 2 * ra * rb * cth));
        pw[q] = p * Math.pow(gAt(s.r, s.g, r3), exponent);
        sum += pw[q];
        sum0 += p;
      }
    // no (r1, r2) is compatible with this angle by g(r3) (noise in N(θ)): fall back to independent bonds
    const useG = sum > 1e-6 * sum0;
    const norm = (c * dth) / (useG ? sum : sum0);
    for (let a = 0, q = 0; a < m; a++)
      for (let b = a; b < m; b++, q++) {
        const ra = nodes.r[a],
          rb = nodes.r[b];
        let w = (useG ? pw[q] : (a === b ? 1 : 2) * nodes.w[a] * nodes.w[b]) * norm;
        // pairs below 10⁻⁴ of the bin's triplets change χ3 by far less than the table's accuracy
        if (!(w > 1e-4 * c * dth)) continue;
        const r3 = Math.sqrt(Math.max(0, ra * ra + rb * rb - 2 * ra * rb * cth));
        // canonical description: s1 ≤ s2 the shorter sides, s3 the longest, angle opposite s3
        let s1 = ra,
          s2 = rb,
          s3 = r3,
          cc = cth;
        if (r3 <= s.shell.to) {
          w /= 3;
          if (r3 < rb) {
            // r3 is not the longest side: the longest is rb (ra ≤ rb)
            s1 = Math.min(ra, r3);
            s2 = Math.max(ra, r3);
            s3 = rb;
            cc = (ra * ra + r3 * r3 - rb * rb) / (2 * ra * r3);
          }
        }
        if (s1 > s2) {
          const t = s1;
          s1 = s2;
          s2 = t;
        }
        const thc = Math.acos(Math.max(-1, Math.min(1, cc))) / rad;
        const c1 = Math.min(rMax3, Math.max(rMin3, s1));
        const c2 = Math.min(rMax3, Math.max(rMin3, s2));
        // trilinear γ3 coefficients at (c1, c2, thc)
        const x1 = Math.min(nr3 - 1 - 1e-12, (c1 - rMin3) / h3.rStep);
        const x2 = Math.min(nr3 - 1 - 1e-12, (c2 - rMin3) / h3.rStep);
        const i1 = Math.min(nr3 - 2, Math.floor(x1)),
          i2 = Math.min(nr3 - 2, Math.floor(x2));
        const f1 = x1 - i1,
          f2 = x2 - i2;
        const [it, ft] = thetaCell(tgrid, thc);
        u.fill(0);
        for (let cn = 0; cn < 8; cn++) {
          const e1 = cn & 1,
            e2 = (cn >> 1) & 1,
            e3 = (cn >> 2) & 1;
          const cw = (e1 ? f1 : 1 - f1) * (e2 ? f2 : 1 - f2) * (e3 ? ft : 1 - ft);
          if (cw === 0) continue;
          const base = g3Node(nr3, nth, i1 + e1, i2 + e2, it + e3) * ncl * M * 2;
          for (let q2 = 0; q2 < ncl * M * 2; q2++) u[q2] += cw * coef[base + q2];
        }
        // path lengths of the classes (src/theory/paths.ts classLengths): sides s1, s2, s3
        Ls[0] = s1 + s2 + s3;
        Ls[1] = 2 * (s1 + s2);
        Ls[2] = 2 * (s1 + s3);
        Ls[3] = 2 * (s2 + s3);
        for (let cl = 0; cl < ncl; cl++) {
          const xl = (Ls[cl] - Lmin) / HL;
          const jl = Math.round(xl);
          if (jl - 1 < 0 || jl + 1 >= nL) continue;
          const d = xl - jl;
          const b0 = w * 0.5 * (0.5 - d) * (0.5 - d),
            b1 = w * (0.75 - d * d),
            b2 = w * 0.5 * (0.5 + d) * (0.5 + d);
          const uo = cl * M * 2;
          const o0 = (jl - 1) * M * 2;
          for (let q2 = 0; q2 < 2 * M; q2++) {
            const v = u[uo + q2];
            hist[o0 + q2] += b0 * v;
            hist[o0 + 2 * M + q2] += b1 * v;
            hist[o0 + 4 * M + q2] += b2 * v;
          }
          if (jl - 1 < lUsedMin) lUsedMin = jl - 1;
          if (jl + 1 > lUsedMax) lUsedMax = jl + 1;
        }
      }
  }
  if (lUsedMax < lUsedMin) return chi3;
  // basis v_m(k) on the output grid
  const plan = splinePlan(tables.k, k);
  const nkt = tables.k.length;
  const basisK = new Float64Array(M * nk);
  const tmp = new Float64Array(nk);
  for (let mm = 0; mm < M; mm++) {
    const y = tables.basis.subarray(mm * nkt, (mm + 1) * nkt);
    splineApply(plan, y, splineSecondDerivatives(tables.k, y), tmp);
    basisK.set(tmp, mm * nk);
  }
  const accI = new Float64Array(M);
  for (let i = 0; i < nk; i++) {
    const kp = k[i];
    accI.fill(0);
    const L0 = Lmin + lUsedMin * HL;
    let cs = Math.cos(kp * L0),
      sn = Math.sin(kp * L0);
    const dc = Math.cos(kp * HL),
      ds = Math.sin(kp * HL);
    for (let l = lUsedMin; l <= lUsedMax; l++) {
      const o = l * M * 2;
      for (let mm = 0; mm < M; mm++) accI[mm] += hist[o + 2 * mm] * sn + hist[o + 2 * mm + 1] * cs;
      const c2 = cs * dc - sn * ds;
      sn = sn * dc + cs * ds;
      cs = c2;
    }
    let sum = 0;
    for (let mm = 0; mm < M; mm++) sum += basisK[mm * nk + i] * accI[mm];
    const x = 0.5 * kp * HL;
    const sinc = x > 1e-8 ? Math.sin(x) / x : 1;
    chi3[i] = sum / (sinc * sinc * sinc);
  }
  return chi3;
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
