import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTables } from '../../src/theory/table.js';
import { resimulate2Body, rFactor } from '../../src/report/resim.js';
import { toyTableBytes, toyGamma2, toyC, toyPhi } from './fake-tables.js';

const tables = parseTables(toyTableBytes(), 'toy.gamma');
const RHO = 0.0914; // fcc Ni, 4/3.524³ Å⁻³

/** g(r) of one Gaussian shell: 4πr²ρ g(r) = N · Normal(r; R, σ). */
function shell(r: number[], N: number, R: number, s: number): number[] {
  return r.map((x) => (N * Math.exp(-((x - R) ** 2) / (2 * s * s))) / (Math.sqrt(2 * Math.PI) * s) / (4 * Math.PI * x * x * RHO));
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
    for (let x = 1.8; x <= 6; x += 0.0005) ref += 12 * (Math.exp(-((x - 2.49) ** 2) / (2 * 0.07 ** 2)) / (Math.sqrt(2 * Math.PI) * 0.07)) * toyGamma2(x, kk) * 0.0005;
    maxAbs = Math.max(maxAbs, Math.abs(ref));
    maxErr = Math.max(maxErr, Math.abs(rs.chi[j] - ref));
  });
  assert.ok(maxErr < 2e-3 * maxAbs, `max error ${maxErr} vs amplitude ${maxAbs}`);
  assert.ok(rs.note.includes('3-body part is not included'));
  assert.ok(Math.abs(rs.r_from - 1.8) < 1e-9 && Math.abs(rs.r_to - 6) < 1e-9);
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
  const neg = resimulate2Body(tables, r2, r2.map(() => -1), RHO, [5, 6]);
  assert.deepEqual(Array.from(neg.chi), [0, 0]);
});

test('rFactor: 0 for identical, 1 for zero simulation, k-weighted', () => {
  const k = [3, 4, 5];
  const d = [0.1, -0.05, 0.02];
  assert.equal(rFactor(k, d, d, 2), 0);
  assert.equal(rFactor(k, d, [0, 0, 0], 2), 1);
  const r = rFactor(k, d, [0.1, -0.05, 0], 2);
  assert.ok(Math.abs(r - (25 * 0.02) ** 2 / ((9 * 0.1) ** 2 + (16 * 0.05) ** 2 + (25 * 0.02) ** 2)) < 1e-12);
});
