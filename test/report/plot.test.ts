import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plotSvg, niceTicks, logTicks, formatTick, stdBand, findPeaks } from '../../src/report/index.js';
import { checkWellFormed } from './xmlcheck.js';

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

test('niceTicks: 1-2-2.5-5 steps that cover the range with a sensible count', () => {
  assert.deepEqual(niceTicks(0, 10, 5).ticks, [0, 2, 4, 6, 8, 10]);
  for (const [lo, hi] of [
    [0, 1],
    [2.3, 7.9],
    [-0.42, 0.71],
    [8133, 9330],
    [1e-4, 3e-4],
    [-5, -1],
    [0, 180],
  ]) {
    const t = niceTicks(lo, hi, 6);
    const mant = t.step / Math.pow(10, Math.floor(Math.log10(t.step) + 1e-9));
    assert.ok(
      [1, 2, 2.5, 5].some((m) => Math.abs(mant - m) < 1e-9),
      `step ${t.step} for [${lo}, ${hi}]`,
    );
    assert.ok(t.ticks[0] <= lo && t.ticks[t.ticks.length - 1] >= hi, `ticks ${t.ticks} cover [${lo}, ${hi}]`);
    assert.ok(t.ticks.length >= 4 && t.ticks.length <= 12, `${t.ticks.length} ticks for [${lo}, ${hi}]`);
    for (let i = 1; i < t.ticks.length; i++)
      assert.ok(Math.abs(t.ticks[i] - t.ticks[i - 1] - t.step) < 1e-9 * Math.max(1, Math.abs(t.step)));
  }
  // a degenerate range still gives ticks around the value
  const d = niceTicks(3, 3);
  assert.ok(d.ticks[0] < 3 && d.ticks[d.ticks.length - 1] > 3);
});

test('logTicks and tick labels', () => {
  assert.deepEqual(logTicks(2e-4, 0.3).ticks, [1e-4, 1e-3, 1e-2, 1e-1, 1]);
  assert.equal(formatTick(0.5, 0.5), '0.5');
  assert.equal(formatTick(-2, 1), '−2');
  assert.equal(formatTick(8500, 500), '8500');
  assert.equal(formatTick(0, 0.1), '0');
  assert.equal(formatTick(2.5, 0.25), '2.50');
});

test('plotSvg: well-formed, with bands, labels with units, legend and tick labels', () => {
  const x = range(200, (i) => 1.5 + i * 0.025);
  const y = x.map((r) => 8 * Math.exp(-((r - 2.49) ** 2) / 0.01) + (r > 3 ? 1 : 0));
  const s = y.map((v) => 0.05 + 0.1 * v);
  const svg = plotSvg({
    title: 'g(r) <test> & more',
    xlabel: 'r (Å)',
    ylabel: 'g(r)',
    series: [
      { x, y, label: 'mean', band: stdBand(y, s, 1, '±1σ') },
      { x, y: y.map((v) => v * 0.9), label: 'reference', dash: '5 3' },
    ],
    vlines: [{ at: 2.49, label: 'R₁' }],
    includeZeroY: true,
  });
  assert.deepEqual(checkWellFormed(svg), []);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="400"/);
  assert.ok(svg.includes('g(r) &lt;test&gt; &amp; more'), 'title escaped');
  assert.ok(svg.includes('>r (Å)</text>') && svg.includes('>g(r)</text>'));
  const bands = svg.match(/<path class="band" d="([^"]+)"/g) ?? [];
  assert.equal(bands.length, 1);
  assert.match(bands[0], /Z"$/);
  assert.equal((svg.match(/class="series"/g) ?? []).length, 2);
  assert.ok(
    svg.includes('>±1σ</text>') && svg.includes('>mean</text>') && svg.includes('>reference</text>'),
    'legend entries',
  );
  assert.ok(svg.includes('class="vline"') && svg.includes('>R₁</text>'));
  // x tick labels: the nice values inside 1.5…6.475
  const xt = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]+)<\/text>/g)].map(
    (m) => m[1],
  );
  assert.deepEqual(xt.slice(0, 6), ['2', '3', '4', '5', '6'].slice(0, Math.min(6, xt.length)));
  // the y axis starts at 0 (includeZeroY, data ≥ −σ band) and reaches above the peak
  const yt = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]+)<\/text>/g)].map(
    (m) => m[1],
  );
  assert.equal(yt[0], '0');
  assert.ok(Number(yt[yt.length - 1]) >= 8);
});

test('plotSvg: data map to the plot rectangle; NaN breaks a line; log axis', () => {
  const svg = plotSvg({
    width: 400,
    height: 300,
    series: [{ x: [0, 1, 2, 3, 4], y: [0, 1, NaN, 3, 4] }],
    xlim: [0, 4],
    ylim: [0, 4],
  });
  const d = svg.match(/class="series" d="([^"]+)"/)![1];
  assert.equal((d.match(/M/g) ?? []).length, 2, 'two segments around the NaN');
  const first = d.match(/^M([\d.]+) ([\d.]+)/)!;
  // left margin 68, plot bottom at 300 − 50 = 250
  assert.equal(Number(first[1]), 68);
  assert.equal(Number(first[2]), 250);
  const log = plotSvg({ logY: true, series: [{ x: [1, 2, 3], y: [0.1, 0.01, 0.001] }] });
  assert.deepEqual(checkWellFormed(log), []);
  assert.ok(log.includes('>10⁻³</text>') && log.includes('>10⁻¹</text>'));
  // non-positive values are skipped on a log axis rather than producing NaN coordinates
  const log2 = plotSvg({ logY: true, series: [{ x: [1, 2, 3], y: [0.1, 0, 0.001] }] });
  assert.ok(!log2.includes('NaN') && !log2.includes('Infinity'));
});

test('plotSvg: empty and constant data do not produce NaN coordinates', () => {
  for (const series of [[], [{ x: [], y: [] }], [{ x: [1, 2, 3], y: [5, 5, 5] }], [{ x: [NaN], y: [NaN] }]]) {
    const svg = plotSvg({ series });
    assert.ok(!svg.includes('NaN') && !svg.includes('Infinity'), JSON.stringify(series));
    assert.deepEqual(checkWellFormed(svg), []);
  }
});

test('steps and points styles', () => {
  const svg = plotSvg({
    series: [
      { x: [0.5, 1.5, 2.5], y: [1, 3, 2], style: 'steps' },
      { x: [1, 2], y: [1, 2], style: 'points' },
    ],
  });
  assert.match(svg, /class="series" d="M[\d.]+ [\d.]+H/);
  assert.equal((svg.match(/<circle/g) ?? []).length, 2);
});

test('findPeaks: positions of Gaussian peaks within a fraction of the grid step', () => {
  const th = range(180, (i) => i + 0.5);
  const g = (t: number, c: number, n: number, w: number) =>
    (n / (Math.sqrt(2 * Math.PI) * w)) * Math.exp(-((t - c) ** 2) / (2 * w * w));
  const y = th.map((t) => g(t, 60, 24, 5) + g(t, 90.3, 12, 6) + g(t, 120, 24, 7));
  const p = findPeaks(th, y, { minRel: 0.1, minSeparation: 8 });
  assert.equal(p.length, 3);
  assert.ok(
    Math.abs(p[0].x - 60) < 0.3 && Math.abs(p[1].x - 90.3) < 0.3 && Math.abs(p[2].x - 120) < 0.3,
    JSON.stringify(p),
  );
  // the area of the isolated 60° peak is close to its 24 pairs
  assert.ok(Math.abs(p[0].area - 24) < 1.5, `area ${p[0].area}`);
});

test('long footnotes wrap inside the figure', () => {
  const note = 'a '.repeat(200).trim();
  const svg = plotSvg({ width: 400, series: [{ x: [0, 1], y: [0, 1] }], footnote: note });
  const lines = [...svg.matchAll(/<text class="footnote"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.ok(lines.length >= 4, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= Math.floor((400 - 12) / 5.3)));
  assert.equal(lines.join(' '), note);
});
