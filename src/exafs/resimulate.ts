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
 *
 * The comparison is the one EXAFS users know from Larch's feffit and Artemis: χ(R) of k^w·χ(k)
 * (xftf, the FT defaults' window) over an R window, R-factor Σ|χd(R) − χs(R)|²/Σ|χd(R)|² (real and
 * imaginary parts), ΔE and S0² fitted to it. The window (forwardCheckRWindow) ends below the first
 * paths the theory lacks (4-body paths, triangles with one first-shell side, pairs beyond the g(r)
 * grid), so the number measures the predicted structure, not the theory's truncation. The k-space
 * R-factor over the whole signal (r_factor_k, what r_factor was before) is kept alongside: on
 * the LISA foils it was 0.045–0.10 for correct predictions and true structures alike.
 */
import type { GammaTables } from '../theory/table.js';
import { gamma2At, g3Node, thetaCell } from '../theory/table.js';
import { splinePlan, splineApply, splineSecondDerivatives } from '../theory/spline.js';
import { ETOK, shiftedK } from './kgrid.js';
import { xftf } from '../xas/ft.js';
import { fft } from '../xas/fft.js';
import { FT_DEFAULTS } from '../xas/ftDefaults.js';
import { UserError } from '../util/errors.js';

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
 * Above this R-factor (R space, over forwardCheckRWindow) the re-simulated χ does not reproduce the
 * data well enough to trust the predicted structure without a look. Measured (LISA foils at 300 K,
 * `predict --json`, k² 4–14 Å⁻¹, window 1 Å – 2·R1 − 1 Å):
 *   each foil through its own model: Ni 0.0044, Cu 0.0061, Co 0.0117, Fe 0.0140;
 *   true ZJW MD bcc Fe (290–310 K, fe-probe dataset) against the Fe foil: 0.011–0.024 at the foil's
 *   a = 2.866 Å, 0.010–0.045 at a ± 0.02 Å; against their own χ(k): 0.0016–0.0032;
 *   neighbour-element stand-ins (same structure, R1 0.01–0.03 Å off): 0.008–0.034 (Ni via cu-k,
 *   Co via ni-k, Ni via co-k, Cu via ni-k, Cu via co-k, Co via cu-k);
 *   wrong models: Fe via ni-k 0.066, Co via fe-k 0.077, Ni via fe-k 0.099, Cu via fe-k 0.154,
 *   Fe via cu-k 0.244, Fe via co-k 0.41.
 * 0.05 lies between the two groups (and is the usual upper end of an acceptable EXAFS fit). The
 * k-space R-factor over all shells does not separate them (own Fe 0.144, Co via fe-k 0.096).
 */
export const R_FACTOR_WARNING = 0.05;

/** The warning shown with a forward check whose R-factor exceeds R_FACTOR_WARNING, else null. */
export function rFactorWarning(rFactor: number, rRange?: ArrayLike<number>): string | null {
  if (!(rFactor > R_FACTOR_WARNING)) return null;
  const over =
    rRange && rRange.length === 2 ? ` over R ${rRange[0].toFixed(2)}–${rRange[1].toFixed(2)} Å` : '';
  return (
    `the χ(k) re-simulated from the predicted structure misses the data (R-factor ${rFactor.toFixed(3)}${over} > ${R_FACTOR_WARNING}): ` +
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

/** Lower end of the forward check's R window [Å, apparent R]: below it χ(R) is background (rbkg 1 Å). */
export const R_WINDOW_MIN = 1;
/**
 * What the window's upper end stays below the first signal the theory leaves out [Å]: the photo-
 * electron phase puts a path at an apparent R ≈ 0.3–0.5 Å below its half path length, and the
 * k 4–14 Å⁻¹ Hanning transform spreads a peak over ≈ ±0.3 Å.
 */
export const R_WINDOW_MARGIN = 1;
/** R1 [Å] the window assumes when the prediction has no first shell (the metals' ≈ 2.5 Å: window 1–4 Å). */
export const R_WINDOW_FALLBACK_R1 = 2.5;

/**
 * The R window [Å, apparent R] over which the forward check compares χ(R): [1, min(2·R1, rGrid) − 1].
 * The re-simulation holds every pair of g(r) (up to the end of its grid, rGrid) and the triangles
 * with two first-shell sides; the first paths it leaves out are 4-body paths over first-shell
 * bonds (abs→A→B→C→abs, half path ≥ 2·R1) and triangles with one first-shell side (fcc R1, R2, R3:
 * half path 2.07·R1), then the pairs beyond the grid. Their χ(R) peaks lie ≈ 0.4 Å below the half
 * path and reach ≈ 0.3 Å further down (R_WINDOW_MARGIN). Measured on the LISA foils through their
 * own models, the per-bin residual |Δχ(R)|²/|χd(R)|² rises above 10–20 % from 2·R1 − 0.5 Å (Ni, Cu),
 * 2·R1 − 0.75 Å (Co) and 2·R1 − 1.0 Å (Fe) (docs/report.md, "Forward check: the R-factor"). R1 is
 * the prediction's first-shell centroid (bcc: the 8); without one (NaN) R_WINDOW_FALLBACK_R1. The
 * upper end is at least 1 Å above the lower.
 */
export function forwardCheckRWindow(r1: number, rGrid = Infinity): [number, number] {
  const r = Number.isFinite(r1) && r1 > 0 ? r1 : R_WINDOW_FALLBACK_R1;
  const top = Math.min(2 * r, Number.isFinite(rGrid) ? rGrid : Infinity) - R_WINDOW_MARGIN;
  return [R_WINDOW_MIN, Math.max(R_WINDOW_MIN + 1, top)];
}

export interface ForwardCheckOptions {
  kweight: number;
  /** k range [Å⁻¹] of the transform (window sills of dk/2 outside it) and of r_factor_k */
  kmin: number;
  kmax: number;
  /** R window [Å] of the fit and of r_factor (forwardCheckRWindow) */
  rRange: [number, number];
  /** FT window shape and sill width (default FT_DEFAULTS: Hanning, dk 1 Å⁻¹) */
  window?: string;
  dk?: number;
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
  /**
   * R-space R-factor as Larch's feffit / Artemis define it: Σ|χ_data(R) − χ_sim(R)|² / Σ|χ_data(R)|²
   * over the R points of r_range (real and imaginary parts; χ(R) = xftf of k^w·χ over k_range),
   * the quantity ΔE and S0² are fitted to
   */
  r_factor: number;
  /** Σ(k^w(χ_data − χ_sim))² / Σ(k^w χ_data)² over the data points of k_range, same ΔE and S0² */
  r_factor_k: number;
  /** R window [Å] of r_factor */
  r_range: [number, number];
  /** k range [Å⁻¹] of the transform and of r_factor_k */
  k_range: [number, number];
  /** χ(R) of the data and of the re-simulation (fitted ΔE, S0²), same transform, R 0–CHIR_RMAX Å */
  chir: {
    r: Float64Array;
    data_re: Float64Array;
    data_im: Float64Array;
    sim_re: Float64Array;
    sim_im: Float64Array;
  };
}

/** χ(R) of the forward check is kept up to this R [Å] (the report's figure). */
const CHIR_RMAX = 8;
/** k step and FFT length of the transform (xftf's defaults: δR = π/(KSTEP·NFFT) ≈ 0.031 Å). */
const KSTEP = 0.05;
const NFFT = 2048;
/**
 * Step of the ΔE scan (eV), and the half-width of the golden-section refinement around its best
 * point. The R-space misfit is one smooth basin some 10 eV wide on the foils (Ni, Fe, each through
 * its own model and Cu through fe-k, scanned in 1 eV steps), so 0.5 eV steps find it; 0.25 eV (the
 * k-space fit's step) cost 60 % more transforms for the same ΔE.
 */
const DE_STEP = 0.5;
/** Step of the fine k grid the re-simulation is computed on (Å⁻¹); it is then interpolated. */
const K_FINE = 0.01;

/** Linear interpolation of y on the uniform grid 0, step, 2·step, … at x; NaN outside. */
function interpUniform(y: Float64Array, step: number, x: number): number {
  const t = x / step;
  const j = Math.floor(t);
  if (!(j >= 0) || j >= y.length - 1) return j === y.length - 1 && t === j ? y[j] : NaN;
  const f = t - j;
  return y[j] + f * (y[j + 1] - y[j]);
}

/**
 * k^w·Ω·χ_sim at the transform's grid points idx shifted by ΔE (e = ETOK·ΔE): out[b] = kwWin[i]·χ(√(k_i² + e)),
 * 0 below the edge or beyond the simulation's grid. Top-level (not a closure) so V8 optimises it once.
 */
function weightedShifted(
  chi: Float64Array,
  idx: Int32Array,
  kSq: Float64Array,
  kwWin: Float64Array,
  e: number,
  out: Float64Array,
): void {
  for (let b = 0; b < idx.length; b++) {
    const i = idx[b];
    const q = kSq[i] + e;
    const v = q >= 0 ? interpUniform(chi, K_FINE, Math.sqrt(q)) : NaN;
    out[b] = v === v ? kwWin[i] * v : 0;
  }
}

/** χ(R) rows of a windowed sum: outRe[a] + i·outIm[a] = scale·Σ_b x[b]·(cos − i·sin)[a·nj + b], nj = x.length. */
function dftRows(
  x: Float64Array,
  cosT: Float64Array,
  sinT: Float64Array,
  rows: number,
  scale: number,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  const nj = x.length;
  for (let a = 0; a < rows; a++) {
    let sr = 0,
      si = 0;
    const o = a * nj;
    for (let b = 0; b < nj; b++) {
      sr += x[b] * cosT[o + b];
      si -= x[b] * sinT[o + b];
    }
    outRe[a] = scale * sr;
    outIm[a] = scale * si;
  }
}

/**
 * Re-simulate χ(k) from the structure, then fit ΔE and S0² to the measured χ(k) (kData, chiData) in
 * R space, as Larch's feffit does: both χ(k) are transformed with the project's xftf (k^w weight,
 * window over [kmin, kmax] with dk sills) and ΔE (scan in DE_STEP steps, then golden section) and
 * S0² (closed form, clamped to 0.3–1.5) minimise Σ|χ_data(R) − χ_sim(R)|² over the R points of
 * rRange. Returns that R-factor, the k-space one with the same ΔE and S0², and the curves.
 */
export function forwardCheck(
  s: StructureForResimulation,
  tables: GammaTables,
  kData: ArrayLike<number>,
  chiData: ArrayLike<number>,
  opts: ForwardCheckOptions,
): ForwardCheck {
  const [rmin, rmax] = opts.rRange;
  const dk = opts.dk ?? FT_DEFAULTS.dk;
  const window = opts.window ?? FT_DEFAULTS.window;
  const [lo, hi] = opts.dERange ?? [-10, 15];
  // the data's χ(R) (finite points only) with the project's transform; its k grid and window are
  // the simulation's too
  const kOk: number[] = [];
  const cOk: number[] = [];
  for (let i = 0; i < kData.length; i++)
    if (Number.isFinite(kData[i]) && Number.isFinite(chiData[i])) {
      kOk.push(kData[i]);
      cOk.push(chiData[i]);
    }
  if (kOk.length < 2) throw new UserError('forward check: the data have fewer than two finite χ(k) points');
  const ftOpts = {
    kmin: opts.kmin,
    kmax: opts.kmax,
    dk,
    window,
    kweight: opts.kweight,
    kstep: KSTEP,
    nfft: NFFT,
    rmax_out: CHIR_RMAX,
  };
  const dft = xftf(kOk, cOk, ftOpts);
  const kg = dft.kgrid;
  const npts = kg.length;
  // k^w·Ω(k) and k² on the transform's grid, and the last point the window reaches
  const kwWin = new Float64Array(npts);
  const kSq = new Float64Array(npts);
  let kTop = 0;
  for (let i = 0; i < npts; i++) {
    kwWin[i] = Math.pow(kg[i], opts.kweight) * dft.kwin[i];
    kSq[i] = kg[i] * kg[i];
    if (kwWin[i] !== 0) kTop = kg[i];
  }
  kTop = Math.max(kTop, opts.kmax);
  const kmaxFine = Math.min(
    tables.k[tables.k.length - 1],
    Math.sqrt(kTop * kTop + ETOK * Math.max(0, hi)) + 0.1,
  );
  const nFine = Math.round(kmaxFine / K_FINE) + 1;
  const kFine = Float64Array.from({ length: nFine }, (_, i) => i * K_FINE);
  const sim = chiFromStructure(s, tables, { kGrid: kFine });

  // the R points of the window
  const nR = dft.r.length;
  let i0 = 0;
  while (i0 < nR && dft.r[i0] < rmin - 1e-9) i0++;
  let i1 = nR - 1;
  while (i1 >= 0 && dft.r[i1] > rmax + 1e-9) i1--;
  if (!(i1 >= i0))
    throw new UserError(
      `forward check: the R window ${rmin}–${rmax} Å holds no point of χ(R) (0–${CHIR_RMAX} Å)`,
    );
  let sdd = 0;
  for (let i = i0; i <= i1; i++) sdd += dft.chir_re[i] ** 2 + dft.chir_im[i] ** 2;
  const scale = KSTEP / Math.sqrt(Math.PI);
  const fitS02 = opts.fitS02 ?? true;
  // The fit needs χ_sim(R) only at the window's R points: a direct sum over the k points inside the
  // k window, χ(R) = scale·Σ x_n e^{−2i k_n R} (xftf's FFT term by term), with the phases tabulated
  // once — about a third of an FFT of NFFT points per ΔE tried, and nothing allocated per try.
  const kIdx: number[] = [];
  for (let i = 0; i < npts; i++) if (kwWin[i] !== 0) kIdx.push(i);
  const nj = kIdx.length;
  const nw = i1 - i0 + 1;
  const cosT = new Float64Array(nw * nj);
  const sinT = new Float64Array(nw * nj);
  for (let a = 0; a < nw; a++) {
    const R2 = 2 * dft.r[i0 + a];
    for (let b = 0; b < nj; b++) {
      cosT[a * nj + b] = Math.cos(R2 * kg[kIdx[b]]);
      sinT[a * nj + b] = Math.sin(R2 * kg[kIdx[b]]);
    }
  }
  const xk = new Float64Array(nj);
  const wRe = new Float64Array(nw);
  const wIm = new Float64Array(nw);
  const kIdxA = Int32Array.from(kIdx);
  const evaluate = (dE: number) => {
    weightedShifted(sim.chi, kIdxA, kSq, kwWin, ETOK * dE, xk);
    dftRows(xk, cosT, sinT, nw, scale, wRe, wIm);
    let sxy = 0,
      syy = 0;
    for (let a = 0; a < nw; a++) {
      sxy += dft.chir_re[i0 + a] * wRe[a] + dft.chir_im[i0 + a] * wIm[a];
      syy += wRe[a] * wRe[a] + wIm[a] * wIm[a];
    }
    let s02 = fitS02 ? (syy > 0 ? sxy / syy : 1) : (opts.s02 ?? 1);
    if (fitS02) s02 = Math.min(1.5, Math.max(0.3, s02));
    let res = 0;
    for (let a = 0; a < nw; a++)
      res += (dft.chir_re[i0 + a] - s02 * wRe[a]) ** 2 + (dft.chir_im[i0 + a] - s02 * wIm[a]) ** 2;
    return { rf: sdd > 0 ? res / sdd : NaN, s02 };
  };

  let best = lo;
  let bestRf = Infinity;
  for (let dE = lo; dE <= hi + 1e-9; dE += DE_STEP) {
    const { rf } = evaluate(dE);
    if (rf < bestRf) {
      bestRf = rf;
      best = dE;
    }
  }
  // golden-section refinement within ±DE_STEP (one new evaluation per step; 24 steps: 1e-5 eV)
  const gr = (Math.sqrt(5) - 1) / 2;
  let a = best - DE_STEP,
    b = best + DE_STEP;
  let c = b - gr * (b - a),
    d = a + gr * (b - a);
  let fc = evaluate(c).rf,
    fd = evaluate(d).rf;
  for (let it = 0; it < 24; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - gr * (b - a);
      fc = evaluate(c).rf;
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + gr * (b - a);
      fd = evaluate(d).rf;
    }
  }
  const dE = (a + b) / 2;
  const fin = evaluate(dE);
  // χ(R) at the fitted ΔE and S0², 0–CHIR_RMAX Å, by the FFT as xftf does it
  const re = new Float64Array(NFFT);
  const im = new Float64Array(NFFT);
  weightedShifted(sim.chi, kIdxA, kSq, kwWin, ETOK * dE, xk);
  for (let b = 0; b < nj; b++) re[kIdx[b]] = xk[b];
  fft(re, im);
  const chir = {
    r: dft.r,
    data_re: dft.chir_re,
    data_im: dft.chir_im,
    sim_re: Float64Array.from(re.subarray(0, nR), (v) => fin.s02 * scale * v),
    sim_im: Float64Array.from(im.subarray(0, nR), (v) => fin.s02 * scale * v),
  };
  // final curves on the data's k grid, and the k-space R-factor over [kmin, kmax]
  const kAll = Float64Array.from(kData);
  const kp = shiftedK(kAll, dE);
  const chi = new Float64Array(kAll.length);
  const c2 = new Float64Array(kAll.length);
  const c3 = new Float64Array(kAll.length);
  let rk = 0,
    sk = 0;
  for (let i = 0; i < kAll.length; i++) {
    const v = Number.isFinite(kp[i]) ? interpUniform(sim.chi, K_FINE, kp[i]) : NaN;
    if (Number.isFinite(v)) {
      chi[i] = fin.s02 * v;
      c2[i] = fin.s02 * interpUniform(sim.chi2, K_FINE, kp[i]);
      c3[i] = fin.s02 * interpUniform(sim.chi3, K_FINE, kp[i]);
    }
    if (kAll[i] >= opts.kmin && kAll[i] <= opts.kmax && Number.isFinite(chiData[i])) {
      const w = Math.pow(kAll[i], opts.kweight);
      rk += (w * (chiData[i] - chi[i])) ** 2;
      sk += (w * chiData[i]) ** 2;
    }
  }
  return {
    k: kAll,
    chi,
    chi2: c2,
    chi3: c3,
    dE,
    s02: fin.s02,
    r_factor: fin.rf,
    r_factor_k: sk > 0 ? rk / sk : NaN,
    r_range: [rmin, rmax],
    k_range: [opts.kmin, opts.kmax],
    chir,
  };
}
