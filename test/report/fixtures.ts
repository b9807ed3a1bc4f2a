/**
 * Synthetic, physically shaped report inputs (no other stage needed): an arctan edge with a
 * damped single-shell EXAFS oscillation at R = 2.49 Å, a Gaussian first shell in g(r) and fcc-like
 * bond-angle peaks. Used by the report tests and to render a sample report to look at.
 */
import type { SpectrumReport, PredictReportInput, EvaluateReportInput } from '../../src/report/index.js';

const ETOK = 0.2624683;

export function syntheticSpectrum(
  opts: { temperature?: number; r1?: number; file?: string } = {},
): SpectrumReport {
  const e0 = 8333;
  const r1 = opts.r1 ?? 2.49;
  const s2 = 0.006 + (opts.temperature ?? 300) * 1.5e-5;
  const energy: number[] = [];
  for (let e = e0 - 200; e < e0 + 1000; e += e < e0 - 30 ? 5 : e < e0 + 40 ? 0.5 : 2) energy.push(e);
  const chiAt = (k: number) =>
    ((12 * 0.9 * Math.exp(-2 * k * k * s2) * Math.sin(2 * k * r1 + 0.3 - 0.2 * k)) / (k * r1 * r1)) *
    Math.exp((-2 * r1) / 8) *
    0.08;
  const pre = energy.map((e) => -0.42 - 1.5e-4 * (e - e0));
  const step = 1.1;
  const post = energy.map((e) => -0.42 + step - 2.5e-4 * (e - e0) + 5e-8 * (e - e0) ** 2);
  const bkg = energy.map((e, i) =>
    e < e0 ? NaN : pre[i] + (post[i] - pre[i]) * (0.5 + Math.atan((e - e0) / 3) / Math.PI),
  );
  const mu = energy.map((e, i) => {
    const edge = pre[i] + (post[i] - pre[i]) * (0.5 + Math.atan((e - e0) / 3) / Math.PI);
    const k = e > e0 ? Math.sqrt(ETOK * (e - e0)) : 0;
    return edge + (k > 0.5 ? step * chiAt(k) : 0);
  });
  const k: number[] = [];
  const chi: number[] = [];
  for (let i = 0; i <= 300; i++) {
    k.push(i * 0.05);
    chi.push(i * 0.05 > 0.5 ? chiAt(i * 0.05) : 0);
  }
  const r: number[] = [];
  const mag: number[] = [];
  const re: number[] = [];
  for (let i = 0; i < 200; i++) {
    const R = i * 0.0307;
    r.push(R);
    const amp =
      1.2 * Math.exp(-((R - (r1 - 0.35)) ** 2) / (2 * 0.12 ** 2)) +
      0.25 * Math.exp(-((R - 3.2) ** 2) / (2 * 0.15 ** 2));
    mag.push(amp);
    re.push(amp * Math.cos(9 * R));
  }
  const rg: number[] = [];
  const g: number[] = [];
  const gs: number[] = [];
  for (let i = 0; i < 250; i++) {
    const x = 1.8 + i * 0.024;
    rg.push(x);
    const v =
      7.5 * Math.exp(-((x - r1) ** 2) / (2 * 0.075 ** 2)) +
      2.0 * Math.exp(-((x - 3.52) ** 2) / (2 * 0.1 ** 2)) +
      3.2 * Math.exp(-((x - 4.31) ** 2) / (2 * 0.12 ** 2)) +
      (x > 3.9 ? 0.6 : 0);
    g.push(v);
    gs.push(0.04 + 0.06 * v);
  }
  const theta: number[] = [];
  const bad: number[] = [];
  const bs: number[] = [];
  const gauss = (t: number, c: number, n: number, w: number) =>
    (n / (Math.sqrt(2 * Math.PI) * w)) * Math.exp(-((t - c) ** 2) / (2 * w * w));
  for (let i = 0; i < 180; i++) {
    const t = i + 0.5;
    theta.push(t);
    const v =
      gauss(t, 60, 24, 5) +
      gauss(t, 90, 12, 6) +
      gauss(t, 120, 24, 7) +
      gauss(t, 180, 6, 5) * (t > 170 ? 1 : 1);
    bad.push(v);
    bs.push(0.02 + 0.12 * v);
  }
  const kk = k.filter((x) => x >= 3 && x <= 14);
  return {
    file: opts.file ?? '/data/Ni_foil_300K.xdi',
    element: 'Ni',
    edge: 'K',
    temperature: opts.temperature,
    processing: {
      energy,
      mu,
      pre_edge: pre,
      post_edge: post,
      background: bkg,
      e0,
      edge_step: step,
      k,
      chi,
      kweight: 2,
      r,
      chir_mag: mag,
      chir_re: re,
      kmin: 3,
      kmax: 14,
      settings: { rbkg: 1, kweight: 2, window: 'hanning', dk: 1 },
    },
    prediction: {
      r: rg,
      g,
      g_std: gs,
      theta,
      bad,
      bad_std: bs,
      first_shell: { r: r1, r_std: 0.0123, cn: 11.83, cn_std: 0.41 },
      resimulated: {
        k: kk,
        chi: kk.map((x) => chiAt(x) * 0.93),
        chi_data: kk.map((x) => chiAt(x)),
        r_factor: 0.0213,
        r_range: [1, 2 * r1 - 1],
        r_factor_k: 0.0612,
        k_range: [3, 14],
        chir: {
          r,
          data_re: re,
          data_im: re.map((v, i) => v * Math.tan(9 * r[i] + 0.1) * 0.1),
          sim_re: re.map((v) => 0.93 * v),
          sim_im: re.map((v, i) => 0.93 * v * Math.tan(9 * r[i] + 0.1) * 0.1),
        },
        note: '2-body part from g(r) through γ2 tables (synthetic)',
      },
    },
  };
}

export function syntheticPredictInput(n = 1): PredictReportInput {
  const spectra = Array.from({ length: n }, (_, i) =>
    syntheticSpectrum({
      temperature: n > 1 ? 300 + 200 * i : 300,
      r1: 2.49 + 0.004 * i,
      file: n > 1 ? `/data/Ni_${300 + 200 * i}K.xdi` : undefined,
    }),
  );
  return {
    spectra,
    model: {
      name: 'ni-k-test',
      path: 'data/models/ni-k-test',
      members: 5,
      kweight: 2,
      k_range: [3, 14],
      element: 'Ni',
      edge: 'K',
      dataset: 'synthetic',
      metrics: { mse_g: 0.0123 },
    },
    attribution: [
      'Based on the LISA XAS Repository by Alessandro Puri, DOI 10.5281/zenodo.10778098 (CC BY 4.0)',
    ],
    version: '0.1.0',
    generated: '2026-11-27T08:00:00Z',
    command: 'exafsnn predict Ni_foil_300K.xdi --out report',
  };
}

export function syntheticEvaluateInput(): EvaluateReportInput {
  const sp = syntheticSpectrum();
  const pr = sp.prediction!;
  const worst = Array.from({ length: 200 }, (_, i) => 0.2 * Math.exp(-i / 25) + 0.002);
  const z = [0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3];
  const erf = (x: number) => {
    // Abramowitz & Stegun 7.1.26
    const t = 1 / (1 + 0.3275911 * Math.abs(x));
    const y =
      1 -
      ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
        t *
        Math.exp(-x * x);
    return x >= 0 ? y : -y;
  };
  const expected = z.map((v) => erf(v / Math.SQRT2));
  return {
    model: { name: 'ni-k-test', members: 5, kweight: 2, k_range: [3, 14] },
    dataset: 'synthetic.h5',
    n_test: 1000,
    heads: [
      { name: 'g', mse: 0.0123, baseline_mse: 0.52 },
      { name: 'bad', mse: 0.0021, baseline_mse: 0.031 },
    ],
    classes: [
      { name: 'fcc', n: 400, mse: { g: 0.008, bad: 0.0012 } },
      { name: 'liquid', n: 300, mse: { g: 0.019, bad: 0.0033 } },
    ],
    worst: { mse: worst, labels: worst.map((_, i) => (i % 3 ? 'fcc' : 'liquid') + ` #${1000 - i}`) },
    examples: [
      {
        label: 'fcc 300 K',
        r: pr.r,
        g_true: Array.from(pr.g, (v) => v * 0.97),
        g_pred: pr.g,
        g_std: pr.g_std,
        theta: pr.theta,
        bad_true: Array.from(pr.bad, (v) => v * 1.05),
        bad_pred: pr.bad,
        bad_std: pr.bad_std,
      },
    ],
    calibration: [{ head: 'g', z, expected, observed: expected.map((v) => Math.min(1, v * 0.9)) }],
    generated: '2026-11-27T08:00:00Z',
  };
}
