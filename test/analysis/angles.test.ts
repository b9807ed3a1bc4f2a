import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildLattice,
  buildNeighbourList,
  nearestNeighbourDistance,
  type LatticeName,
} from '../../src/structure/index.js';
import {
  bondAngleDistribution,
  AngleAccumulator,
  radialDistribution,
  firstShell,
} from '../../src/analysis/index.js';

const A = 3.524;

/** Per-atom tally of neighbour-pair angles (rounded to 0.01°) straight from the neighbour list. */
function perAtomAngles(name: LatticeName, a: number, cells: number, cutoff: number): Map<string, number>[] {
  const conf = buildLattice(name, a, cells);
  const nl = buildNeighbourList(conf, cutoff);
  const out: Map<string, number>[] = [];
  for (let i = 0; i < conf.n; i++) {
    const m = new Map<string, number>();
    for (let p = nl.start[i]; p < nl.start[i + 1]; p++)
      for (let q = p + 1; q < nl.start[i + 1]; q++) {
        const c = (nl.dx[p] * nl.dx[q] + nl.dy[p] * nl.dy[q] + nl.dz[p] * nl.dz[q]) / (nl.r[p] * nl.r[q]);
        const th = ((Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI).toFixed(2);
        m.set(th, (m.get(th) ?? 0) + 1);
      }
    out.push(m);
  }
  return out;
}

/** Σ N(θ)dθ over the bins whose centres lie within ±1° of θ0 (ideal angles can sit on a bin edge). */
function countNear(theta: Float64Array, bad: Float64Array, dtheta: number, th0: number): number {
  let s = 0;
  for (let k = 0; k < theta.length; k++) if (Math.abs(theta[k] - th0) <= 1.0) s += bad[k] * dtheta;
  return s;
}

const T = (deg: number) => deg.toFixed(2);
const acosDeg = (x: number) => (Math.acos(x) * 180) / Math.PI;

const cases: { name: LatticeName; a: number; n: number; counts: [number, number][] }[] = [
  {
    name: 'fcc',
    a: A,
    n: 12,
    counts: [
      [60, 24],
      [90, 12],
      [120, 24],
      [180, 6],
    ],
  },
  {
    name: 'bcc',
    a: 2.87,
    n: 8,
    counts: [
      [acosDeg(1 / 3), 12],
      [acosDeg(-1 / 3), 12],
      [180, 4],
    ],
  },
  { name: 'diamond', a: 5.43, n: 4, counts: [[acosDeg(-1 / 3), 6]] },
];

test('ideal fcc, bcc and diamond: exact per-atom angle counts, and N(θ) integrates to them', () => {
  for (const { name, a, n, counts } of cases) {
    const rc = nearestNeighbourDistance(name, a) * 1.05;
    const per = perAtomAngles(name, a, 3, rc);
    const expected = new Map(counts.map(([th, c]) => [T(th), c]));
    for (const m of per) assert.deepEqual(m, expected, name);
    const conf = buildLattice(name, a, 3);
    const b = bondAngleDistribution(conf, rc, { dtheta: 1 });
    assert.equal(b.theta.length, 180);
    assert.equal(b.theta[0], 0.5);
    assert.equal(b.theta[179], 179.5);
    assert.equal(b.meanNeighbours, n);
    assert.ok(Math.abs(b.meanPairs - (n * (n - 1)) / 2) < 1e-12);
    let integral = 0;
    for (const v of b.bad) integral += v * b.dtheta;
    assert.ok(Math.abs(integral - (n * (n - 1)) / 2) < 1e-9, `${name}: ∫N dθ = ${integral}`);
    for (const [th, c] of counts)
      assert.ok(Math.abs(countNear(b.theta, b.bad, 1, th) - c) < 1e-9, `${name} ${th}°`);
    // 180° pairs land in the last bin
    if (counts.some(([th]) => th === 180)) assert.ok(b.bad[179] > 0);
  }
});

test('ideal hcp: angle counts derived by enumerating the 12 ideal neighbour vectors', () => {
  const a = 2.5;
  const c = a * Math.sqrt(8 / 3);
  // the 12 neighbours of an hcp atom: 6 in its basal plane, 3 in the plane above and 3 below
  const vecs: number[][] = [];
  for (let k = 0; k < 6; k++)
    vecs.push([a * Math.cos((k * Math.PI) / 3), a * Math.sin((k * Math.PI) / 3), 0]);
  for (const z of [c / 2, -c / 2])
    for (const [x, y] of [
      [a / 2, a / (2 * Math.sqrt(3))],
      [-a / 2, a / (2 * Math.sqrt(3))],
      [0, -a / Math.sqrt(3)],
    ])
      vecs.push([x, y, z]);
  for (const v of vecs)
    assert.ok(Math.abs(Math.hypot(v[0], v[1], v[2]) - a) < 1e-12, 'all 12 at the nn distance');
  const expected = new Map<string, number>();
  for (let p = 0; p < 12; p++)
    for (let q = p + 1; q < 12; q++) {
      const cs = (vecs[p][0] * vecs[q][0] + vecs[p][1] * vecs[q][1] + vecs[p][2] * vecs[q][2]) / (a * a);
      const th = T(acosDeg(Math.max(-1, Math.min(1, cs))));
      expected.set(th, (expected.get(th) ?? 0) + 1);
    }
  let sum = 0;
  for (const v of expected.values()) sum += v;
  assert.equal(sum, 66, 'n(n−1)/2 pairs');
  // the enumeration reproduces the hcp signature (60°:24, 90°:12, 109.47°:3, 120°:18, 146.44°:6, 180°:3)
  assert.deepEqual(
    [...expected].sort((x, y) => Number(x[0]) - Number(y[0])),
    [
      ['60.00', 24],
      ['90.00', 12],
      [T(acosDeg(-1 / 3)), 3],
      ['120.00', 18],
      [T(acosDeg(-5 / 6)), 6],
      ['180.00', 3],
    ],
  );
  const per = perAtomAngles('hcp', a, 4, a * 1.05);
  for (const m of per) assert.deepEqual(m, expected);
  const b = bondAngleDistribution(buildLattice('hcp', a, 4), a * 1.05);
  for (const [th, cnt] of expected)
    assert.ok(Math.abs(countNear(b.theta, b.bad, 1, Number(th)) - cnt) < 1e-9, `hcp ${th}°`);
});

test('the automatic first-shell cutoff gives the same N(θ) as the geometric one for ideal lattices', () => {
  for (const { name, a } of cases) {
    const conf = buildLattice(name, a, 4);
    const g = radialDistribution(conf, { rmax: Math.min(6, Math.min(...conf.box) / 2), dr: 0.01 });
    const rc = firstShell(g.r, g.g).r_upper;
    const ref = bondAngleDistribution(conf, nearestNeighbourDistance(name, a) * 1.05);
    const auto = bondAngleDistribution(conf, rc);
    assert.deepEqual(auto.bad, ref.bad, name);
  }
});

test('AngleAccumulator averages frames and a finer grid keeps the normalisation', () => {
  const conf = buildLattice('fcc', A, 3);
  const acc = new AngleAccumulator(3.0, { dtheta: 0.5 });
  acc.add(conf);
  acc.add(conf);
  const r = acc.result();
  assert.equal(r.frames, 2);
  assert.equal(r.theta.length, 360);
  let s = 0;
  for (const v of r.bad) s += v * 0.5;
  assert.ok(Math.abs(s - 66) < 1e-9);
  assert.throws(() => new AngleAccumulator(3.0, { dtheta: 0.7 }), /whole number of bins/);
  assert.throws(
    () => bondAngleDistribution(buildLattice('fcc', A, 2), 4),
    /cutoff 4 Å exceeds half the shortest box edge \(3\.524 Å\)/,
  );
});
