/**
 * The forward check: χ(k) re-simulated from (g(r), ρ, N(θ)) must reproduce the configurational
 * average computed directly from the atoms (src/exafs computeChi) — the 2-body part exactly up to
 * binning, the 3-body part within the superposition approximation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLattice } from '../../src/structure/index.js';
import { radialDistribution, bondAngleDistribution } from '../../src/analysis/index.js';
import { computeChi, loadTables } from '../../src/exafs/index.js';
import { chiFromStructure, forwardCheck } from '../../src/exafs/resimulate.js';
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
  assert.ok(e3 < 0.2, `χ3 relative RMS ${e3}`);
  const e = relativeRmsK(k, sim.chi, direct.chi);
  assert.ok(e < 0.1, `χ relative RMS ${e}`);
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
