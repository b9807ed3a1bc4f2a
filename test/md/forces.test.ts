import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EamPotential,
  EamForceField,
  eamEnergyForces,
  MdSystem,
  defaultPotential,
  EVA3_GPA,
} from '../../src/md/index.js';
import { buildLattice } from '../../src/structure/index.js';
import { Rng } from '../../src/util/rng.js';

const pot = EamPotential.fromFile(defaultPotential('Ni'));
const NIALH = '/usr/share/lammps/potentials/NiAlH_jea.eam.alloy';

function disordered(a: number, cells: number, amp: number, seed: number) {
  const c = buildLattice('fcc', a, cells, { element: 'Ni' });
  const rng = new Rng(seed);
  for (let k = 0; k < c.positions.length; k++) c.positions[k] += amp * rng.normal();
  return c;
}

test('forces equal minus the numerical gradient of the energy (central differences)', () => {
  const c = disordered(3.52, 4, 0.12, 5);
  const elem = new Int32Array(c.n);
  const { forces } = eamEnergyForces(pot, c.positions, c.box, elem);
  const rng = new Rng(9);
  const h = 1e-5;
  let worst = 0;
  for (let t = 0; t < 12; t++) {
    const k = rng.int(3 * c.n);
    const p = new Float64Array(c.positions);
    p[k] += h;
    const ep = eamEnergyForces(pot, p, c.box, elem).energy;
    p[k] -= 2 * h;
    const em = eamEnergyForces(pot, p, c.box, elem).energy;
    const num = -(ep - em) / (2 * h);
    worst = Math.max(worst, Math.abs(num - forces[k]));
    assert.ok(
      Math.abs(num - forces[k]) < 1e-6 * Math.max(1, Math.abs(forces[k])) + 2e-6,
      `component ${k}: analytic ${forces[k]} numerical ${num}`,
    );
  }
  // Newton's third law: total force vanishes
  let fx = 0;
  for (let i = 0; i < c.n; i++) fx += forces[3 * i];
  assert.ok(Math.abs(fx) < 1e-9, `Σ fx = ${fx}`);
  assert.ok(worst < 1e-5);
});

test('the virial gives the pressure −dE/dV of a uniformly strained crystal', () => {
  const c = disordered(3.45, 4, 0.05, 2);
  const elem = new Int32Array(c.n);
  const scaled = (s: number) => {
    const p = c.positions.map((x) => x * s);
    const box = c.box.map((L) => L * s) as [number, number, number];
    return eamEnergyForces(pot, p, box, elem).energy;
  };
  const { virial } = eamEnergyForces(pot, c.positions, c.box, elem);
  const V = c.box[0] * c.box[1] * c.box[2];
  const h = 1e-6;
  // E(s) with V = s³V0: dE/dV = (dE/ds) / (3V)
  const dEdV = (scaled(1 + h) - scaled(1 - h)) / (2 * h) / (3 * V);
  const pStatic = virial / (3 * V);
  assert.ok(
    Math.abs(pStatic + dEdV) < 1e-5 * Math.abs(dEdV) + 1e-9,
    `virial pressure ${pStatic * EVA3_GPA} vs −dE/dV ${-dEdV * EVA3_GPA} GPa`,
  );
  assert.ok(Math.abs(dEdV) > 1e-4, 'the strained crystal is under stress');
});

test(
  'multi-element setfl (NiAlH) forces match the numerical gradient for a Ni–Al mixture',
  { skip: !(await import('node:fs')).existsSync(NIALH) && 'NiAlH_jea.eam.alloy not installed' },
  () => {
    const p3 = EamPotential.fromFile(NIALH);
    const c = disordered(3.6, 4, 0.1, 11);
    const elem = new Int32Array(c.n);
    for (let i = 0; i < c.n; i += 3) elem[i] = 1; // every third atom Al
    const { forces } = eamEnergyForces(p3, c.positions, c.box, elem);
    const h = 1e-5;
    for (const k of [0, 4, 29, 100]) {
      const p = new Float64Array(c.positions);
      p[k] += h;
      const ep = eamEnergyForces(p3, p, c.box, elem).energy;
      p[k] -= 2 * h;
      const em = eamEnergyForces(p3, p, c.box, elem).energy;
      const num = -(ep - em) / (2 * h);
      assert.ok(Math.abs(num - forces[k]) < 1e-5, `component ${k}: ${forces[k]} vs ${num}`);
    }
  },
);

test('Verlet list with skin: energies after many steps equal a fresh evaluation; rebuilds happen', () => {
  const c = disordered(3.52, 4, 0.0, 1);
  const sys = new MdSystem(c, pot, { skin: 0.3 });
  sys.initVelocities(1500, new Rng(4));
  for (let s = 0; s < 400; s++) sys.verletStep(0.002);
  assert.ok(sys.ff.builds > 2, `rebuilds: ${sys.ff.builds}`);
  const fresh = eamEnergyForces(pot, sys.x, sys.box, new Int32Array(c.n));
  assert.ok(
    Math.abs(fresh.energy - sys.epot) < 1e-9 * Math.abs(fresh.energy),
    `${fresh.energy} vs ${sys.epot}`,
  );
  let d = 0;
  for (let k = 0; k < 3 * c.n; k++) d = Math.max(d, Math.abs(fresh.forces[k] - sys.f[k]));
  assert.ok(d < 1e-9, `max force difference ${d}`);
});

test('a box smaller than twice the cutoff is refused with a clear message', () => {
  const c = buildLattice('fcc', 3.52, 3);
  assert.throws(
    () => new EamForceField(pot, c.n, c.box, new Int32Array(c.n)),
    /box too small for the potential cutoff 5\.900 Å.*10\.560 Å/,
  );
});
