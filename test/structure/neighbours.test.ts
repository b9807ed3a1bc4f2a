// The cell-list pair collection behind buildNeighbourList (CellList.pairList) against brute force:
// the same pairs, minimum-image displacements and distances, also for unwrapped positions and for
// boxes with fewer than 3 cells along an axis (brute-force path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLattice, buildNeighbourList, minImage, type Configuration } from '../../src/structure/index.js';
import { Rng } from '../../src/util/rng.js';

function bruteForcePairs(c: Configuration, rc: number): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  const p = c.positions;
  for (let i = 0; i < c.n; i++)
    for (let j = i + 1; j < c.n; j++) {
      const d: [number, number, number] = [0, 1, 2].map((k) =>
        minImage(p[3 * j + k] - p[3 * i + k], c.box[k]),
      ) as [number, number, number];
      if (Math.hypot(...d) < rc) out.set(`${i},${j}`, d);
    }
  return out;
}

test('neighbour lists (half and full) equal brute force, with unwrapped positions and non-cubic boxes', () => {
  const rng = new Rng(31);
  const cases: [Configuration, number][] = [
    [buildLattice('fcc', 3.524, 4), 3.0],
    [buildLattice('hcp', 2.5, 4, { reps: [5, 3, 3] }), 3.2],
    [buildLattice('bcc', 2.87, 3), 2.6], // 3 cells per axis: smallest cell-list grid
    [buildLattice('diamond', 5.43, 1, { reps: [2, 1, 1] }), 2.7], // < 3 cells: brute-force path
  ];
  for (const [c, rc] of cases) {
    for (let i = 0; i < c.positions.length; i++) {
      c.positions[i] += 0.15 * rng.normal();
      // move some atoms to far periodic images
      if (rng.uniform() < 0.3) c.positions[i] += c.box[i % 3] * (rng.int(7) - 3);
    }
    const ref = bruteForcePairs(c, rc);
    const half = buildNeighbourList(c, rc, { half: true });
    assert.equal(half.index.length, ref.size);
    for (let i = 0; i < c.n; i++)
      for (let k = half.start[i]; k < half.start[i + 1]; k++) {
        const j = half.index[k];
        assert.ok(j > i);
        const d = ref.get(`${i},${j}`);
        assert.ok(d, `pair ${i},${j} not within the cutoff`);
        assert.ok(
          Math.abs(half.dx[k] - d[0]) < 1e-9 &&
            Math.abs(half.dy[k] - d[1]) < 1e-9 &&
            Math.abs(half.dz[k] - d[2]) < 1e-9,
        );
        assert.ok(Math.abs(half.r[k] - Math.hypot(...d)) < 1e-9);
      }
    const full = buildNeighbourList(c, rc);
    assert.equal(full.index.length, 2 * ref.size);
    for (let i = 0; i < c.n; i++)
      for (let k = full.start[i]; k < full.start[i + 1]; k++) {
        const j = full.index[k];
        const d = i < j ? ref.get(`${i},${j}`) : ref.get(`${j},${i}`)?.map((x) => -x);
        assert.ok(d);
        assert.ok(
          Math.abs(full.dx[k] - d[0]) < 1e-9 &&
            Math.abs(full.dy[k] - d[1]) < 1e-9 &&
            Math.abs(full.dz[k] - d[2]) < 1e-9,
        );
      }
  }
});
