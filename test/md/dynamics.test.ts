import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EamPotential,
  MdSystem,
  defaultPotential,
  runBuiltinSync,
  equilibrateAndSample,
  fccReferenceMsd,
  fccGroundState,
  KB,
  MVV2E,
  FTM2V,
  csvrKinetic,
  type MdSpec,
} from '../../src/md/index.js';
import { buildLattice, nearestNeighbourDistance, type Configuration } from '../../src/structure/index.js';
import { Rng } from '../../src/util/rng.js';

const pot = EamPotential.fromFile(defaultPotential('Ni'));
const a0 = 3.5196;

test('unit constants: 1 amu·Å²/ps² = 1.0364e-4 eV, kB = 8.617e-5 eV/K', () => {
  assert.ok(Math.abs(MVV2E - 1.036427e-4) < 1e-9);
  assert.ok(Math.abs(FTM2V - 9648.533) < 1e-2);
  assert.ok(Math.abs(KB - 8.617333e-5) < 1e-10);
});

test('Maxwell–Boltzmann velocities: exact T, zero momentum, seeded', () => {
  const c = buildLattice('fcc', a0, 4, { element: 'Ni' });
  const s1 = new MdSystem(c, pot);
  s1.initVelocities(450, new Rng(12));
  const s2 = new MdSystem(c, pot);
  s2.initVelocities(450, new Rng(12));
  assert.ok(Math.abs(s1.temperature() - 450) < 1e-9);
  let px = 0;
  for (let i = 0; i < c.n; i++) px += s1.v[3 * i] * s1.mass[i];
  assert.ok(Math.abs(px) < 1e-9);
  assert.deepEqual(Array.from(s1.v.slice(0, 30)), Array.from(s2.v.slice(0, 30)));
});

test('NVE: total energy is conserved (drift ≪ 1e-4 eV/atom over 2 ps, 1 fs steps, 300 K)', () => {
  const c = buildLattice('fcc', a0, 4, { element: 'Ni' });
  const sys = new MdSystem(c, pot, { skin: 0.4 });
  const rng = new Rng(3);
  sys.initVelocities(300, rng);
  for (let s = 0; s < 300; s++) {
    sys.verletStep(0.001);
    sys.thermostat(300, 0.02, 0.001, rng);
  }
  const ts: number[] = [],
    es: number[] = [];
  for (let s = 0; s < 2000; s++) {
    sys.verletStep(0.001);
    if (s % 10 === 0) {
      ts.push(s * 0.001);
      es.push((sys.epot + sys.kinetic()) / sys.n);
    }
  }
  const n = ts.length;
  const mt = ts.reduce((a, b) => a + b) / n,
    me = es.reduce((a, b) => a + b) / n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (ts[i] - mt) * (es[i] - me);
    sxx += (ts[i] - mt) ** 2;
  }
  const drift10ps = Math.abs((sxy / sxx) * 10);
  const spread = Math.max(...es) - Math.min(...es);
  assert.ok(drift10ps < 1e-5, `drift extrapolated to 10 ps: ${drift10ps} eV/atom`);
  assert.ok(spread < 2e-5, `energy spread ${spread} eV/atom`);
});

test('CSVR kinetic-energy update samples the canonical Γ distribution (mean and variance)', () => {
  const rng = new Rng(1);
  const nf = 300,
    target = 0.5 * nf * KB * 500;
  let k = target * 0.5,
    s = 0,
    s2 = 0,
    m = 0;
  for (let t = 0; t < 60000; t++) {
    k = csvrKinetic(rng, k, target, nf, 2);
    if (t > 1000) {
      s += k;
      s2 += k * k;
      m++;
    }
  }
  const mean = s / m,
    sd = Math.sqrt(s2 / m - mean * mean);
  assert.ok(Math.abs(mean / target - 1) < 0.005, `⟨K⟩/K̄ = ${mean / target}`);
  assert.ok(
    Math.abs(sd / mean / Math.sqrt(2 / nf) - 1) < 0.03,
    `σK/⟨K⟩ = ${sd / mean} vs ${Math.sqrt(2 / nf)}`,
  );
});

test('NVT (CSVR) on EAM Ni: ⟨T⟩ within 1 % and the canonical kinetic-energy spread', () => {
  const c = buildLattice('fcc', a0, 4, { element: 'Ni' });
  const sys = new MdSystem(c, pot, { skin: 0.4 });
  const rng = new Rng(77);
  const T = 600;
  sys.initVelocities(T, rng);
  const dt = 0.002,
    tau = 0.01;
  for (let s = 0; s < 500; s++) {
    sys.verletStep(dt);
    sys.thermostat(T, tau, dt, rng);
  }
  let s1 = 0,
    s2 = 0,
    m = 0;
  for (let s = 0; s < 6000; s++) {
    sys.verletStep(dt);
    sys.thermostat(T, tau, dt, rng);
    if (s % 5 === 0) {
      const t = sys.temperature();
      s1 += t;
      s2 += t * t;
      m++;
    }
  }
  const mean = s1 / m,
    sd = Math.sqrt(s2 / m - mean * mean);
  const expected = Math.sqrt(2 / sys.dof);
  assert.ok(Math.abs(mean / T - 1) < 0.01, `⟨T⟩ = ${mean}`);
  assert.ok(Math.abs(sd / mean / expected - 1) < 0.15, `σT/⟨T⟩ = ${sd / mean}, canonical ${expected}`);
});

function spec(conf: Configuration, over: Partial<MdSpec> = {}): MdSpec {
  return {
    configuration: conf,
    potential: pot,
    stages: equilibrateAndSample(300, 300, 900),
    every: 300,
    dt: 0.002,
    seed: 5,
    ...over,
  };
}

test('fcc Ni at 300 K stays fcc; same seed → identical snapshots; props are recorded', () => {
  const c = buildLattice('fcc', a0, 4, { element: 'Ni' });
  const f1: Configuration[] = [];
  const sum = runBuiltinSync(spec(c), (f) => f1.push(f));
  const f2: Configuration[] = [];
  runBuiltinSync(spec(c), (f) => f2.push(f));
  assert.equal(f1.length, 3);
  assert.equal(sum.frames, 3);
  assert.deepEqual(Array.from(f1[2].positions.slice(0, 12)), Array.from(f2[2].positions.slice(0, 12)));
  for (const f of f1) {
    assert.equal(f.props!.phase, 'fcc');
    assert.ok(Number(f.props!.fp_fcc) > 0.95);
    for (const k of ['step', 'time', 'temperature', 'pe', 'pressure', 'msd'])
      assert.ok(Number.isFinite(Number(f.props![k])), k);
  }
  assert.deepEqual(
    f1.map((f) => f.props!.step),
    [600, 900, 1200],
  );
  assert.ok(
    Math.abs(sum.averages.pe.mean + 4.45 - 1.5 * KB * 300) < 0.01,
    `⟨PE⟩ ${sum.averages.pe.mean} ≈ −Ec + 3/2 kT`,
  );
  assert.ok(sum.averages.msd.mean > 0.005 && sum.averages.msd.mean < 0.03, `MSD ${sum.averages.msd.mean}`);
});

test('tether auto: diamond Ni stays diamond with the MSD of fcc Ni at the same T', () => {
  const d = nearestNeighbourDistance('fcc', fccGroundState(pot, 'Ni').a);
  const a = d / nearestNeighbourDistance('diamond', 1);
  const c = buildLattice('diamond', a, 3, { element: 'Ni' });
  const target = fccReferenceMsd(pot, 'Ni', 600);
  assert.ok(target > 0.01 && target < 0.06, `fcc MSD at 600 K: ${target}`);
  const frames: Configuration[] = [];
  const sum = runBuiltinSync(
    spec(c, { tether: 'auto', stages: equilibrateAndSample(600, 200, 900), every: 300 }),
    (f) => frames.push(f),
  );
  assert.ok(sum.tether && sum.tether.k > 0);
  assert.ok(
    Math.abs(sum.averages.msd.mean / target - 1) < 0.3,
    `MSD ${sum.averages.msd.mean} vs target ${target} (k=${sum.tether!.k})`,
  );
  for (const f of frames)
    assert.equal(f.props!.phase, 'diamond', `step ${f.props!.step}: ${JSON.stringify(f.props)}`);
  // without the tether the diamond lattice does not survive
  const free: Configuration[] = [];
  runBuiltinSync(spec(c, { stages: equilibrateAndSample(600, 0, 1200), every: 1200 }), (f) => free.push(f));
  assert.notEqual(free[0].props!.phase, 'diamond');
});

test('Berendsen stage relaxes a compressed crystal to P ≈ 0 and the ZJW lattice constant', () => {
  const c = buildLattice('fcc', 3.45, 4, { element: 'Ni' });
  const frames: Configuration[] = [];
  const s = runBuiltinSync(
    {
      configuration: c,
      potential: pot,
      stages: [{ steps: 1000, temperature: 100, pressure: 0, sample: true }],
      every: 250,
      dt: 0.002,
      seed: 8,
      barostatTau: 0.2,
    },
    (f) => frames.push(f),
  );
  const a = s.box[0] / 4;
  assert.ok(
    Math.abs(a - 3.5196) < 0.01,
    `a = ${a} after relaxation (0 K value 3.5196, small thermal expansion at 100 K)`,
  );
  assert.ok(
    Math.abs(Number(frames[frames.length - 1].props!.pressure)) < 1,
    `P = ${frames[frames.length - 1].props!.pressure} GPa`,
  );
  assert.ok(Number(frames[0].props!.pressure) < 5 && s.box[0] > c.box[0]);
});

test('bad specs are refused naming the field', () => {
  const c = buildLattice('fcc', a0, 4, { element: 'Ni' });
  assert.throws(
    () => runBuiltinSync(spec(c, { stages: equilibrateAndSample(-5, 10, 10) })),
    /stages\[0\]\.temperature: expected a temperature ≥ 0 K, got -5/,
  );
  assert.throws(() => runBuiltinSync(spec(c, { every: 0 })), /every: expected a positive integer/);
  assert.throws(() => runBuiltinSync(spec(c, { elements: ['Xx'] })), /element "Xx" is not in the potential/);
});
