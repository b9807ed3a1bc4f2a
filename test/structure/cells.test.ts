// The one cell-list pair iterator (src/structure/cells.ts) against a brute-force minimum-image
// search: same pairs, same displacements, and shift codes that rebuild each displacement from the
// wrapped positions (what the EAM Verlet list relies on), for boxes with and without cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CellGrid, NO_SHIFT } from '../../src/structure/index.js';
import { Rng } from '../../src/util/rng.js';

function brute(pos: Float64Array, n: number, box: number[], rc: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const d = [0, 1, 2].map((a) => {
        const e = pos[3 * j + a] - pos[3 * i + a];
        return e - box[a] * Math.round(e / box[a]);
      });
      if (d[0] ** 2 + d[1] ** 2 + d[2] ** 2 < rc * rc) out.set(`${i},${j}`, d);
    }
  return out;
}

for (const [label, box, rc] of [
  ['cells (5×4×6 per axis)', [10, 8.4, 12.3], 2],
  ['small box (all pairs, minimum image)', [5.1, 6.2, 5.6], 2.5],
] as const) {
  test(`CellGrid: ${label} gives the brute-force pairs with consistent shift codes`, () => {
    const rng = new Rng(7);
    const n = 150;
    const pos = new Float64Array(3 * n);
    // positions partly outside the box (the grid wraps them)
    for (let i = 0; i < n; i++)
      for (let a = 0; a < 3; a++) pos[3 * i + a] = (rng.uniform() * 1.6 - 0.3) * box[a];
    const ref = brute(pos, n, [...box], rc);
    const grid = new CellGrid(box, rc);
    assert.equal(grid.useCells, label.startsWith('cells'));
    grid.bin(pos, n);
    const wrap = (i: number, a: number) => pos[3 * i + a] - box[a] * Math.floor(pos[3 * i + a] / box[a]);
    const seen = new Set<string>();
    let shifted = 0;
    const check = (i: number, j: number, d: number[], code: number) => {
      assert.ok(i < j);
      const key = `${i},${j}`;
      assert.ok(!seen.has(key), `pair ${key} twice`);
      seen.add(key);
      const r = ref.get(key);
      assert.ok(r, `pair ${key} is not within the cutoff`);
      for (let a = 0; a < 3; a++) {
        assert.ok(Math.abs(d[a] - r[a]) < 1e-9);
        // d = r_j + S(code) − r_i on the wrapped positions
        const s = grid.shiftVec[3 * code + a];
        assert.ok(Math.abs(wrap(j, a) + s - wrap(i, a) - d[a]) < 1e-9);
      }
      if (code !== NO_SHIFT) shifted++;
    };
    // both ways of getting the pairs: chunks of at most 4096, and one growable collection
    grid.forEachPairChunk(rc, (p, m) => {
      for (let k = 0; k < m; k++) check(p.i[k], p.j[k], [p.dx[k], p.dy[k], p.dz[k]], p.shift[k]);
    });
    assert.equal(seen.size, ref.size);
    assert.ok(shifted > 0, 'some pairs cross the periodic boundary');
    seen.clear();
    const { pairs, count } = grid.collectPairs(rc);
    assert.equal(count, ref.size);
    for (let k = 0; k < count; k++)
      check(pairs.i[k], pairs.j[k], [pairs.dx[k], pairs.dy[k], pairs.dz[k]], pairs.shift[k]);
  });
}
