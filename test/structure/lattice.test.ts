import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildLattice,
  buildNeighbourList,
  bruteForceNeighbourCounts,
  nearestNeighbourDistance,
  firstShellCoordination,
  LATTICES,
} from '../../src/structure/index.js';
import { Rng } from '../../src/util/rng.js';

test('every ideal lattice has its textbook first-shell coordination at its nearest-neighbour distance', () => {
  for (const name of LATTICES) {
    const a = 3.524;
    const conf = buildLattice(name, a, 4);
    const d = nearestNeighbourDistance(name, a);
    const nl = buildNeighbourList(conf, d * 1.05);
    for (let i = 0; i < conf.n; i++) {
      assert.equal(nl.start[i + 1] - nl.start[i], firstShellCoordination(name), `${name} atom ${i}`);
      for (let k = nl.start[i]; k < nl.start[i + 1]; k++) assert.ok(Math.abs(nl.r[k] - d) < 1e-9);
    }
  }
});

test('cell-list neighbour counts match brute force on small random and thermal boxes', () => {
  const rng = new Rng(7);
  for (const name of ['fcc', 'bcc', 'hcp', 'diamond'] as const) {
    const conf = buildLattice(name, 3.5, 3);
    for (let i = 0; i < conf.positions.length; i++) conf.positions[i] += 0.2 * rng.normal();
    for (const rc of [2.0, 3.1, Math.min(...conf.box) / 2]) {
      const nl = buildNeighbourList(conf, rc);
      const bf = bruteForceNeighbourCounts(conf, rc);
      for (let i = 0; i < conf.n; i++) assert.equal(nl.start[i + 1] - nl.start[i], bf[i]);
    }
  }
});

test('box too small for the cutoff is a clear error', () => {
  const conf = buildLattice('fcc', 3.5, 1);
  assert.throws(() => buildNeighbourList(conf, 2.5), /box too small/);
});

test('seeded generator is reproducible and roughly normal', () => {
  const a = new Rng(42),
    b = new Rng(42);
  let s = 0,
    s2 = 0;
  for (let i = 0; i < 20000; i++) {
    const x = a.normal();
    assert.equal(x, b.normal());
    s += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s / 20000) < 0.03);
  assert.ok(Math.abs(s2 / 20000 - 1) < 0.05);
});
