import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildLattice,
  bruteForceNeighbourCounts,
  nearestNeighbourDistance,
  type Configuration,
} from '../../src/structure/index.js';
import {
  radialDistribution,
  RdfAccumulator,
  coordinationNumber,
  firstShell,
  shellVolume,
} from '../../src/analysis/index.js';
import { Rng } from '../../src/util/rng.js';

function randomPoints(n: number, L: number, rng: Rng): Configuration {
  const positions = new Float64Array(3 * n);
  for (let i = 0; i < 3 * n; i++) positions[i] = rng.uniform() * L;
  return { n, positions, box: [L, L, L] };
}

function displaced(c: Configuration, sigma: number, rng: Rng): Configuration {
  const p = new Float64Array(c.positions);
  for (let i = 0; i < p.length; i++) p[i] += sigma * rng.normal();
  return { ...c, positions: p };
}

test('g(r) of uniformly random points is 1 within its Poisson noise', () => {
  const rng = new Rng(11);
  const n = 1500,
    L = 26,
    frames = 4,
    dr = 0.25,
    rmax = 10;
  const acc = new RdfAccumulator({ rmax, dr });
  for (let f = 0; f < frames; f++) acc.add(randomPoints(n, L, rng));
  const g = acc.result();
  assert.equal(g.frames, frames);
  assert.ok(Math.abs(g.density - n / L ** 3) < 1e-15);
  let chi2 = 0;
  let m = 0;
  for (let k = 0; k < g.r.length; k++) {
    // expected pairs per bin over all frames; g's relative standard deviation is 1/√E
    const E = ((frames * (n * (n - 1))) / 2) * (shellVolume(k * dr, (k + 1) * dr) / L ** 3);
    if (E < 50) continue;
    const z = (g.g[k] - (n - 1) / n) * Math.sqrt(E);
    assert.ok(Math.abs(z) < 5, `bin ${g.r[k]}: g = ${g.g[k]} (z = ${z.toFixed(2)})`);
    chi2 += z * z;
    m++;
  }
  assert.ok(m > 30);
  assert.ok(chi2 / m > 0.5 && chi2 / m < 1.7, `χ²/bin = ${chi2 / m}`);
});

test('∫4πr²ρg(r)dr up to a bin edge equals the direct neighbour count', () => {
  const rng = new Rng(12);
  const confs = [
    displaced(buildLattice('fcc', 3.524, 5), 0.12, rng),
    randomPoints(800, 20, rng),
    displaced(buildLattice('bcc', 2.87, 6), 0.1, rng),
  ];
  for (const c of confs) {
    const g = radialDistribution(c, { rmax: 6, dr: 0.01 });
    for (const rc of [2.0, 3.0, 4.5, 6.0]) {
      const direct = bruteForceNeighbourCounts(c, rc).reduce((s, x) => s + x, 0) / c.n;
      const cn = coordinationNumber(g.r, g.g, g.density, rc);
      assert.ok(Math.abs(cn - direct) < 1e-9, `rc ${rc}: CN ${cn} vs direct ${direct}`);
    }
  }
  // a cutoff inside a bin takes the fraction of that bin's shell volume
  const g = radialDistribution(randomPoints(500, 16, rng), { rmax: 8, dr: 0.5 });
  const half = coordinationNumber(g.r, g.g, g.density, 2.25);
  const lo = coordinationNumber(g.r, g.g, g.density, 2.0);
  const hi = coordinationNumber(g.r, g.g, g.density, 2.5);
  const f = shellVolume(2.0, 2.25) / shellVolume(2.0, 2.5);
  assert.ok(Math.abs(half - (lo + f * (hi - lo))) < 1e-12);
});

test('g(r) does not depend on the supercell size once the box exceeds 2·rmax', () => {
  for (const [name, a] of [
    ['fcc', 3.524],
    ['hcp', 2.5],
    ['diamond', 5.43],
  ] as const) {
    const rmax = 5;
    let ref: Float64Array | null = null;
    for (const cells of [4, 5, 7]) {
      const c = buildLattice(name, a, cells);
      if (Math.min(...c.box) < 2 * rmax) continue;
      // a bin width that puts no ideal distance on a bin edge (otherwise rounding decides the bin)
      const g = radialDistribution(c, { rmax, dr: 0.0137 });
      if (ref === null) ref = g.g;
      else
        for (let k = 0; k < ref.length; k++)
          assert.ok(
            Math.abs(g.g[k] - ref[k]) < 1e-9 * Math.max(1, ref[k]),
            `${name} ${cells} cells r=${g.r[k]}`,
          );
    }
    assert.ok(ref !== null);
  }
  // thermal: 8 frames of a 4³ supercell vs one frame of an 8³ supercell (same number of atoms)
  const rng = new Rng(5);
  const g1 = radialDistribution(
    [0, 1, 2, 3, 4, 5, 6, 7].map(() => displaced(buildLattice('fcc', 3.524, 4), 0.1, rng)),
    { rmax: 5, dr: 0.1 },
  );
  const g2 = radialDistribution(displaced(buildLattice('fcc', 3.524, 8), 0.1, rng), { rmax: 5, dr: 0.1 });
  let maxDiff = 0;
  for (let k = 0; k < g1.g.length; k++)
    maxDiff = Math.max(maxDiff, Math.abs(g1.g[k] - g2.g[k]) / Math.max(1, g1.g[k]));
  assert.ok(maxDiff < 0.06, `thermal fcc 8×4³ frames vs one 8³ box: max relative difference ${maxDiff}`);
});

test('rmax beyond half the box is a clear error; bad options too', () => {
  const c = buildLattice('fcc', 3.524, 3);
  assert.throws(
    () => radialDistribution(c, { rmax: 6 }),
    /rmax 6 Å exceeds half the shortest box edge \(5\.286 Å\)/,
  );
  assert.throws(() => new RdfAccumulator({ dr: 0 }), /dr must be a positive/);
  assert.throws(() => new RdfAccumulator({ rmax: -1 }), /rmax must be a positive/);
});

test('first-shell cutoff: middle of the empty gap for ideal lattices, the first minimum for thermal ones, robust to noise', () => {
  // ideal: gap between shell 1 and shell 2 (bcc: between the 8 and the 6 at a)
  const second: Record<string, number> = {
    fcc: 3.524,
    bcc: 2.87,
    hcp: 2.5 * Math.SQRT2,
    diamond: 5.43 / Math.SQRT2,
  };
  for (const [name, a] of [
    ['fcc', 3.524],
    ['bcc', 2.87],
    ['hcp', 2.5],
    ['diamond', 5.43],
  ] as const) {
    const c = buildLattice(name, a, 4);
    const g = radialDistribution(c, { rmax: Math.min(6, Math.min(...c.box) / 2), dr: 0.01 });
    const fs = firstShell(g.r, g.g);
    const mid = (nearestNeighbourDistance(name, a) + second[name]) / 2;
    assert.equal(fs.rule, 'gap', name);
    assert.ok(Math.abs(fs.r_upper - mid) <= 0.01, `${name}: cutoff ${fs.r_upper} vs gap middle ${mid}`);
    assert.ok(Math.abs(fs.peak_r - nearestNeighbourDistance(name, a)) < 0.01);
  }
  // thermal fcc with overlapping shells: the minimum lies between the shells and CN ≈ 12
  const rng = new Rng(21);
  const frames = [0, 1, 2].map(() => displaced(buildLattice('fcc', 3.524, 6), 0.15, rng));
  const g = radialDistribution(frames, { rmax: 6, dr: 0.01 });
  const rc = firstShell(g.r, g.g).r_upper;
  assert.ok(rc > 2.9 && rc < 3.25, `thermal cutoff ${rc}`);
  const cn = coordinationNumber(g.r, g.g, g.density, rc);
  assert.ok(Math.abs(cn - 12) < 0.3, `thermal CN ${cn}`);
  // 10 % multiplicative noise on every bin moves the cutoff by less than 0.1 Å
  const noisy = g.g.map((v) => v * (1 + 0.1 * rng.normal()));
  assert.ok(Math.abs(firstShell(g.r, noisy).r_upper - rc) < 0.1);
  // tiny single frames (108-atom fcc, 64-atom diamond) with σ = 0.15 Å: counting noise is large,
  // the smoothing widens and the cutoff stays between the shells
  for (let seed = 0; seed < 8; seed++) {
    const r2 = new Rng(seed);
    const f = displaced(buildLattice('fcc', 3.524, 3), 0.15, r2);
    const gf = radialDistribution(f, { rmax: 5.28, dr: 0.01 });
    const cf = firstShell(gf.r, gf.g).r_upper;
    assert.ok(cf > 2.9 && cf < 3.35, `fcc seed ${seed}: cutoff ${cf}`);
    assert.ok(Math.abs(coordinationNumber(gf.r, gf.g, gf.density, cf) - 12) < 0.8);
    const d = displaced(buildLattice('diamond', 5.43, 2), 0.15, r2);
    const gd = radialDistribution(d, { rmax: 5.43, dr: 0.01 });
    const cd = firstShell(gd.r, gd.g).r_upper;
    assert.ok(
      Math.abs(coordinationNumber(gd.r, gd.g, gd.density, cd) - 4) < 0.2,
      `diamond seed ${seed}: cutoff ${cd}`,
    );
  }
  // no minimum within rmax: a clear error
  const flat = g.g.map((_v, k) => (k < 250 ? 0 : 2));
  assert.throws(() => firstShell(g.r, flat).r_upper, /no minimum after the first peak/);
});
