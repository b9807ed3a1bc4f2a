/**
 * The forward check: χ(k) re-simulated from (g(r), ρ, N(θ)) must reproduce the configurational
 * average computed directly from the atoms (src/exafs computeChi) — the 2-body part exactly up to
 * binning, the 3-body part within the (tempered) superposition approximation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLattice, readConfigurations } from '../../src/structure/index.js';
import { radialDistribution, bondAngleDistribution, firstShell } from '../../src/analysis/index.js';
import { computeChi, loadTables } from '../../src/exafs/index.js';
import {
  chiFromStructure,
  forwardCheck,
  forwardCheckRWindow,
  rFactorWarning,
  R_FACTOR_WARNING,
  shellForTriplets,
} from '../../src/exafs/resimulate.js';
import { xftf } from '../../src/xas/ft.js';
import { kGrid, shiftedK } from '../../src/exafs/kgrid.js';
import { Rng } from '../../src/util/rng.js';
import { relativeRmsK } from '../../src/util/compare.js';

const tables = loadTables('Ni', 'K');
const rng = new Rng(3);
const conf = buildLattice('fcc', 3.524, 6, { element: 'Ni' });
// Gaussian displacements σ = 0.07 Å per coordinate (room-temperature-like disorder)
for (let i = 0; i < conf.positions.length; i++) conf.positions[i] += 0.07 * rng.normal();
const k = kGrid(2, 14, 0.05);
const direct = computeChi(conf, tables, { kGrid: k, rmax2: 6.0 });
const rdf = radialDistribution(conf, { rmax: 6.0, dr: 0.01 });
const cutoff = direct.cutoff3;
const bad = bondAngleDistribution(conf, cutoff, { dtheta: 1 });
const structure = {
  r: rdf.r,
  g: rdf.g,
  density: rdf.density,
  theta: bad.theta,
  bad: bad.bad,
  shell: { from: 2.0, to: cutoff },
};

test('2-body part from g(r) equals the direct pair sum (binning only)', () => {
  const sim = chiFromStructure(structure, tables, { kGrid: k, threeBody: false });
  const e = relativeRmsK(k, sim.chi2, direct.chi2);
  assert.ok(e < 0.03, `χ2 relative RMS ${e}`);
});

test('3-body part from N(θ) follows the direct triplet sum (superposition approximation)', () => {
  const sim = chiFromStructure(structure, tables, { kGrid: k });
  const e3 = relativeRmsK(k, sim.chi3, direct.chi3);
  // measured 0.085 (the old independent-bond term: 0.19)
  assert.ok(e3 < 0.12, `χ3 relative RMS ${e3}`);
  const e = relativeRmsK(k, sim.chi, direct.chi);
  assert.ok(e < 0.06, `χ relative RMS ${e}`); // measured 0.038
});

test('forward check recovers a known ΔE and S0² from data made with them', () => {
  const dE = 4.0,
    s02 = 0.8;
  const kp = shiftedK(k, dE);
  const sim = chiFromStructure(structure, tables, { kGrid: kp.map((x) => (Number.isFinite(x) ? x : 0)) });
  const data = sim.chi.map((v) => s02 * v);
  const fc = forwardCheck(structure, tables, k, data, {
    kweight: 2,
    kmin: 3,
    kmax: 13,
    rRange: forwardCheckRWindow(2.49, 6),
  });
  assert.ok(Math.abs(fc.dE - dE) < 0.3, `ΔE ${fc.dE}`);
  assert.ok(Math.abs(fc.s02 - s02) < 0.03, `S0² ${fc.s02}`);
  assert.ok(fc.r_factor < 0.01, `R-factor ${fc.r_factor}`);
});

// The forward check's floor: true structures (their own g(r), ρ, N(θ)) re-simulated against their own
// χ(k) from computeChi. bcc needs the superposition weights (8–8 / 8–6 / 6–6 bonds go with
// different angles); the old independent-bond term gave (k space) 0.068 (bcc fixture), 0.032 (fcc),
// 0.045 (liquid). `shift` moves the whole g(r) (and the shell) by that many Å: a wrong structure.
const FIX = 'test/analysis/fixtures/';
async function floorOf(file: string, element: string, shift = 0) {
  const [c] = await readConfigurations(FIX + file, { element });
  const t = loadTables(element, 'K');
  const g = radialDistribution(c, { rmax: 6.0, dr: 0.02 });
  const fs = firstShell(g.r, g.g, { density: g.density });
  const kk = kGrid(0, 16, 0.05);
  const chi = computeChi(c, t, { kGrid: kk, rmax2: 6.0, cutoff3: fs.cutoff }).chi;
  const b = bondAngleDistribution(c, fs.cutoff, { dtheta: 1 });
  const s = {
    r: g.r.map((x) => x + shift),
    g: g.g,
    density: g.density,
    theta: b.theta,
    bad: b.bad,
    shell: shellForTriplets({ r_lower: fs.r_lower + shift, cutoff: fs.cutoff + shift }),
  };
  return forwardCheck(s, t, kk, chi, {
    kweight: 2,
    kmin: 4,
    kmax: 14,
    rRange: forwardCheckRWindow(fs.r1, 6),
  });
}

test('forward check floor on true structures: R-space R-factor small, k-space no worse than before', async () => {
  // measured R space 0.0133 / 0.0039 / 0.0031, k space (same ΔE, S0²) 0.037 / 0.025 / 0.007
  const bcc = await floorOf('cna-bcc.dump', 'Fe');
  assert.ok(bcc.r_factor <= 0.025, `bcc Fe R-factor ${bcc.r_factor}`);
  assert.ok(bcc.r_factor_k <= 0.06, `bcc Fe k-space R-factor ${bcc.r_factor_k}`);
  const fcc = await floorOf('cna-fcc.dump', 'Ni');
  assert.ok(fcc.r_factor <= 0.01, `fcc Ni R-factor ${fcc.r_factor}`);
  assert.ok(fcc.r_factor_k < 0.032, `fcc Ni k-space R-factor ${fcc.r_factor_k}`);
  const liq = await floorOf('ni-liquid-2000K.dump', 'Ni');
  assert.ok(liq.r_factor <= 0.01, `liquid Ni R-factor ${liq.r_factor}`);
  assert.ok(liq.r_factor_k < 0.02, `liquid Ni k-space R-factor ${liq.r_factor_k}`);
});

test('forward check of a wrong structure: g(r) shifted by ±0.1 Å gives an R-factor above the warning', async () => {
  // measured fcc Ni +0.1 Å 0.124, −0.1 Å 0.201 (ΔE compensates part of it: −10 / +10 eV)
  for (const shift of [0.1, -0.1]) {
    const fc = await floorOf('cna-fcc.dump', 'Ni', shift);
    assert.ok(fc.r_factor > 2 * R_FACTOR_WARNING, `shift ${shift} Å: R-factor ${fc.r_factor}`);
    assert.ok(rFactorWarning(fc.r_factor, fc.r_range)?.includes('over R 1.00–4.01 Å'));
  }
  assert.equal(rFactorWarning(0.01, [1, 4]), null);
});

test('R window: 1 Å to 2·R1 − 1 Å, below the end of the g(r) grid, with a fallback without R1', () => {
  assert.deepEqual(forwardCheckRWindow(2.5), [1, 4]);
  assert.deepEqual(forwardCheckRWindow(2.5, 6), [1, 4]);
  assert.ok(Math.abs(forwardCheckRWindow(2.482, 6)[1] - 3.964) < 1e-12);
  assert.deepEqual(forwardCheckRWindow(2.5, 4.5), [1, 3.5]);
  assert.deepEqual(forwardCheckRWindow(NaN, 6), [1, 4]);
  assert.deepEqual(forwardCheckRWindow(1.2, 6), [1, 2]);
});

// Pairs the re-simulation lacks, outside and inside the window: data are the 2-body χ of the displaced
// fcc Ni crystal with g(r) to 6 Å; the "theory" has g(r) cut at `cut`.
function truncated(cut: number) {
  const kk = kGrid(0, 16, 0.05);
  const full = { r: rdf.r, g: rdf.g, density: rdf.density, shell: { from: 0, to: 0 } };
  const data = chiFromStructure(full, tables, { kGrid: kk, threeBody: false }).chi;
  const g = rdf.g.map((v, i) => (rdf.r[i] < cut ? v : 0));
  return forwardCheck({ ...full, g }, tables, kk, data, {
    kweight: 2,
    kmin: 4,
    kmax: 14,
    rRange: forwardCheckRWindow(2.49, 6),
  });
}

test('R window: shells from 2·R1 up do not count, a missing shell inside the window does', () => {
  // without the 4.98 and 5.57 Å shells (apparent R ≈ 4.6, 5.2): measured R 0.0001, k space 0.047
  const far = truncated(4.6);
  assert.ok(far.r_range[0] === 1 && Math.abs(far.r_range[1] - 3.98) < 1e-12, `window ${far.r_range}`);
  assert.ok(far.r_factor < 0.002, `R-factor ${far.r_factor}`);
  assert.ok(far.r_factor_k > 0.03, `k-space R-factor ${far.r_factor_k}`);
  // without the third shell (4.31 Å, apparent ≈ 3.9): measured 0.079
  const near = truncated(4.0);
  assert.ok(near.r_factor > R_FACTOR_WARNING, `R-factor ${near.r_factor}`);
});

test("r_factor is feffit's: Σ|χd(R) − χs(R)|² / Σ|χd(R)|² of xftf(k^w χ) over the window", () => {
  const kk = kGrid(0, 16, 0.05);
  const dE = 2.5;
  const kp = shiftedK(kk, dE);
  const data = chiFromStructure(structure, tables, {
    kGrid: kp.map((x) => (Number.isFinite(x) ? x : 0)),
  }).chi.map(
    (v, i) => 0.9 * v + 0.01 * Math.sin(3 * kk[i]) * Math.exp(-kk[i] / 4), // and something the theory lacks
  );
  const fc = forwardCheck(structure, tables, kk, data, { kweight: 2, kmin: 4, kmax: 14, rRange: [1.2, 3.9] });
  const ft = { kmin: 4, kmax: 14, dk: 1, window: 'hanning', kweight: 2, rmax_out: 8 };
  const d = xftf(kk, data, ft);
  const m = xftf(kk, fc.chi, ft);
  let num = 0,
    den = 0;
  for (let i = 0; i < d.r.length; i++) {
    assert.ok(
      Math.abs(m.chir_re[i] - fc.chir.sim_re[i]) < 1e-9 && Math.abs(m.chir_im[i] - fc.chir.sim_im[i]) < 1e-9,
    );
    if (d.r[i] < 1.2 || d.r[i] > 3.9) continue;
    num += (d.chir_re[i] - m.chir_re[i]) ** 2 + (d.chir_im[i] - m.chir_im[i]) ** 2;
    den += d.chir_re[i] ** 2 + d.chir_im[i] ** 2;
  }
  assert.ok(num / den > 1e-4, `the added signal shows: ${num / den}`);
  assert.ok(
    Math.abs(fc.r_factor - num / den) < 1e-9 * Math.max(1, num / den),
    `${fc.r_factor} vs ${num / den}`,
  );
  assert.deepEqual(fc.r_range, [1.2, 3.9]);
  assert.deepEqual(fc.k_range, [4, 14]);
  assert.ok(Math.abs(fc.dE - dE) < 0.2, `ΔE ${fc.dE}`);
});
