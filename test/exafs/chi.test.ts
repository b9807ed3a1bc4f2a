import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLattice, cloneConfiguration, type Configuration } from '../../src/structure/index.js';
import { computeChi, kGrid, shiftedK, ETOK, loadTables } from '../../src/exafs/index.js';
import { gamma2At, gamma3At, packageRoot } from '../../src/theory/index.js';
import { radialDistribution, firstShell } from '../../src/analysis/index.js';
import { readFrames } from '../../src/structure/index.js';
import { join } from 'node:path';
import { Rng } from '../../src/util/rng.js';
import { relativeRmsK } from '../../src/util/compare.js';

const A_NI = 3.524;
const D1 = A_NI / Math.SQRT2;
const tables = loadTables('Ni', 'K');
const k = kGrid(0, 20, 0.1);

function displaced(c: Configuration, sigma: number, seed: number): Configuration {
  const out = cloneConfiguration(c);
  const rng = new Rng(seed);
  for (let i = 0; i < out.positions.length; i++) out.positions[i] += sigma * rng.normal();
  return out;
}

function mic(c: Configuration, i: number, j: number): number[] {
  const p = c.positions;
  const d = [0, 1, 2].map((a) => {
    let x = p[3 * j + a] - p[3 * i + a];
    x -= c.box[a] * Math.round(x / c.box[a]);
    return x;
  });
  return d;
}

/** Brute force: Σ over ordered pairs of γ2 and over unordered triplets of γ3, point by point. */
function bruteForce(
  c: Configuration,
  rmax2: number,
  cut3: number,
): { chi2: Float64Array; chi3: Float64Array } {
  const n = c.n;
  const chi2 = new Float64Array(k.length);
  const chi3 = new Float64Array(k.length);
  const dist: number[][] = [];
  const vec: number[][][] = [];
  for (let i = 0; i < n; i++) {
    dist.push([]);
    vec.push([]);
    for (let j = 0; j < n; j++) {
      const d = mic(c, i, j);
      vec[i].push(d);
      dist[i].push(Math.hypot(d[0], d[1], d[2]));
    }
  }
  // pairs: memoise γ2 by rounded distance for the ideal lattice (exact same r), else evaluate
  const memo = new Map<string, Float64Array>();
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j || dist[i][j] >= rmax2) continue;
      const key = dist[i][j].toFixed(9);
      let g = memo.get(key);
      if (!g) memo.set(key, (g = gamma2At(tables, dist[i][j], k)));
      for (let q = 0; q < k.length; q++) chi2[q] += g[q] / n;
    }
  // triplets: every unordered set {i, j, l} whose two shortest sides are ≤ cut3, counted once
  const memo3 = new Map<string, Float64Array>();
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      for (let l = j + 1; l < n; l++) {
        const s = [
          [dist[j][l], i],
          [dist[i][l], j],
          [dist[i][j], l],
        ].sort((a, b) => a[0] - b[0]); // s[2] is the longest side, opposite vertex s[2][1]
        if (s[1][0] > cut3) continue;
        const v = s[2][1];
        const [p, q] = [i, j, l].filter((x) => x !== v);
        const a = vec[v][p],
          b = vec[v][q];
        const cth = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (dist[v][p] * dist[v][q]);
        const th = (Math.acos(Math.max(-1, Math.min(1, cth))) * 180) / Math.PI;
        const key = `${dist[v][p].toFixed(6)} ${dist[v][q].toFixed(6)} ${th.toFixed(6)}`;
        let g = memo3.get(key);
        if (!g) memo3.set(key, (g = gamma3At(tables, dist[v][p], dist[v][q], th, k)));
        for (let z = 0; z < k.length; z++) chi3[z] += g[z] / n;
      }
  return { chi2, chi3 };
}

const relRms = (a: ArrayLike<number>, b: ArrayLike<number>) => relativeRmsK(k, a, b, 2, 18);

test('χ2 and χ3 of ideal fcc Ni equal the brute-force sums of γ2 and γ3', () => {
  const c = buildLattice('fcc', A_NI, 3); // 108 atoms, box 10.57 Å
  const r = computeChi(c, tables, { kGrid: k, rmax2: 5.2 });
  const bf = bruteForce(c, 5.2, r.cutoff3);
  assert.equal(r.absorbers, 108);
  // ideal fcc: 12 nearest neighbours → 66 neighbour pairs per atom, each a triplet (24 at 60° are
  // equilateral and shared by 3 atoms: 66 − 16 = 50 triplets per atom)
  assert.equal(r.tripletsPerFrame, 108 * 50);
  assert.ok(relRms(r.chi2, bf.chi2) < 2e-3, `χ2 ${relRms(r.chi2, bf.chi2)}`);
  assert.ok(relRms(r.chi3, bf.chi3) < 5e-3, `χ3 ${relRms(r.chi3, bf.chi3)}`);
});

test('disordered fcc Ni: histogram contraction equals the brute-force sums', () => {
  const c = displaced(buildLattice('fcc', A_NI, 3), 0.08, 7);
  const r = computeChi(c, tables, { kGrid: k, rmax2: 5.2 });
  const bf = bruteForce(c, 5.2, r.cutoff3);
  assert.ok(relRms(r.chi2, bf.chi2) < 2e-3, `χ2 ${relRms(r.chi2, bf.chi2)}`);
  assert.ok(relRms(r.chi3, bf.chi3) < 5e-3, `χ3 ${relRms(r.chi3, bf.chi3)}`);
  // frames average: two copies give the same χ as one
  const r2 = computeChi([c, c], tables, { kGrid: k, rmax2: 5.2 });
  assert.equal(r2.frames, 2);
  assert.ok(relRms(r2.chi, r.chi) < 1e-12);
});

test('ΔE shift: χ(k; ΔE) = χ(√(k² + ETOK·ΔE); 0), S0² scales', () => {
  const c = displaced(buildLattice('fcc', A_NI, 3), 0.05, 3);
  const kk = kGrid(3, 15, 0.05);
  const dE = 7.5;
  const a = computeChi(c, tables, { kGrid: kk, dE, s02: 0.8, rmax2: 5.2 });
  const b = computeChi(c, tables, { kGrid: shiftedK(kk, dE), s02: 1, rmax2: 5.2 });
  for (let i = 0; i < kk.length; i++) assert.ok(Math.abs(a.chi[i] - 0.8 * b.chi[i]) < 1e-9, `k=${kk[i]}`);
  assert.ok(Math.abs(shiftedK([1], 10)[0] - Math.sqrt(1 + 10 * ETOK)) < 1e-15);
  assert.ok(Number.isNaN(shiftedK([0.5], -10)[0]));
});

test('fcc Ni: the θ = 180° focusing triplets dominate γ3 and χ3 peaks at the 4th shell', () => {
  const kk = kGrid(2, 18, 0.05);
  const amp = (th: number) =>
    Math.max(...Array.from(gamma3At(tables, D1, D1, th, kk), (x, i) => Math.abs(x * kk[i] ** 2)));
  const a180 = amp(180);
  for (const th of [60, 90, 120]) assert.ok(a180 > 2 * amp(th), `γ3(180°) ${a180} vs γ3(${th}°) ${amp(th)}`);
  const c = buildLattice('fcc', A_NI, 4); // box 14.1 Å
  const r = computeChi(c, tables, { kGrid: k });
  // |FT| of k²χ3, Hann window 3–16 Å⁻¹
  let best = 0,
    rBest = 0;
  for (let R = 1; R <= 6; R += 0.01) {
    let re = 0,
      im = 0;
    for (let i = 0; i < k.length; i++) {
      if (k[i] < 3 || k[i] > 16) continue;
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (k[i] - 3)) / 13);
      const y = w * k[i] * k[i] * r.chi3[i];
      re += y * Math.cos(2 * k[i] * R);
      im += y * Math.sin(2 * k[i] * R);
    }
    const m = Math.hypot(re, im);
    if (m > best) {
      best = m;
      rBest = R;
    }
  }
  // 4th shell of fcc: a√2 = 4.98 Å; the FT peak sits ~0.3–0.5 Å lower (scattering phase shift)
  assert.ok(rBest > 4.3 && rBest < 5.1, `χ3 FT peak at ${rBest.toFixed(2)} Å`);
});

test('bad input: distances outside the tables and cutoffs beyond them are named', () => {
  const c = buildLattice('fcc', A_NI, 3);
  const squeezed = cloneConfiguration(c);
  squeezed.positions[0] = squeezed.positions[3 * 1] - 1.3; // atom 0 now 1.3 Å from atom 1 along x
  squeezed.positions[1] = squeezed.positions[3 * 1 + 1];
  squeezed.positions[2] = squeezed.positions[3 * 1 + 2];
  assert.throws(
    () => computeChi(squeezed, tables, { kGrid: k, rmax2: 5 }),
    /atoms 0 and 1 are 1\.3000 Å apart, below the γ2 table's range/,
  );
  assert.throws(
    () => computeChi(c, tables, { kGrid: k, rmax2: 7 }),
    /rmax2 = 7 Å exceeds the γ2 table's range/,
  );
  assert.throws(
    () => computeChi(c, tables, { kGrid: k, rmax2: 5, cutoff3: 4 }),
    /first-shell cutoff 4 Å exceeds the γ3 table's range/,
  );
  assert.throws(
    () => computeChi(buildLattice('fcc', A_NI, 2), tables, { kGrid: k }),
    /box too small for the γ2 cutoff/,
  );
});

test("triplet cutoff: each configuration's own first-shell cutoff; a liquid takes its whole first shell", async () => {
  // hot fcc: the first shell ends in the gap/minimum between 2.49 and 3.52 Å
  const c = displaced(buildLattice('fcc', A_NI, 3), 0.08, 7);
  const r = computeChi(c, tables, { kGrid: k, rmax2: 5.2 });
  const rdf = radialDistribution(c, { rmax: 5.28, dr: 0.01 });
  assert.equal(r.cutoff3, firstShell(rdf.r, rdf.g, { density: rdf.density }).cutoff);
  assert.ok(r.cutoff3 > 2.8 && r.cutoff3 < 3.2, `fcc cutoff ${r.cutoff3}`);
  // liquid Ni from LAMMPS (ZJW, 2000 K, 2048 atoms): first minimum of g(r) near 3.4 Å, inside the γ3 grid
  const file = join(packageRoot(), 'test', 'analysis', 'fixtures', 'ni-liquid-2000K.dump');
  let liq: Configuration | null = null;
  for await (const f of readFrames(file, { element: 'Ni' })) liq = f;
  const kk = kGrid(2, 16, 0.1);
  const own = computeChi(liq!, tables, { kGrid: kk });
  assert.ok(own.cutoff3 > 3.25 && own.cutoff3 < 3.55, `liquid first-shell cutoff ${own.cutoff3}`);
  const at34 = computeChi(liq!, tables, { kGrid: kk, cutoff3: 3.4 });
  const at31 = computeChi(liq!, tables, { kGrid: kk, cutoff3: 3.1 });
  // the triplets between 3.1 Å and the shell's end are ~30 % of the liquid's and change χ3
  assert.ok(
    at34.tripletsPerFrame > 1.25 * at31.tripletsPerFrame,
    `${at34.tripletsPerFrame} vs ${at31.tripletsPerFrame}`,
  );
  assert.ok(relativeRmsK(kk, at34.chi3, at31.chi3) > 0.1);
  assert.ok(relativeRmsK(kk, at34.chi, own.chi) < 0.02);
});

test('an automatic first-shell cutoff past the γ3 table is lowered to its end; an explicit one is refused', () => {
  // bcc Fe expanded by 0.2 Å: the combined 8 + 6 shell's cutoff (middle of the gap before the
  // shell at √2·a = 4.34 Å) is ≈ 3.7 Å, past Fe-K's γ3 end; the sample must not be refused
  const fe = loadTables('Fe', 'K');
  const h3 = fe.header.gamma3;
  const r3max = h3.rMin + h3.rStep * (h3.nr - 1);
  const conf = buildLattice('bcc', 3.0665, 4);
  const auto = computeChi(conf, fe, { kGrid: kGrid(3, 12, 0.5) });
  assert.equal(auto.cutoff3_clamped, true);
  assert.ok(Math.abs(auto.cutoff3 - r3max) < 1e-9, `cutoff3 ${auto.cutoff3} vs ${r3max}`);
  // all 8 + 6 bonds (≤ 3.07 Å) are still inside: the same triplets as an explicit cutoff at the end
  const atEnd = computeChi(conf, fe, { kGrid: kGrid(3, 12, 0.5), cutoff3: r3max });
  assert.equal(atEnd.cutoff3_clamped, false);
  assert.equal(auto.tripletsPerFrame, atEnd.tripletsPerFrame);
  assert.throws(
    () => computeChi(conf, fe, { kGrid: kGrid(3, 12, 0.5), cutoff3: r3max + 0.05 }),
    /exceeds the γ3 table/,
  );
});
