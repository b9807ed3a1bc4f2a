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
import { chiFromStructure, forwardCheck, shellForTriplets } from '../../src/exafs/resimulate.js';
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
  const fc = forwardCheck(structure, tables, k, data, { kweight: 2, kmin: 3, kmax: 13 });
  assert.ok(Math.abs(fc.dE - dE) < 0.3, `ΔE ${fc.dE}`);
  assert.ok(Math.abs(fc.s02 - s02) < 0.03, `S0² ${fc.s02}`);
  assert.ok(fc.r_factor < 0.01, `R-factor ${fc.r_factor}`);
});

// The forward check's floor: true structures (their own g(r), ρ, N(θ)) re-simulated against their own
// χ(k) from computeChi. bcc needs the superposition weights (8–8 / 8–6 / 6–6 bonds go with
// different angles); the old independent-bond term gave 0.068 (bcc fixture), 0.032 (fcc), 0.045 (liquid).
const FIX = 'test/analysis/fixtures/';
async function floorOf(file: string, element: string): Promise<number> {
  const [c] = await readConfigurations(FIX + file, { element });
  const t = loadTables(element, 'K');
  const g = radialDistribution(c, { rmax: 6.0, dr: 0.02 });
  const fs = firstShell(g.r, g.g, { density: g.density });
  const kk = kGrid(0, 16, 0.05);
  const chi = computeChi(c, t, { kGrid: kk, rmax2: 6.0, cutoff3: fs.cutoff }).chi;
  const b = bondAngleDistribution(c, fs.cutoff, { dtheta: 1 });
  const s = { r: g.r, g: g.g, density: g.density, theta: b.theta, bad: b.bad, shell: shellForTriplets(fs) };
  return forwardCheck(s, t, kk, chi, { kweight: 2, kmin: 4, kmax: 14 }).r_factor;
}

test('forward check floor on true structures: thermal bcc Fe ≤ 0.06, fcc and liquid not worse than before', async () => {
  const bcc = await floorOf('cna-bcc.dump', 'Fe'); // measured 0.037
  assert.ok(bcc <= 0.06, `bcc Fe R-factor ${bcc}`);
  const fcc = await floorOf('cna-fcc.dump', 'Ni'); // measured 0.024
  assert.ok(fcc < 0.032, `fcc Ni R-factor ${fcc}`);
  const liq = await floorOf('ni-liquid-2000K.dump', 'Ni'); // measured 0.007
  assert.ok(liq < 0.02, `liquid Ni R-factor ${liq}`);
});
