// Local order (src/analysis/localOrder.ts): Honeycutt–Andersen pair signatures and conventional
// per-atom CNA, pinned on ideal geometries and checked atom by atom against LAMMPS
// `compute cna/atom` on the same frames with the same cutoff (test/analysis/fixtures/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLattice, readConfigurations, type Configuration } from '../../src/structure/index.js';
import { localOrder, LocalOrderAccumulator, CNA_CLASSES } from '../../src/analysis/localOrder.js';
import { Rng } from '../../src/util/rng.js';

const FIX = join(process.cwd(), 'test', 'analysis', 'fixtures');

test('ideal fcc: every first-shell pair is 1421, every atom fcc', () => {
  const a = 3.524;
  const c = buildLattice('fcc', a, 4);
  const lo = localOrder(c, ((1 + Math.SQRT2) / 2) * (a / Math.SQRT2));
  assert.equal(lo.pairs, (c.n * 12) / 2);
  assert.equal(lo.pairs_1421, 1);
  assert.equal(lo.pairs_1422, 0);
  assert.equal(lo.pairs_1551, 0);
  assert.deepEqual(lo.atoms, { fcc: 1, hcp: 0, bcc: 0, ico: 0, other: 0 });
});

test('ideal hcp: 1421 and 1422 pairs exactly 1 : 1 (6 + 6 per atom), every atom hcp', () => {
  const a = 2.507;
  const c = buildLattice('hcp', a, 4);
  const lo = localOrder(c, ((1 + Math.SQRT2) / 2) * a);
  assert.equal(lo.pairs, (c.n * 12) / 2);
  assert.equal(lo.pairs_1421, 0.5);
  assert.equal(lo.pairs_1422, 0.5);
  assert.equal(lo.pairs_1551, 0);
  assert.deepEqual(lo.atoms, { fcc: 0, hcp: 1, bcc: 0, ico: 0, other: 0 });
});

test('ideal bcc with the cutoff beyond the second shell: every atom bcc, no 1421/1422/1551 pairs', () => {
  const a = 2.8665;
  const c = buildLattice('bcc', a, 5);
  const lo = localOrder(c, 1.207 * a);
  assert.equal(lo.pairs, (c.n * 14) / 2);
  assert.equal(lo.pairs_1421 + lo.pairs_1422 + lo.pairs_1551, 0);
  assert.deepEqual(lo.atoms, { fcc: 0, hcp: 0, bcc: 1, ico: 0, other: 0 });
});

/** A 13-atom icosahedron (centre + 12 vertices at distance R) in a large empty box. */
function icosahedron(R: number, L = 30): Configuration {
  const phi = (1 + Math.sqrt(5)) / 2;
  const v: number[][] = [[0, 0, 0]];
  for (const s1 of [-1, 1])
    for (const s2 of [-1, 1]) v.push([0, s1, s2 * phi], [s1, s2 * phi, 0], [s2 * phi, 0, s1]);
  const norm = Math.hypot(1, phi);
  const positions = new Float64Array(3 * v.length);
  v.forEach((p, i) => p.forEach((x, d) => (positions[3 * i + d] = L / 2 + (i === 0 ? 0 : (x / norm) * R))));
  return { n: v.length, positions, box: [L, L, L] };
}

test('ideal icosahedral cluster: the 12 centre–vertex pairs are 1551 and the centre is icosahedral', () => {
  const R = 2.49;
  const c = icosahedron(R);
  // vertex–vertex edge = 1.0515 R, next vertex distance = 1.701 R: cut between them
  const lo = localOrder(c, 1.35 * R);
  assert.equal(lo.pairs, 12 + 30); // 12 spokes + 30 edges
  assert.equal(lo.pairs_1551, 12 / 42); // the 30 surface edges have 3 common neighbours
  assert.equal(lo.pairs_1421 + lo.pairs_1422, 0);
  assert.equal(CNA_CLASSES[lo.perAtom[0]], 'ico');
  for (let i = 1; i < 13; i++) assert.equal(CNA_CLASSES[lo.perAtom[i]], 'other');
  assert.equal(lo.atoms.ico, 1 / 13);
});

test('thermal fcc keeps 1421 pairs and gains no 1551; the accumulator averages frames', () => {
  const acc = new LocalOrderAccumulator(3.0);
  const rng = new Rng(5);
  for (let f = 0; f < 2; f++) {
    const c = buildLattice('fcc', 3.524, 4);
    for (let i = 0; i < c.positions.length; i++) c.positions[i] += 0.05 * rng.normal();
    const lo = acc.add(c);
    assert.ok(lo.pairs_1421 > 0.95, `1421 share ${lo.pairs_1421}`);
    assert.equal(lo.pairs_1551, 0);
  }
  assert.equal(acc.frames, 2);
  assert.ok(acc.result().cna_fcc > 0.9);
});

test('a cutoff that is not a positive number is refused', () => {
  assert.throws(() => localOrder(buildLattice('fcc', 3.5, 3), 0), /cutoff/);
  assert.throws(() => localOrder(buildLattice('fcc', 3.5, 3), NaN), /cutoff/);
});

// LAMMPS cna/atom codes: 1 fcc, 2 hcp, 3 bcc, 4 icosahedral, 5 other (0 unknown) → CNA_CLASSES
const FROM_LAMMPS = ['other', 'fcc', 'hcp', 'bcc', 'ico', 'other'];

for (const [name, cutoff, what] of [
  ['fcc', 3.008, 'thermal fcc Ni'],
  ['hcp', 3.026, 'thermal hcp Co'],
  ['bcc', 3.46, 'thermal bcc Fe'],
  ['hot', 3.100619511862197, 'MD fcc Ni at ~1450 K'],
  ['liquid', 3.375, 'liquid Ni at 2000 K'],
  ['undercooled', 3.405, 'Ni quenched to 1200 K'],
] as const) {
  test(`conventional CNA equals LAMMPS compute cna/atom atom by atom: ${what}`, async () => {
    const file = join(FIX, `cna-${name}.dump`);
    const [conf] = await readConfigurations(file);
    const ref = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(9)
      .map((l) => FROM_LAMMPS[Number(l.trim().split(/\s+/).at(-1))]);
    assert.equal(ref.length, conf.n);
    const lo = localOrder(conf, cutoff);
    const diff: string[] = [];
    for (let i = 0; i < conf.n; i++)
      if (CNA_CLASSES[lo.perAtom[i]] !== ref[i])
        diff.push(`atom ${i}: ${CNA_CLASSES[lo.perAtom[i]]} vs ${ref[i]}`);
    assert.deepEqual(diff, []);
    if (name === 'undercooled') assert.ok(lo.atoms.ico > 0, 'the undercooled frame holds icosahedral atoms');
  });
}

test('at the first-shell module’s cutoff thermal fcc, hcp and bcc (combined 8 + 6 shell) are classified', async () => {
  const { RdfAccumulator } = await import('../../src/analysis/rdf.js');
  const { firstShell } = await import('../../src/analysis/firstShell.js');
  for (const [name, a, sigma, min] of [
    ['fcc', 3.524, 0.12, 0.9],
    ['hcp', 2.507, 0.1, 0.99],
    ['bcc', 2.8665, 0.12, 0.95],
  ] as const) {
    const c = buildLattice(name, a, 8);
    const rng = new Rng(3);
    for (let i = 0; i < c.positions.length; i++) c.positions[i] += sigma * rng.normal();
    const rdf = new RdfAccumulator({ rmax: 6, dr: 0.01 });
    rdf.add(c);
    const g = rdf.result();
    const lo = localOrder(c, firstShell(g.r, g.g, { density: g.density }).cutoff);
    assert.ok(lo.atoms[name] >= min, `${name}: ${lo.atoms[name]}`);
    assert.equal(lo.pairs_1551, 0);
  }
});
