import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine } from '../../src/nn/combine.js';
import type { Calibration } from '../../src/nn/uncertainty.js';
import { predictionView } from '../../src/report/adapters.js';
import { grFigure, badFigure, sigmaBandLabel } from '../../src/report/figures.js';

/** A three-member ensemble's outputs for one sample (g: a first-shell peak, N(θ): peaks at 60° and 120°). */
function ensemble(calibration: Calibration | null) {
  const r = Float64Array.from({ length: 40 }, (_, i) => 1.8 + 0.08 * i);
  const theta = Float64Array.from({ length: 90 }, (_, i) => 1 + 2 * i);
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
  const n = nr + nth + 1;
  const norm = { x_mean: new Float32Array(10), x_std: new Float32Array(10), y_mean: new Float32Array(n), y_std: new Float32Array(n) };
  const outs = [-1, 0, 1].map((s) => {
    const y = new Float32Array(n);
    for (let j = 0; j < nr; j++) y[j] = (3 + 0.2 * s) * Math.exp(-0.5 * ((r[j] - 2.5) / 0.08) ** 2);
    for (let j = 0; j < nth; j++)
      y[nr + j] = (0.1 + 0.01 * s) * (Math.exp(-0.5 * ((theta[j] - 60) / 5) ** 2) + Math.exp(-0.5 * ((theta[j] - 120) / 5) ** 2));
    y[nr + nth] = 0.09;
    return y;
  });
  const shape = { arch, r, theta, members: outs.map(() => ({ norm })), calibration } as unknown as Parameters<typeof combine>[0];
  return combine(shape, outs, 0);
}

const term = (scale: number, floor: number) => ({ scale, floor, model_form: 0 });
const cal: Calibration = {
  version: 1,
  created: '',
  data: { source: 'calibration split', n: 100 },
  terms: { g: term(2, 0.01), bad: term(2, 0.001), density: term(1, 0), r1: term(1, 0), cn: term(1, 0) },
  coverage: { before: {}, after: {} },
  model_form: null,
};

/** The legend's band entries of a figure (the band's label is written once, in the legend). */
const bandLabels = (svg: string) => [...svg.matchAll(/±1σ[^<]*/g)].map((m) => m[0]);

test('g(r) and N(θ) legends say what the ±1σ band is: calibrated σ, or the bare ensemble spread', () => {
  const calibrated = predictionView(ensemble(cal));
  const bare = predictionView(ensemble(null));
  assert.equal(calibrated.sigma_calibrated, true);
  assert.equal(bare.sigma_calibrated, false);
  // the band drawn is what the legend says: the calibrated σ is 2× the spread ⊕ floor here
  const j = 9; // r = 2.52 Å, on the first-shell peak
  assert.ok(calibrated.g_std[j] > 1.9 * bare.g_std[j], `${calibrated.g_std[j]} vs ${bare.g_std[j]}`);
  for (const fig of [grFigure, badFigure]) {
    assert.deepEqual(bandLabels(fig(calibrated)), ['±1σ (calibrated)'], fig.name);
    assert.deepEqual(bandLabels(fig(bare)), ['±1σ (ensemble spread, uncalibrated)'], fig.name);
    assert.ok(!fig(calibrated).includes('ensemble)'), 'no "(ensemble)" legend left');
  }
  // a view that does not say (e.g. built by hand) claims neither
  assert.equal(sigmaBandLabel({}), '±1σ');
});
