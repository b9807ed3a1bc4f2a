import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NotAKnotInterpolator,
  interpolatingBspline,
  bsplineEval,
  bsplineBasis,
  notAKnotKnots,
  fft,
  levenbergMarquardt,
  polyfit,
  polyval,
  roundHalfEven,
  indexOf,
  indexNearest,
  ftwindow,
  besselI0,
  xftf,
  xftr,
  findE0,
  ETOK,
  edgeEnergy,
  guessEdge,
} from '../../src/xas/index.js';
import { larchRef, relRms } from './helpers.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, n = Math.min(a.length, b.length)): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('not-a-knot spline reproduces any cubic exactly (also beyond the ends) on uneven abscissae', () => {
  const x = [0, 0.3, 0.35, 1.1, 1.7, 2.0, 2.9, 3.3, 4.0];
  const f = (t: number) => 0.7 - 1.3 * t + 0.4 * t * t - 0.11 * t * t * t;
  const q = [-0.1, 0, 0.2, 0.33, 1.5, 2.95, 3.99, 4.0, 4.05];
  const it = new NotAKnotInterpolator(x, q);
  const out = it.apply(x.map(f), new Float64Array(q.length));
  for (let i = 0; i < q.length; i++)
    assert.ok(Math.abs(out[i] - f(q[i])) < 1e-12, `q=${q[i]}: ${out[i]} vs ${f(q[i])}`);
  // the B-spline form (FITPACK splrep-like knots) gives the same interpolant
  const bs = interpolatingBspline(x, x.map(f));
  assert.ok(maxAbsDiff(bsplineEval(bs.t, bs.c, q), q.map(f)) < 1e-11);
  // it interpolates non-polynomial data and is linear in the ordinates
  const y1 = x.map((t) => Math.sin(3 * t));
  const y2 = x.map((t) => Math.exp(-t));
  const o1 = it.apply(y1, new Float64Array(q.length));
  const o2 = it.apply(y2, new Float64Array(q.length));
  const o12 = it.apply(
    y1.map((v, i) => 2 * v - y2[i]),
    new Float64Array(q.length),
  );
  for (let i = 0; i < q.length; i++) assert.ok(Math.abs(o12[i] - (2 * o1[i] - o2[i])) < 1e-12);
  const atNodes = new NotAKnotInterpolator(x, x).apply(y1, new Float64Array(x.length));
  assert.ok(maxAbsDiff(atNodes, y1) < 1e-13);
});

test('cubic B-spline basis: partition of unity, non-negative inside, 4 non-zero functions', () => {
  const t = notAKnotKnots([0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(t), [0, 0, 0, 0, 2, 3, 4, 6, 6, 6, 6]);
  const b = new Float64Array(4);
  for (let x = 0; x <= 6; x += 0.37) {
    const f = bsplineBasis(t, 7, x, b);
    assert.ok(f >= 0 && f + 3 < 7);
    assert.ok(Math.abs(b[0] + b[1] + b[2] + b[3] - 1) < 1e-14);
    for (const v of b) assert.ok(v >= -1e-15);
  }
});

test('radix-2 FFT equals the direct DFT, and inverse undoes forward', () => {
  const n = 64;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = Math.sin(0.3 * i) + 0.1 * i;
    im[i] = Math.cos(1.1 * i * i);
  }
  const r0 = re.slice();
  const i0 = im.slice();
  fft(re, im);
  for (const m of [0, 1, 7, 31, 63]) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const ph = (-2 * Math.PI * j * m) / n;
      sr += r0[j] * Math.cos(ph) - i0[j] * Math.sin(ph);
      si += r0[j] * Math.sin(ph) + i0[j] * Math.cos(ph);
    }
    assert.ok(Math.abs(re[m] - sr) < 1e-10 && Math.abs(im[m] - si) < 1e-10);
  }
  fft(re, im, true);
  assert.ok(maxAbsDiff(re, r0) < 1e-12 && maxAbsDiff(im, i0) < 1e-12);
  assert.throws(() => fft(new Float64Array(6), new Float64Array(6)), /power of two/);
});

test('Levenberg–Marquardt recovers the parameters of a noiseless exponential decay', () => {
  const x = Array.from({ length: 40 }, (_, i) => i * 0.1);
  const y = x.map((t) => 2.5 * Math.exp(-1.3 * t) + 0.4);
  const res = levenbergMarquardt(
    {
      n: 3,
      m: x.length,
      evaluate(p, r, J) {
        for (let i = 0; i < x.length; i++) {
          const e = Math.exp(-p[1] * x[i]);
          r[i] = p[0] * e + p[2] - y[i];
          if (J) {
            J[3 * i] = e;
            J[3 * i + 1] = -p[0] * x[i] * e;
            J[3 * i + 2] = 1;
          }
        }
      },
    },
    [1, 0.5, 0],
  );
  assert.ok(res.converged);
  assert.ok(
    Math.abs(res.p[0] - 2.5) < 1e-7 && Math.abs(res.p[1] - 1.3) < 1e-7 && Math.abs(res.p[2] - 0.4) < 1e-7,
    String(res.p),
  );
});

test('polyfit is exact for polynomials at X-ray energies; Larch index and rounding conventions', () => {
  const x = Array.from({ length: 50 }, (_, i) => 8300 + 17.3 * i);
  const c = [3.1, -2e-4, 1.5e-8];
  const y = x.map((e) => polyval(c, e));
  const fit = polyfit(x, y, 2);
  for (const e of [8300, 8800, 9100]) assert.ok(Math.abs(polyval(fit, e) - polyval(c, e)) < 1e-9);
  assert.equal(roundHalfEven(2.5), 2);
  assert.equal(roundHalfEven(3.5), 4);
  assert.equal(roundHalfEven(-2.5), -2);
  assert.equal(roundHalfEven(-13.4), -13);
  const a = [1, 2, 4, 8];
  assert.equal(indexOf(a, 0), 0);
  assert.equal(indexOf(a, 4), 2);
  assert.equal(indexOf(a, 5), 2);
  assert.equal(indexOf(a, 9), 3);
  assert.equal(indexNearest(a, 5.9), 2);
  assert.equal(indexNearest(a, 6.1), 3);
});

test('FT windows match Larch ftwindow for all shapes', () => {
  const ref = larchRef().extras;
  const x = Float64Array.from({ length: 401 }, (_, i) => 0.05 * i);
  for (const [name, { dx, w }] of Object.entries(ref.windows)) {
    const ours = ftwindow(x, { xmin: 3, xmax: 14, dx, window: name });
    assert.ok(maxAbsDiff(ours, w) < 1e-7, `${name}: ${maxAbsDiff(ours, w)}`);
  }
  // hanning: 0 outside [xmin − dx/2, xmax + dx/2], 1 on the plateau
  const h = ftwindow(x, { xmin: 3, xmax: 14, dx: 1 });
  assert.equal(h[40], 0);
  assert.equal(h[100], 1);
  assert.equal(h[300], 0);
  assert.ok(Math.abs(besselI0(0) - 1) < 1e-15 && Math.abs(besselI0(2) - 2.2795853023360673) < 1e-13);
  assert.throws(() => ftwindow(x, { window: 'triangle' }), /unknown FT window "triangle"/);
});

test('xftf and xftr match Larch on the Ni χ(k) (Re, Im, |χ(R)| and the back-transform)', () => {
  const lr = larchRef();
  const ni = lr.results.find((r) => r.file === lr.extras.xftf.file)!;
  const o = lr.extras.xftf.opts;
  const f = xftf(ni.k, ni.chi, {
    kmin: 3,
    kmax: 14,
    dk: 1,
    window: String(o.window),
    kweight: 2,
    rmax_out: 10,
  });
  assert.equal(f.r.length, lr.extras.xftf.r.length);
  const scale = Math.max(...lr.extras.xftf.chir_mag);
  assert.ok(maxAbsDiff(f.r, lr.extras.xftf.r) < 1e-7);
  assert.ok(maxAbsDiff(f.chir_re, lr.extras.xftf.chir_re) < 1e-6 * scale);
  assert.ok(maxAbsDiff(f.chir_im, lr.extras.xftf.chir_im) < 1e-6 * scale);
  assert.ok(maxAbsDiff(f.chir_mag, lr.extras.xftf.chir_mag) < 1e-6 * scale);
  const b = xftr(f.r, f.chir_re, f.chir_im, { rmin: 1, rmax: 3, dr: 0.1, window: 'hanning', qmax_out: 20 });
  const qscale = Math.max(...lr.extras.xftr.chiq_re.map(Math.abs));
  assert.equal(b.q.length, lr.extras.xftr.q.length);
  assert.ok(maxAbsDiff(b.chiq_re, lr.extras.xftr.chiq_re) < 1e-5 * qscale);
  assert.ok(maxAbsDiff(b.chiq_im, lr.extras.xftr.chiq_im) < 1e-5 * qscale);
});

test('FT of a single sine shell peaks at R and back-transform over a wide window returns k^w·χ·Ω', () => {
  // χ(k) = sin(2kR) with R = 2.5 Å → |χ(R)| peaks at 2.5 Å (no phase shift)
  const k = Float64Array.from({ length: 401 }, (_, i) => 0.05 * i);
  const chi = k.map((q) => Math.sin(2 * q * 2.5));
  const f = xftf(k, chi, { kmin: 3, kmax: 17, dk: 1, window: 'hanning', kweight: 0, rmax_out: 8 });
  let imax = 0;
  for (let i = 1; i < f.r.length; i++) if (f.chir_mag[i] > f.chir_mag[imax]) imax = i;
  assert.ok(Math.abs(f.r[imax] - 2.5) < 0.031, String(f.r[imax]));
  // Parseval-type check of the normalisation: the peak height of a unit sine over Δk ≈ 14 is Δk/(2√π)
  assert.ok(
    Math.abs(f.chir_mag[imax] / (14 / (2 * Math.sqrt(Math.PI))) - 1) < 0.05,
    String(f.chir_mag[imax]),
  );
  const full = xftf(k, chi, { kmin: 3, kmax: 17, dk: 1, window: 'hanning', kweight: 0, rmax_out: 31 });
  const back = xftr(full.r, full.chir_re, full.chir_im, {
    rmin: 0.5,
    rmax: 30,
    dr: 0.5,
    window: 'hanning',
    qmax_out: 20,
  });
  // Im of the back-transform of the positive-R half recovers half the windowed χ plus its Hilbert
  // partner; Re ≈ Ω(k)·χ(k) within the window (Larch's convention)
  const target = full.kwin.map((w, i) => w * chi[i]);
  assert.ok(
    relRms(back.q, back.chiq_re, target, 4, 16, 0) < 0.05,
    String(relRms(back.q, back.chiq_re, target, 4, 16, 0)),
  );
});

test('findE0 takes the largest derivative and ignores a one-point glitch; ETOK and edge table', () => {
  const E = Array.from({ length: 300 }, (_, i) => 8200 + i);
  const mu = E.map((e) => 1 / (1 + Math.exp(-(e - 8333) / 2)));
  mu[100] += 0.5; // a one-point spike: its neighbours' derivatives are not high, so it is skipped (Larch's guard)
  assert.equal(findE0(E, mu), 8333);
  mu[100] += 5; // so large that the edge falls below 10 % of it: the running-median retry finds the edge
  assert.equal(findE0(E, mu), 8333);
  assert.ok(Math.abs(ETOK - 0.2624683) < 1e-6); // docs/design.md constant
  assert.equal(Math.sqrt(ETOK * 100).toFixed(4), '5.1232');
  assert.equal(edgeEnergy('ni', 'k'), 8333);
  assert.equal(edgeEnergy('Pt', 'L3'), 11564);
  assert.equal(edgeEnergy('Ca', 'LIII'), 346.2);
  assert.equal(edgeEnergy('Xx', 'K'), null);
  assert.deepEqual(guessEdge(8980), { element: 'Cu', edge: 'K', energy: 8979 });
  assert.deepEqual(guessEdge(11918), { element: 'Au', edge: 'L3', energy: 11919 });
});
