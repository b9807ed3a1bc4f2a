import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  EamPotential,
  defaultPotential,
  eamEnergyForces,
  lammpsAvailable,
  lammpsSinglePoint,
  findLammps,
  runMd,
  collectRun,
  lammpsInput,
} from '../../src/md/index.js';
import { buildLattice } from '../../src/structure/index.js';
import { Rng } from '../../src/util/rng.js';
import { UserError } from '../../src/util/errors.js';

const HAVE = lammpsAvailable();
const SKIP =
  !HAVE && 'LAMMPS (lmp) is not installed: builtin-vs-LAMMPS checks skipped (apt-get install lammps)';

function disordered(el: string, a: number, cells: number, amp: number, seed: number) {
  const c = buildLattice('fcc', a, cells, { element: el });
  const rng = new Rng(seed);
  for (let k = 0; k < c.positions.length; k++) c.positions[k] += amp * rng.normal();
  return c;
}

async function compare(file: string, el: string, a: number, cells: number, amp: number) {
  const pot = EamPotential.fromFile(file);
  const e = pot.elementIndex(el);
  const c = disordered(el, a, cells, amp, 21);
  const ours = eamEnergyForces(pot, c.positions, c.box, new Int32Array(c.n).fill(e));
  const lmp = await lammpsSinglePoint(c, file, [pot.elements[e].symbol], [pot.elements[e].mass]);
  const rel = Math.abs(ours.energy - lmp.energy) / Math.abs(lmp.energy);
  let df = 0;
  for (let k = 0; k < 3 * c.n; k++) df = Math.max(df, Math.abs(ours.forces[k] - lmp.forces[k]));
  assert.ok(rel < 1e-8, `${file}: energy ours ${ours.energy} LAMMPS ${lmp.energy} (rel ${rel})`);
  assert.ok(df < 1e-6, `${file}: max force difference ${df} eV/Å`);
  return { rel, df };
}

test(
  'builtin and LAMMPS eam/alloy agree on the shipped ZJW Ni setfl (energy 1e-8 rel, forces 1e-6 eV/Å)',
  { skip: SKIP },
  async () => {
    await compare(defaultPotential('Ni'), 'Ni', 3.52, 4, 0.15);
    // strongly compressed and disordered: exercises short distances and high densities
    await compare(defaultPotential('Ni'), 'Ni', 3.3, 4, 0.25);
  },
);

test('builtin and LAMMPS agree on third-party setfl files (Debian lammps-data)', { skip: SKIP }, async () => {
  const files = [
    ['/usr/share/lammps/potentials/NiAlH_jea.eam.alloy', 'Ni', 3.52, 4],
    ['/usr/share/lammps/potentials/Cu_zhou.eam.alloy', 'Cu', 3.615, 6],
  ] as const;
  let n = 0;
  for (const [f, el, a, cells] of files) {
    if (!existsSync(f)) continue;
    await compare(f, el, a, cells, 0.1);
    n++;
  }
  if (n === 0) assert.ok(true, 'no third-party files installed');
});

test(
  'the LAMMPS engine runs the same spec (barostat stage, then NVT sampling): steps, T, density, fcc kept',
  { skip: SKIP },
  async () => {
    const c = buildLattice('fcc', 3.5196, 4, { element: 'Ni' });
    const spec = {
      configuration: c,
      potential: defaultPotential('Ni'),
      stages: [
        { steps: 400, temperature: 300, pressure: 0 },
        { steps: 800, temperature: 300, sample: true },
      ],
      barostatTau: 0.2,
      every: 200,
      dt: 0.002,
      seed: 3,
      fingerprints: true,
    };
    const { frames, summary } = await collectRun(runMd(spec, { engine: 'lammps' }));
    assert.deepEqual(
      frames.map((f) => f.props!.step),
      [600, 800, 1000, 1200],
    );
    assert.equal(summary.engine, 'lammps');
    assert.ok(
      Math.abs(summary.averages.temperature.mean - 300) < 60,
      `⟨T⟩ ${summary.averages.temperature.mean}`,
    );
    assert.ok(Math.abs(summary.averages.pe.mean + 4.41) < 0.02, `⟨PE⟩ ${summary.averages.pe.mean}`);
    for (const f of frames) assert.equal(f.props!.phase, 'fcc');
    // the builtin engine on the same spec gives the same thermodynamics within fluctuations
    const b = await collectRun(runMd(spec, { engine: 'builtin' }));
    assert.ok(Math.abs(b.summary.averages.pe.mean - summary.averages.pe.mean) < 0.01);
    assert.ok(
      Math.abs(b.summary.averages.pressure.mean - summary.averages.pressure.mean) < 0.5,
      `P builtin ${b.summary.averages.pressure.mean} LAMMPS ${summary.averages.pressure.mean} GPa`,
    );
    // the Berendsen stage (LAMMPS: fix press/berendsen) relaxes both to the same density at P = 0
    assert.ok(summary.box[0] > c.box[0], `thermal expansion at P = 0: ${summary.box[0]} vs ${c.box[0]}`);
    assert.ok(
      Math.abs(b.summary.box[0] / summary.box[0] - 1) < 1e-3,
      `box builtin ${b.summary.box[0]} LAMMPS ${summary.box[0]}`,
    );
  },
);

test('a missing lmp gives a clear error', () => {
  assert.throws(
    () => findLammps({ exe: '/nonexistent/lmp' }),
    (e: Error) =>
      e instanceof UserError &&
      /LAMMPS executable "\/nonexistent\/lmp" not found.*apt-get install lammps.*--engine builtin/.test(
        e.message,
      ),
  );
});

test('LAMMPS input: eam/alloy with the same file, fix nvt per stage, tether as spring/self, dumps only while sampling', () => {
  const c = buildLattice('fcc', 3.52, 4, { element: 'Ni' });
  const inp = lammpsInput(
    {
      configuration: c,
      potential: 'x',
      stages: [
        { steps: 100, temperature: [300, 900] },
        { steps: 50, temperature: 900, sample: true },
      ],
      every: 10,
      seed: 1,
    },
    { setfl: '/p/Ni.eam.alloy', elements: ['Ni'], tetherK: 2.5, skin: 0.4, seed: 1 },
  );
  assert.match(inp, /pair_style eam\/alloy\npair_coeff \* \* \/p\/Ni\.eam\.alloy Ni/);
  assert.match(inp, /fix th all nvt temp 300 900 0\.1/);
  assert.match(inp, /fix tether all spring\/self 2\.5/);
  assert.equal((inp.match(/dump d all custom 10 traj\.dump id type x y z/g) ?? []).length, 1);
  assert.ok(inp.indexOf('dump d') > inp.indexOf('run 100'));
});
