import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EamPotential,
  splineCoefficients,
  readSetfl,
  readFuncfl,
  readEamFile,
  formatSetfl,
  tabulateZhou,
  ZHOU_PARAMS,
  zhouDensity,
  zhouPair,
  zhouEmbedding,
  zhouLattice,
  defaultPotential,
  fccGroundState,
  eamEnergyForces,
} from '../../src/md/index.js';
import { buildLattice } from '../../src/structure/index.js';
import { FileFormatError } from '../../src/util/errors.js';

test('the LAMMPS-style 7-coefficient spline reproduces a cubic exactly away from the table ends', () => {
  const f = (x: number) => 0.3 * x * x * x - 1.7 * x * x + 0.2 * x + 5;
  const df = (x: number) => 0.9 * x * x - 3.4 * x + 0.2;
  const n = 50,
    h = 0.1;
  const tab = new Float64Array(n).map((_, k) => f(k * h));
  const c = splineCoefficients(tab, h);
  for (const x of [0.25, 1.234, 2.5, 3.999, 4.6]) {
    const m = Math.floor(x / h);
    const p = x / h - m;
    const o = 7 * m;
    const v = ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
    const d = (c[o] * p + c[o + 1]) * p + c[o + 2];
    assert.ok(Math.abs(v - f(x)) < 1e-11, `value at ${x}: ${v} vs ${f(x)}`);
    assert.ok(Math.abs(d - df(x)) < 1e-10, `slope at ${x}: ${d} vs ${df(x)}`);
  }
});

test('ZJW tables interpolate back to the analytic functions', () => {
  const p = ZHOU_PARAMS.Ni;
  const pot = new EamPotential(tabulateZhou('Ni'));
  for (const r of [1.9, 2.3, 2.49, 3.1, 4.2, 5.5]) {
    assert.ok(Math.abs(pot.rho(0, r)[0] - zhouDensity(p, r)) < 1e-8 * zhouDensity(p, 2), `rho(${r})`);
    assert.ok(Math.abs(pot.phi(0, 0, r)[0] - zhouPair(p, r)) < 1e-8, `phi(${r})`);
  }
  for (const rho of [5, 20, 27.5, 33, 60])
    assert.ok(Math.abs(pot.embed(0, rho)[0] - zhouEmbedding(p, rho)) < 1e-7, `F(${rho})`);
  // F and its slope are continuous where the three branches of F meet
  for (const rb of [0.85 * p.rhoe, 1.15 * p.rhoe]) {
    assert.ok(
      Math.abs(zhouEmbedding(p, rb - 1e-9) - zhouEmbedding(p, rb + 1e-9)) < 1e-6,
      `F continuous at ${rb}`,
    );
  }
});

test('ZJW Ni and Cu give the published fcc lattice constant and cohesive energy; bcc Fe sits at 2re/√3 and below fcc', () => {
  for (const el of ['Ni', 'Cu']) {
    const pub = ZHOU_PARAMS[el].published!;
    const { a, ec } = fccGroundState(new EamPotential(tabulateZhou(el)), el);
    assert.ok(Math.abs(a - pub.a) < 0.005, `${el} a0 ${a} vs ${pub.a}`);
    assert.ok(Math.abs(ec - pub.ec) / pub.ec < 0.002, `${el} Ec ${ec} vs ${pub.ec}`);
  }
  // bcc Fe: the lattice energy is stationary at a = 2re/√3 (the fit's design)
  const fe = new EamPotential(tabulateZhou('Fe'));
  const e = (a: number) => {
    const c = buildLattice('bcc', a, 5);
    return eamEnergyForces(fe, c.positions, c.box, new Int32Array(c.n)).energy / c.n;
  };
  const a0 = zhouLattice(ZHOU_PARAMS.Fe);
  assert.ok(e(a0) < e(a0 - 0.01) && e(a0) < e(a0 + 0.01), 'bcc Fe minimum near 2re/√3');
  // Fe prefers bcc over fcc at equal volume per atom
  const afcc = a0 * Math.cbrt(2);
  const cf = buildLattice('fcc', afcc, 4);
  const efcc = eamEnergyForces(fe, cf.positions, cf.box, new Int32Array(cf.n)).energy / cf.n;
  assert.ok(e(a0) < efcc, `Fe: bcc ${e(a0)} below fcc ${efcc}`);
});

test('shipped setfl files are the ZJW tabulation, and setfl write → read round-trips exactly', () => {
  for (const el of ['Ni', 'Cu', 'Co', 'Fe']) {
    const path = defaultPotential(el);
    const t = readSetfl(path);
    const fresh = tabulateZhou(el);
    assert.equal(t.nr, fresh.nr);
    assert.equal(t.cutoff, fresh.cutoff);
    for (let k = 0; k < t.nr; k += 97) assert.equal(t.z2r[0][k], fresh.z2r[0][k]);
    for (let k = 0; k < t.nrho; k += 97) assert.equal(t.frho[0][k], fresh.frho[0][k]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'eam-'));
  try {
    const t = tabulateZhou('Ni', { nr: 500, nrho: 400 });
    const p = join(dir, 'x.eam.alloy');
    writeFileSync(p, formatSetfl(t));
    const back = readSetfl(p);
    assert.deepEqual(Array.from(back.rhor[0]), Array.from(t.rhor[0]));
    assert.equal(back.drho, t.drho);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unparsable potential files name the file and the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eam-'));
  try {
    const good = formatSetfl(tabulateZhou('Ni', { nr: 100, nrho: 100 }));
    const lines = good.split('\n');
    lines[20] = lines[20].replace(/^\S+/, '1.0x3');
    const bad = join(dir, 'bad.eam.alloy');
    writeFileSync(bad, lines.join('\n'));
    assert.throws(
      () => readSetfl(bad),
      (e: Error) => e instanceof FileFormatError && /bad\.eam\.alloy:21: expected a number/.test(e.message),
    );
    const trunc = join(dir, 'trunc.eam.alloy');
    writeFileSync(trunc, good.split('\n').slice(0, 40).join('\n'));
    assert.throws(
      () => readSetfl(trunc),
      /trunc\.eam\.alloy:\d+: unexpected end of file while reading F\(rho\)|rho\(r\)|r\*phi/,
    );
    const hdr = join(dir, 'hdr.eam.alloy');
    writeFileSync(hdr, 'a\nb\nc\nzero Ni\n10 0.1 10 0.1 5\n');
    assert.throws(() => readSetfl(hdr), /hdr\.eam\.alloy:4: expected the number of elements/);
    assert.throws(() => readEamFile(join(dir, 'missing.eam.alloy')), /cannot read potential file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const U3 = '/usr/share/lammps/potentials/Ni_u3.eam';
test(
  'funcfl: Foiles–Baskes–Daw Ni_u3.eam gives its fcc cohesive energy 4.45 eV at 3.52 Å',
  { skip: !existsSync(U3) && `${U3} not installed (Debian lammps-data)` },
  () => {
    const pot = new EamPotential(readFuncfl(U3));
    assert.equal(pot.elements[0].symbol, 'Ni');
    const c = buildLattice('fcc', 3.52, 4);
    const { energy } = eamEnergyForces(pot, c.positions, c.box, new Int32Array(c.n));
    assert.ok(Math.abs(energy / c.n + 4.45) < 0.01, `E/atom ${energy / c.n}`);
    assert.ok(readFileSync(U3, 'utf8').length > 0);
  },
);

test('a one-element Finnis–Sinclair file (*.eam.fs) reads as setfl; several elements are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eam-'));
  try {
    const text = formatSetfl(tabulateZhou('Fe', { nr: 200, nrho: 200 }));
    const fs1 = join(dir, 'Fe.eam.fs');
    writeFileSync(fs1, text);
    const a = readEamFile(fs1);
    const b = readSetfl(fs1);
    assert.deepEqual(Array.from(a.z2r[0]), Array.from(b.z2r[0]));
    assert.equal(a.elements[0].symbol, 'Fe');
    // two elements: eam/fs holds ρ per ordered pair, which setfl cannot represent
    const lines = text.split('\n');
    lines[3] = '2 Fe Al';
    const fs2 = join(dir, 'FeAl.eam.fs');
    writeFileSync(fs2, lines.join('\n'));
    assert.throws(() => readEamFile(fs2), /one element only \(this one has 2\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const FE_MM = '/usr/share/lammps/potentials/Fe_mm.eam.fs';
test(
  'eam/fs: Mendelev Fe_mm.eam.fs has its bcc energy minimum at the published 2.855 Å',
  { skip: !existsSync(FE_MM) && `${FE_MM} not installed (Debian lammps-data)` },
  () => {
    const pot = new EamPotential(readEamFile(FE_MM));
    assert.equal(pot.elements[0].symbol, 'Fe');
    const e = (a: number) => {
      const c = buildLattice('bcc', a, 5);
      return eamEnergyForces(pot, c.positions, c.box, new Int32Array(c.n)).energy / c.n;
    };
    // Mendelev et al., Phil. Mag. 83, 3977 (2003): a0 = 2.8553 Å, Ec = 4.122 eV (potential 2)
    assert.ok(e(2.855) < e(2.835) && e(2.855) < e(2.875), `E(a) ${e(2.835)} ${e(2.855)} ${e(2.875)}`);
    assert.ok(Math.abs(e(2.855) + 4.122) < 0.02, `E/atom ${e(2.855)}`);
  },
);
