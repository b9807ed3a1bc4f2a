import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLattice, type Configuration, type LatticeName } from '../../src/structure/index.js';
import {
  fingerprint,
  FingerprintAccumulator,
  STRUCTURE_TYPES,
  type StructureType,
} from '../../src/analysis/index.js';
import { Rng } from '../../src/util/rng.js';

const LATS: { name: LatticeName; a: number; cls: StructureType }[] = [
  { name: 'fcc', a: 3.524, cls: 'fcc' }, // Ni
  { name: 'fcc', a: 4.05, cls: 'fcc' }, // Al
  { name: 'hcp', a: 2.507, cls: 'hcp' }, // Co
  { name: 'bcc', a: 2.8665, cls: 'bcc' }, // Fe
  { name: 'diamond', a: 5.431, cls: 'diamond' }, // Si
  { name: 'sc', a: 2.5, cls: 'other' },
];

function displace(c: Configuration, sigma: number, rng: Rng): Configuration {
  for (let i = 0; i < c.positions.length; i++) c.positions[i] += sigma * rng.normal();
  return c;
}

test('every ideal lattice is classified as itself, atom by atom (simple cubic as other)', () => {
  for (const { name, a, cls } of LATS) {
    for (const cells of [3, 5]) {
      const c = buildLattice(name, a, cells);
      const f = fingerprint(c);
      assert.equal(f.perAtom.length, c.n);
      const code = STRUCTURE_TYPES.indexOf(cls);
      assert.ok(
        f.perAtom.every((t) => t === code),
        `${name} a=${a} ${cells}³`,
      );
      assert.equal(f.fractions[cls], 1);
      assert.equal(f.dominant, cls);
      const sum =
        f.fractions.fcc + f.fractions.hcp + f.fractions.bcc + f.fractions.diamond + f.fractions.other;
      assert.ok(Math.abs(sum - 1) < 1e-12);
    }
  }
});

test('Gaussian displacements σ = 0.05 Å keep the classification (≥ 98 % of atoms)', () => {
  const rng = new Rng(2012);
  for (const { name, a, cls } of LATS) {
    if (cls === 'other') continue;
    const c = displace(buildLattice(name, a, name === 'diamond' ? 4 : 6), 0.05, rng);
    const f = fingerprint(c);
    assert.equal(f.dominant, cls, name);
    assert.ok(f.fractions[cls] >= 0.98, `${name} a=${a}: ${JSON.stringify(f.fractions)}`);
  }
});

test('a random dense configuration (uniform points at the density of Ni) is "other"', () => {
  const rng = new Rng(99);
  const n = 2000;
  const L = Math.cbrt(n / 0.0914);
  const positions = new Float64Array(3 * n);
  for (let i = 0; i < 3 * n; i++) positions[i] = rng.uniform() * L;
  const f = fingerprint({ n, positions, box: [L, L, L] });
  assert.equal(f.dominant, 'other');
  assert.ok(f.fractions.other > 0.97, JSON.stringify(f.fractions));
});

test('large displacements (a crystal being destroyed) move atoms to "other"; two phases give their fractions', () => {
  const rng = new Rng(3);
  const hot = displace(buildLattice('fcc', 3.524, 5), 0.35, rng);
  const f = fingerprint(hot);
  assert.ok(f.fractions.fcc < 0.5, JSON.stringify(f.fractions));
  // half fcc, half bcc stacked along z: each half keeps its class away from the interface
  const fcc = buildLattice('fcc', 3.524, 6, { reps: [6, 6, 6] });
  const bccA = (3.524 * 6) / 8; // 8 bcc cells across the same 21.1 Å (a = 2.643 Å)
  const bcc = buildLattice('bcc', bccA, 8, { reps: [8, 8, 8] });
  const zShift = fcc.box[2];
  const pos: number[] = [];
  for (let i = 0; i < fcc.n; i++)
    pos.push(fcc.positions[3 * i], fcc.positions[3 * i + 1], fcc.positions[3 * i + 2]);
  for (let i = 0; i < bcc.n; i++)
    pos.push(bcc.positions[3 * i], bcc.positions[3 * i + 1], bcc.positions[3 * i + 2] + zShift);
  const two: Configuration = {
    n: fcc.n + bcc.n,
    positions: Float64Array.from(pos),
    box: [fcc.box[0], fcc.box[1], 2 * zShift],
  };
  const t = fingerprint(two);
  const fccFrac = fcc.n / two.n;
  assert.ok(Math.abs(t.fractions.fcc - fccFrac) < 0.12, JSON.stringify(t.fractions));
  assert.ok(Math.abs(t.fractions.bcc - (1 - fccFrac)) < 0.12, JSON.stringify(t.fractions));
  // interior atoms (≥ 4 Å from either interface) are exact
  for (let i = 0; i < two.n; i++) {
    const z = two.positions[3 * i + 2];
    const dz = Math.min(Math.abs(z - zShift), z, 2 * zShift - z);
    if (dz > 4) assert.equal(t.perAtom[i], i < fcc.n ? 1 : 3, `atom ${i} at z=${z}`);
  }
});

test('FingerprintAccumulator averages fractions over frames; tiny boxes do not fail', () => {
  const acc = new FingerprintAccumulator();
  acc.add(buildLattice('fcc', 3.524, 3));
  acc.add(buildLattice('bcc', 2.87, 3));
  const r = acc.result();
  assert.equal(acc.frames, 2);
  assert.equal(r.fcc, 0.5);
  assert.equal(r.bcc, 0.5);
  // a 2×2×2 fcc box is smaller than twice the candidate cutoff: the search is clamped to half the box
  assert.equal(fingerprint(buildLattice('fcc', 3.524, 2)).fractions.fcc, 1);
});
