import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTables } from '../../src/theory/table.js';
import { chiFromStructure, forwardCheck, forwardCheckRWindow } from '../../src/exafs/resimulate.js';
import { resimulatedView } from '../../src/report/index.js';
import { toyTableBytes, toyGamma2, toyC, toyPhi } from './fake-tables.js';

const tables = parseTables(toyTableBytes(), 'toy.gamma');
const RHO = 0.0914; // fcc Ni, 4/3.524³ Å⁻³

/** The 2-body part as predict and the app compute it (src/exafs chiFromStructure, no 3-body term). */
function resimulate2Body(_t: typeof tables, r: number[], g: number[], rho: number, k: number[]) {
  return chiFromStructure({ r, g, density: rho, shell: { from: 0, to: 3 } }, tables, {
    kGrid: k,
    threeBody: false,
  });
}

/** g(r) of one Gaussian shell: 4πr²ρ g(r) = N · Normal(r; R, σ). */
function shell(r: number[], N: number, R: number, s: number): number[] {
  return r.map(
    (x) =>
      (N * Math.exp(-((x - R) ** 2) / (2 * s * s))) /
      (Math.sqrt(2 * Math.PI) * s) /
      (4 * Math.PI * x * x * RHO),
  );
}

test('resimulate2Body = ∫4πr²ρ g γ2 dr: matches a fine direct quadrature of the same integral', () => {
  const r = Array.from({ length: 211 }, (_, i) => 1.8 + i * 0.02);
  const g = shell(r, 12, 2.49, 0.07);
  const k = Array.from({ length: 221 }, (_, i) => 3 + i * 0.05);
  const rs = resimulate2Body(tables, r, g, RHO, k);
  let maxAbs = 0;
  let maxErr = 0;
  k.forEach((kk, j) => {
    let ref = 0;
    for (let x = 1.8; x <= 6; x += 0.0005)
      ref +=
        12 *
        (Math.exp(-((x - 2.49) ** 2) / (2 * 0.07 ** 2)) / (Math.sqrt(2 * Math.PI) * 0.07)) *
        toyGamma2(x, kk) *
        0.0005;
    maxAbs = Math.max(maxAbs, Math.abs(ref));
    maxErr = Math.max(maxErr, Math.abs(rs.chi[j] - ref));
  });
  assert.ok(maxErr < 2e-3 * maxAbs, `max error ${maxErr} vs amplitude ${maxAbs}`);
});

test('narrow shell: the EXAFS equation limit N·c(k)/R²·sin(2kR+φ)·exp(−2k²σ²)', () => {
  const r = Array.from({ length: 421 }, (_, i) => 1.8 + i * 0.01);
  const N = 12;
  const R = 2.49;
  const s = 0.04;
  const g = shell(r, N, R, s);
  const k = Array.from({ length: 141 }, (_, i) => 3 + i * 0.05); // 3–10 Å⁻¹
  const rs = resimulate2Body(tables, r, g, RHO, k);
  k.forEach((kk, j) => {
    const env = ((N * toyC(kk)) / (R * R)) * Math.exp(-2 * kk * kk * s * s);
    const eq = env * Math.sin(2 * kk * R + toyPhi(kk));
    // next cumulant-order terms are O(4kσ²/R) ≈ 3 % here
    assert.ok(Math.abs(rs.chi[j] - eq) < 0.04 * env, `k = ${kk}: ${rs.chi[j]} vs ${eq}`);
  });
});

test('g outside the table range is skipped, negative g clipped', () => {
  const r = [0.5, 1.0, 1.49, 7, 8];
  const rs = resimulate2Body(tables, r, [5, 5, 5, 5, 5], RHO, [5]);
  assert.equal(rs.chi[0], 0);
  const r2 = Array.from({ length: 50 }, (_, i) => 2 + i * 0.02);
  const neg = resimulate2Body(
    tables,
    r2,
    r2.map(() => -1),
    RHO,
    [5, 6],
  );
  assert.deepEqual(Array.from(neg.chi), [0, 0]);
});

test('forwardCheck recovers a known ΔE and S0² and resimulatedView returns it on the data grid', () => {
  const r = Array.from({ length: 211 }, (_, i) => 1.8 + i * 0.02);
  const g = shell(r, 12, 2.49, 0.07);
  // "measured" χ: the structure's χ2 with ΔE = 3 eV (χ evaluated at k' = √(k² + 0.2624683·ΔE)) and S0² = 0.8
  const kData = Array.from({ length: 401 }, (_, i) => i * 0.05);
  const kp = kData.map((k) => Math.sqrt(k * k + 0.2624683 * 3));
  const chiData = Array.from(resimulate2Body(tables, r, g, RHO, kp).chi, (v) => 0.8 * v);
  const fc = forwardCheck({ r, g, density: RHO, shell: { from: 2.2, to: 2.8 } }, tables, kData, chiData, {
    kweight: 2,
    kmin: 3,
    kmax: 14,
    rRange: forwardCheckRWindow(2.49, 6),
  });
  assert.ok(Math.abs(fc.dE - 3) < 0.05, `ΔE ${fc.dE}`);
  assert.ok(Math.abs(fc.s02 - 0.8) < 0.01, `S0² ${fc.s02}`);
  assert.ok(fc.r_factor < 1e-3, `R ${fc.r_factor}`);
  const pred = {
    r: Float64Array.from(r),
    g: Float64Array.from(g),
    density: RHO,
    theta: new Float64Array(0),
    bad: new Float64Array(0),
    members: [],
    first_shell: { r: 2.49, r_lower: 2.2, cutoff: 2.8 },
  } as unknown as Parameters<typeof resimulatedView>[1];
  const v = resimulatedView(
    tables,
    pred,
    { k: Array.from({ length: 221 }, (_, i) => 3 + i * 0.05), kweight: 2 },
    kData,
    chiData,
  );
  assert.equal(v.k.length, kData.length);
  assert.equal(v.chi_data, chiData);
  assert.deepEqual(v.k_range, [3, 14]);
  assert.ok(Math.abs(v.r_factor - fc.r_factor) < 1e-12);
  // the window follows the prediction's R1 (2·2.49 − 1 Å) and the note names it
  assert.ok(v.r_range![0] === 1 && Math.abs(v.r_range![1] - 3.98) < 1e-12, `window ${v.r_range}`);
  assert.match(v.note!, /over R 1\.00–3\.98 Å/);
  assert.ok(v.chir && v.chir.r.length === v.chir.sim_re.length);
  assert.match(v.note!, /ΔE = 3\.0\d eV and S0² = 0\.80\d fitted/);
});
