import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLattice, buildNeighbourList } from '../../src/structure/index.js';
import { Rng } from '../../src/util/rng.js';
import {
  checkLabel,
  rebin,
  validateSpec,
  expandSpec,
  gridPoints,
  preset,
  sampleCount,
  STRUCTURES,
} from '../../src/dataset/index.js';
import { analyseSnapshot, taskStages } from '../../src/dataset/pipeline.js';

test('rebin keeps ∫N dθ (length weights) and ∫4πr²g dr (shell weights)', () => {
  const src = Float64Array.from({ length: 360 }, (_, i) => (i + 0.5) * 0.5);
  const rng = new Rng(3);
  const v = Float64Array.from(src, () => rng.uniform());
  const dst = gridPoints({ min: 0.5, max: 179.5, step: 1 });
  const out = rebin(src, v, dst, 1, 'length');
  const sum = (a: ArrayLike<number>, w: number) => Array.from(a).reduce((s, x) => s + x * w, 0);
  assert.ok(Math.abs(sum(out, 1) - sum(v, 0.5)) < 1e-9);
  const r = Float64Array.from({ length: 600 }, (_, i) => (i + 0.5) * 0.01);
  const g = Float64Array.from(r, () => rng.uniform());
  const rd = gridPoints({ min: 0.01, max: 5.99, step: 0.02 });
  const gd = rebin(r, g, rd, 0.02, 'shell');
  let a = 0;
  let b = 0;
  for (let i = 0; i < r.length; i++) a += g[i] * ((r[i] + 0.005) ** 3 - (r[i] - 0.005) ** 3);
  for (let i = 0; i < rd.length; i++) b += gd[i] * ((rd[i] + 0.01) ** 3 - (rd[i] - 0.01) ** 3);
  assert.ok(Math.abs(a - b) / a < 1e-9, `${a} vs ${b}`);
});

test('fingerprint verdicts: labels hold, melted and transformed crystals and crystallised liquids are caught', () => {
  const f = (fcc: number, hcp: number, bcc: number, diamond: number, other: number) => ({
    fcc,
    hcp,
    bcc,
    diamond,
    other,
  });
  assert.deepEqual(checkLabel('fcc', f(0.95, 0.03, 0, 0, 0.02)).structure, 'fcc');
  assert.ok(checkLabel('fcc', f(0.3, 0.05, 0, 0, 0.65)).ok, 'a hot fcc crystal stays fcc');
  assert.equal(checkLabel('fcc', f(0.02, 0.03, 0, 0, 0.95)).structure, 'liquid');
  assert.equal(checkLabel('bcc', f(0.7, 0.1, 0.05, 0, 0.15)).structure, 'fcc');
  assert.equal(checkLabel('hcp', f(0.2, 0.7, 0, 0, 0.1)).structure, 'hcp');
  assert.ok(checkLabel('liquid', f(0.02, 0.02, 0.01, 0, 0.95)).ok);
  const c = checkLabel('liquid', f(0.4, 0.15, 0, 0, 0.45));
  assert.equal(c.structure, 'fcc');
  assert.match(c.reason, /crystallised/);
  assert.equal(checkLabel('diamond', f(0.1, 0.05, 0.1, 0.05, 0.7)).structure, 'other');
});

test('analyseSnapshot on ideal lattices: CN, ∫N(θ)dθ = n(n−1)/2, g(r) peaks, verdict', () => {
  const spec = validateSpec({
    element: 'Ni',
    seed: 1,
    structures: [
      { structure: 'fcc', temperature: 300, lattice: 3.524, cells: 4 },
      { structure: 'bcc', temperature: 300, lattice: 2.8, cells: 5 },
      { structure: 'diamond', temperature: 300, lattice: 5.75, cells: 3 },
    ],
    grids: { r: { min: 1.51, max: 5.99, step: 0.02 } },
    cutoff: 'auto',
  });
  const tasks = expandSpec(spec);
  const nk = gridPoints(spec.grids.k).length;
  // χ is not under test here: a stand-in returning a ramp checks it is passed through
  const chiEngine = {
    identity: 'test',
    chi: (_c: unknown, dE: number) => Float64Array.from({ length: nk }, (_, i) => dE + i),
  };
  const grids = {
    k: gridPoints(spec.grids.k),
    rGrid: gridPoints(spec.grids.r),
    thGrid: gridPoints(spec.grids.theta),
    rmaxFine: 6.0,
    chiEngine,
  };
  const want = { fcc: 12, bcc: 8, diamond: 4 } as Record<string, number>;
  for (const t of tasks) {
    const rng = new Rng(5);
    const conf = buildLattice(t.structure as 'fcc', t.lattice, 0, { reps: t.reps, element: 'Ni' });
    for (let i = 0; i < conf.positions.length; i++) conf.positions[i] += 0.03 * rng.normal();
    const s = analyseSnapshot(spec, t, 0, conf, grids);
    const n = want[t.structure];
    assert.ok(Math.abs(s.values.cn - n) < 0.05, `${t.structure} CN ${s.values.cn}`);
    // CN is the first shell's (bcc: the 8), N(θ) counts pairs within its cutoff (bcc: the 8 + 6)
    const na = t.structure === 'bcc' ? 14 : n;
    const integral = s.bad.reduce((a, x) => a + x, 0) * spec.grids.theta.step;
    assert.ok(Math.abs(integral - (na * (na - 1)) / 2) < 1e-3 * na * na, `${t.structure} ∫N dθ ${integral}`);
    assert.equal(s.structure, t.structure);
    assert.equal(s.refused, false);
    assert.ok(s.values.dE >= -5 && s.values.dE < 10);
    assert.equal(s.chi[3], Math.fround(s.values.dE + 3));
    // local order labels at the first-shell cutoff (src/analysis localOrder)
    const v = s.values;
    assert.ok(Math.abs(v.cna_fcc + v.cna_hcp + v.cna_bcc + v.cna_ico + v.cna_other - 1) < 1e-12);
    assert.equal(v.pairs_1551, 0, `${t.structure}: no icosahedral pairs in a crystal`);
    if (t.structure === 'fcc') assert.ok(v.pairs_1421 > 0.95 && v.cna_fcc > 0.95, `fcc 1421 ${v.pairs_1421}`);
    if (t.structure === 'diamond') assert.equal(v.pairs_1421 + v.pairs_1422, 0);
    // g(r) tail averages to ~1 over the last Å, and the first peak is at the nearest-neighbour distance
    const r = grids.rGrid;
    const d1 = { fcc: 3.524 / Math.SQRT2, bcc: (2.8 * Math.sqrt(3)) / 2, diamond: (5.75 * Math.sqrt(3)) / 4 }[
      t.structure as 'fcc'
    ]!;
    // the first peak: the highest g below the second shell
    let peak = 0;
    for (let i = 1; i < r.length && r[i] < d1 * 1.1; i++) if (s.gr[i] > s.gr[peak]) peak = i;
    assert.ok(s.gr[peak] > 5, `${t.structure} first peak height ${s.gr[peak]}`);
    // ρ∫4πr²g dr up to R (over whole dataset bins) = neighbours within R counted directly
    const R = 5.5;
    const nl = buildNeighbourList(conf, R);
    const direct = nl.start[conf.n] / conf.n;
    let integ = 0;
    const h = spec.grids.r.step / 2;
    for (let i = 0; i < r.length && r[i] + h <= R + 1e-9; i++)
      integ += s.gr[i] * ((4 * Math.PI) / 3) * ((r[i] + h) ** 3 - (r[i] - h) ** 3);
    integ *= s.values.density;
    assert.ok(
      Math.abs(integ - direct) < 0.05 * n,
      `${t.structure}: ∫4πr²ρg = ${integ}, direct count ${direct}`,
    );
    assert.ok(Math.abs(r[peak] - d1) < 0.03, `${t.structure} first peak ${r[peak]} vs ${d1}`);
  }
});

test('presets: quick has every class and a few hundred samples; paper follows the paper', () => {
  const q = preset('quick');
  const qt = expandSpec(q);
  assert.deepEqual([...new Set(qt.map((t) => t.structure))].sort(), [...STRUCTURES].sort());
  const n = sampleCount(qt);
  assert.ok(n >= 200 && n <= 500, `quick has ${n} samples`);
  const p = preset('paper');
  const pt = expandSpec(p);
  const fcc = pt.filter((t) => t.structure === 'fcc');
  assert.equal(new Set(fcc.map((t) => t.temperature)).size, 73); // 60…1500 K every 20 K
  assert.equal(new Set(fcc.map((t) => t.lattice)).size, 21); // a0 ± 10 × 0.02 Å
  assert.equal(Math.min(...fcc.map((t) => t.lattice)), 3.324);
  const liq = pt.filter((t) => t.structure === 'liquid');
  assert.deepEqual(
    [Math.min(...liq.map((t) => t.temperature)), Math.max(...liq.map((t) => t.temperature))],
    [1300, 2000],
  );
  const atoms = (t: (typeof pt)[number]) =>
    (t.structure === 'hcp' ? 4 : t.structure === 'diamond' ? 8 : t.structure === 'bcc' ? 2 : 4) *
    t.reps[0] *
    t.reps[1] *
    t.reps[2];
  // the smallest boxes that keep g(r) to 6 Å (validateSpec refuses smaller ones)
  assert.equal(atoms(fcc[0]), 256, `fcc atoms ${atoms(fcc[0])}`);
  assert.equal(atoms(liq[0]), 256, `liquid atoms ${atoms(liq[0])}`);
  assert.equal(sampleCount(pt), 31560);
  // MD stages start sampling on a multiple of the interval, so each run gives exactly `snapshots` frames
  for (const t of [...qt.slice(0, 1), ...qt.filter((x) => x.structure === 'liquid').slice(0, 1)]) {
    const st = taskStages(q, t);
    const pre = st.filter((s) => !s.sample).reduce((a, s) => a + s.steps, 0);
    assert.equal(pre % q.md.interval, 0);
    assert.equal(
      st.filter((s) => s.sample).reduce((a, s) => a + s.steps, 0),
      q.md.interval * t.snapshots,
    );
  }
});
