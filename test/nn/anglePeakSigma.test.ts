// N(θ) peak positions as a calibrated derived number (src/nn/anglePeaks.ts, combine's bad_peaks) and
// the σ fit on heavy-tailed errors (src/nn/calibration.ts fitTerm): known error models, so the true
// coverage is known; a calibration without the bad_peak term still loads (σ = spread, said once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anglePeakEstimates, matchPeak, thetaPeakPositions, PEAK_MATCH_DEG } from '../../src/nn/anglePeaks.js';
import { combine } from '../../src/nn/combine.js';
import { coverage, fitTerm } from '../../src/nn/calibration.js';
import { sigmaSentence, type Calibration } from '../../src/nn/uncertainty.js';
import { Rng } from '../../src/util/rng.js';

const theta = Float64Array.from({ length: 126 }, (_, i) => 55 + i);
/** N(θ) as Gaussians (σ 4°) at the given positions with the given heights. */
function nTheta(pos: number[], h: number[]): Float32Array {
  return Float32Array.from(theta, (t) => pos.reduce((a, p, j) => a + h[j] * Math.exp(-0.5 * ((t - p) / 4) ** 2), 0));
}

test('anglePeakEstimates: mean-N(θ) peaks with the members\' spread of the same peak (nearest within ±10°)', () => {
  // fcc-like 60/90/120/180° peaks; members shift the 60° peak by −1, 0, +1° and the 120° one by 0, 2, 4°
  const shifts60 = [-1, 0, 1];
  const shifts120 = [0, 2, 4];
  const members = shifts60.map((s, i) => nTheta([60 + s, 90, 120 + shifts120[i], 178], [1, 0.5, 0.8, 0.4]));
  const mean = Float32Array.from(theta, (_, j) => members.reduce((a, m) => a + m[j], 0) / members.length);
  const pk = anglePeakEstimates(theta, mean, members);
  assert.deepEqual(
    pk.map((p) => Math.round(p.theta)),
    [60, 90, 122, 178],
  );
  // parabola-refined positions on a 1° grid: within 0.25° of the Gaussians' centres; spread = sample sd of the shifts
  assert.ok(Math.abs(pk[0].spread - 1) < 0.25, `60°: ${pk[0].spread}`);
  assert.ok(pk[1].spread < 0.1, `90°: ${pk[1].spread}`);
  assert.ok(Math.abs(pk[2].spread - 2) < 0.3, `120°: ${pk[2].spread}`);
  assert.ok(pk.every((p) => p.members_with_peak === 3));
  // the peak positions are the ones reports show
  assert.deepEqual(
    pk.map((p) => p.theta),
    thetaPeakPositions(theta, mean),
  );
  assert.equal(matchPeak(100, [85, 108, 112]), 108);
  assert.ok(Number.isNaN(matchPeak(100, [100 - PEAK_MATCH_DEG - 1, 100 + PEAK_MATCH_DEG + 1])));
});

test('a peak only one member shows has no spread (σ unknown, NaN), not 0', () => {
  const members = [nTheta([60, 110], [1, 0.5]), nTheta([60], [1]), nTheta([60], [1])];
  const mean = Float32Array.from(theta, (_, j) => members.reduce((a, m) => a + m[j], 0) / members.length);
  const pk = anglePeakEstimates(theta, mean, members);
  const p110 = pk.find((p) => Math.abs(p.theta - 110) < 2)!;
  assert.equal(p110.members_with_peak, 1);
  assert.ok(Number.isNaN(p110.spread));
});

/** Peak positions with a known error model: err ~ N(0, (k·s)² + f²) or a heavier tail. */
function draws(seed: number, n: number, k: number, f: number, tail: 'gauss' | 't3') {
  const rng = new Rng(seed);
  const err = new Float64Array(n);
  const spread = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    spread[i] = rng.range(0.2, 3); // degrees
    let z = rng.normal();
    if (tail === 't3') {
      // Student t with 3 degrees of freedom, scaled to unit variance
      const c = rng.normal() ** 2 + rng.normal() ** 2 + rng.normal() ** 2;
      z = z / Math.sqrt(c / 3) / Math.sqrt(3);
    }
    err[i] = Math.hypot(k * spread[i], f) * z;
  }
  return { err, spread };
}

test('peak-position errors with known Gaussian errors: the fitted σ covers ~68 % / ~95 % of fresh draws', () => {
  const term = fitTerm(draws(1, 8000, 2, 1.5, 'gauss'));
  const fresh = draws(2, 8000, 2, 1.5, 'gauss');
  const [c1, c2] = coverage(fresh, term);
  assert.ok(Math.abs(c1 - 0.683) < 0.025 && Math.abs(c2 - 0.954) < 0.015, `fresh coverage ${c1} / ${c2}`);
  // σ follows the spread, not one width for all (scale and floor trade off; the coverage of the small-
  // and the large-spread halves must both be right)
  for (const [lo, hi] of [
    [0, 1.6],
    [1.6, 9],
  ]) {
    const sel = Array.from(fresh.spread.keys()).filter((i) => fresh.spread[i] >= lo && fresh.spread[i] < hi);
    const part = { err: Float64Array.from(sel, (i) => fresh.err[i]), spread: Float64Array.from(sel, (i) => fresh.spread[i]) };
    const [p1, p2] = coverage(part, term);
    assert.ok(Math.abs(p1 - 0.683) < 0.05 && Math.abs(p2 - 0.954) < 0.03, `spread ${lo}–${hi}: ${p1} / ${p2}`);
  }
});

test('heavy-tailed errors (Student t3): ±2σ stays inside 90–97 % on fresh draws, even from a small calibration set', () => {
  // t3 scaled to unit variance: a Gaussian-matched σ gives ~80 % / ~94 %; ±2σ must win
  for (const n of [120, 4000]) {
    let worst = 1;
    for (let seed = 10; seed < 16; seed++) {
      const term = fitTerm(draws(seed, n, 3, 0.5, 't3'));
      const [, c2] = coverage(draws(100 + seed, 20000, 3, 0.5, 't3'), term);
      worst = Math.min(worst, c2);
      assert.ok(c2 <= 0.975, `n ${n}: ±2σ ${c2}`);
    }
    assert.ok(worst >= (n < 1000 ? 0.88 : 0.9), `n ${n}: worst fresh ±2σ ${worst}`);
  }
  // non-finite spreads (a peak one member shows) are left out of the fit, not counted as misses
  const e = draws(3, 2000, 2, 1, 'gauss');
  const withNaN = {
    err: Float64Array.from([...e.err, 50, 50]),
    spread: Float64Array.from([...e.spread, NaN, NaN]),
  };
  assert.deepEqual(fitTerm(withNaN), fitTerm(e));
});

test('combine gives each N(θ) peak σ from the calibration\'s bad_peak term; a calibration without it keeps the spread and says so', () => {
  const r = Float64Array.from({ length: 40 }, (_, i) => 1.8 + 0.08 * i);
  const nr = r.length;
  const nth = theta.length;
  const arch = {
    nIn: 10,
    hidden: [4],
    heads: [
      { name: 'g', size: nr, weight: 1 },
      { name: 'bad', size: nth, weight: 1 },
      { name: 'density', size: 1, weight: 1 },
    ],
  };
  const norm = { x_mean: new Float32Array(10), x_std: new Float32Array(10), y_mean: new Float32Array(nr + nth + 1), y_std: new Float32Array(nr + nth + 1) };
  const outs = [-1, 0, 1].map((s) => {
    const y = new Float32Array(nr + nth + 1);
    for (let j = 0; j < nr; j++) y[j] = 3 * Math.exp(-0.5 * ((r[j] - 2.5) / 0.08) ** 2);
    y.set(nTheta([60 + s, 120], [1, 0.7]), nr);
    y[nr + nth] = 0.09;
    return y;
  });
  const term = (scale: number, floor: number) => ({ scale, floor, model_form: 0 });
  const base: Calibration = {
    version: 1,
    created: '',
    data: { source: 'calibration split', n: 100 },
    terms: { g: term(1, 0), bad: term(1, 0), density: term(1, 0), r1: term(1, 0), cn: term(1, 0) },
    coverage: { before: {}, after: {} },
    model_form: null,
  };
  const shape = { arch, r, theta, members: outs.map(() => ({ norm })) } as unknown as Parameters<typeof combine>[0];
  const old = combine({ ...shape, calibration: base }, outs, 0);
  assert.equal(old.bad_peaks.length, 2);
  for (const p of old.bad_peaks) assert.equal(p.theta_std, p.spread);
  assert.match(old.uncertainty.sigma, /N\(θ\) peak positions is the members' spread only/);
  assert.equal(old.uncertainty.sigma.match(/N\(θ\) peak/g)!.length, 1);
  const cal = { ...base, terms: { ...base.terms, bad_peak: term(2, 3) } };
  const p = combine({ ...shape, calibration: cal }, outs, 0);
  const p60 = p.bad_peaks[0];
  assert.ok(Math.abs(p60.spread - 1) < 0.25);
  assert.ok(Math.abs(p60.theta_std - Math.hypot(2 * p60.spread, 3)) < 1e-9);
  assert.doesNotMatch(p.uncertainty.sigma, /peak positions/);
  assert.doesNotMatch(sigmaSentence(null), /peak positions/);
});
