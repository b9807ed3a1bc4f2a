/**
 * The standard figures of an EXAFS → structure report, as SVG strings. Pure functions (no DOM,
 * no Node APIs) shared by the HTML report and the browser app, so both show the same plots.
 */
import { plotSvg, stdBand, type Series, type MarkerLine, type PlotSpec } from './plot.js';
import type { Arr, EvaluateReportInput, ProcessingView, PredictionView, SeriesRow } from './types.js';
import { thetaPeakPositions } from '../nn/anglePeaks.js';

/** "R 1.00–3.96 Å": the window an R-factor was taken over, as reports and the app label it. */
export function rRangeLabel(range: ArrayLike<number> | null | undefined): string {
  return range && range.length === 2
    ? `R ${range[0].toFixed(2)}–${range[1].toFixed(2)} Å`
    : 'R window unknown';
}

export interface FigureOptions {
  width?: number;
  height?: number;
  /** prefix for SVG ids (unique per page) */
  id?: string;
  footnote?: string;
}

const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵' };
/** "k²χ(k)" style label for k-weight w. */
export function kwLabel(w: number): string {
  if (w === 0) return 'χ(k)';
  if (w === 1) return 'k·χ(k) (Å⁻¹)';
  const s = String(w)
    .split('')
    .map((c) => SUP[c] ?? c)
    .join('');
  return `k${s}·χ(k) (Å⁻${s})`;
}

function weighted(k: Arr, chi: Arr, w: number): Float64Array {
  const n = Math.min(k.length, chi.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.pow(k[i], w) * chi[i];
  return out;
}

function base(o: FigureOptions, name: string) {
  return { width: o.width, height: o.height, id: `${o.id ?? 'f'}-${name}`, footnote: o.footnote };
}

/** μ(E) with the pre-edge line, the post-edge curve, the background and E0. */
export function muFigure(p: ProcessingView, o: FigureOptions = {}): string {
  const series: Series[] = [{ x: p.energy, y: p.mu, label: 'μ(E) measured', color: '#000000', width: 1.5 }];
  if (p.pre_edge)
    series.push({
      x: p.energy,
      y: p.pre_edge,
      label: 'pre-edge line',
      color: '#0072B2',
      dash: '6 4',
      width: 1.3,
    });
  if (p.post_edge)
    series.push({
      x: p.energy,
      y: p.post_edge,
      label: 'post-edge curve',
      color: '#009E73',
      dash: '6 4',
      width: 1.3,
    });
  if (p.background)
    series.push({ x: p.energy, y: p.background, label: 'background μ₀(E)', color: '#D55E00', width: 1.5 });
  // keep the pre/post extrapolations from stretching the y axis: limit to the μ range ± 15 %
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < p.mu.length; i++) {
    const v = p.mu[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const pad = (hi - lo) * 0.15;
  return plotSvg({
    ...base(o, 'mu'),
    title: 'Absorption μ(E) and background',
    xlabel: 'E (eV)',
    ylabel: 'μ(E) (absorbance)',
    series,
    vlines: [{ at: p.e0, label: `E₀ = ${p.e0.toFixed(1)} eV`, color: '#555' }],
    ylim: Number.isFinite(lo) ? [lo - pad, hi + pad] : undefined,
    legend: 'bottom-right',
  });
}

/** k^w·χ(k) with the Fourier-transform k range. */
export function chikFigure(p: ProcessingView, o: FigureOptions = {}): string {
  const vl: MarkerLine[] = [];
  if (p.kmin !== undefined) vl.push({ at: p.kmin, label: `kmin ${p.kmin}`, color: '#888' });
  if (p.kmax !== undefined) vl.push({ at: p.kmax, label: `kmax ${p.kmax}`, color: '#888' });
  return plotSvg({
    ...base(o, 'chik'),
    title: `EXAFS ${kwLabel(p.kweight).split(' ')[0]}`,
    xlabel: 'k (Å⁻¹)',
    ylabel: kwLabel(p.kweight),
    series: [{ x: p.k, y: weighted(p.k, p.chi, p.kweight), label: 'data', color: '#0072B2', width: 1.5 }],
    vlines: vl,
    legend: 'none',
  });
}

/** |χ(R)| with Re and Im parts (when given). */
export function chirFigure(p: ProcessingView, o: FigureOptions = {}): string | null {
  if (!p.r || !p.chir_mag) return null;
  const series: Series[] = [];
  if (p.chir_re)
    series.push({ x: p.r, y: p.chir_re, label: 'Re χ(R)', color: '#56B4E9', width: 1, dash: '4 3' });
  if (p.chir_im)
    series.push({ x: p.r, y: p.chir_im, label: 'Im χ(R)', color: '#CC79A7', width: 1, dash: '2 2' });
  series.push({ x: p.r, y: p.chir_mag, label: '|χ(R)|', color: '#000000', width: 1.8 });
  const w = p.kweight;
  return plotSvg({
    ...base(o, 'chir'),
    title: 'Fourier transform |χ(R)| (not phase-corrected)',
    xlabel: 'R (Å)',
    ylabel: `|χ(R)| (Å${w + 1 === 1 ? '' : `⁻${SUP[String(w + 1)] ?? w + 1}`})`,
    series,
    xlim: [0, Math.min(8, p.r[p.r.length - 1])],
  });
}

/**
 * Legend of the ±1σ band of g(r) and N(θ): what the σ drawn is (the calibrated σ of a calibrated
 * model, the bare ensemble spread of an uncalibrated one; src/nn/combine.ts).
 */
export function sigmaBandLabel(pr: Pick<PredictionView, 'sigma_calibrated'>): string {
  if (pr.sigma_calibrated === true) return '±1σ (calibrated)';
  if (pr.sigma_calibrated === false) return '±1σ (ensemble spread, uncalibrated)';
  return '±1σ';
}

/** g(r) ± σ with the first-shell distance marked. */
export function grFigure(
  pr: PredictionView,
  o: FigureOptions = {},
  reference?: { r: Arr; g: Arr; label: string },
): string {
  const series: Series[] = [
    {
      x: pr.r,
      y: pr.g,
      label: 'g(r) ensemble mean',
      color: '#0072B2',
      width: 1.8,
      band: stdBand(pr.g, pr.g_std, 1, sigmaBandLabel(pr)),
    },
  ];
  if (reference)
    series.push({
      x: reference.r,
      y: reference.g,
      label: reference.label,
      color: '#D55E00',
      dash: '6 4',
      width: 1.4,
    });
  const fs = pr.first_shell;
  return plotSvg({
    ...base(o, 'gr'),
    title: 'Radial distribution function g(r)',
    xlabel: 'r (Å)',
    ylabel: 'g(r)',
    series,
    vlines: Number.isFinite(fs.r) ? [{ at: fs.r, label: `R₁ = ${fs.r.toFixed(3)} Å`, color: '#555' }] : [],
    hlines: [{ at: 1, color: '#aaa', dash: '2 3' }],
    includeZeroY: true,
  });
}

/** N(θ) ± σ per degree, peaks marked. */
export function badFigure(
  pr: PredictionView,
  o: FigureOptions = {},
  reference?: { theta: Arr; bad: Arr; label: string },
): string {
  const series: Series[] = [
    {
      x: pr.theta,
      y: pr.bad,
      label: 'N(θ) ensemble mean',
      color: '#009E73',
      width: 1.8,
      band: stdBand(pr.bad, pr.bad_std, 1, sigmaBandLabel(pr)),
    },
  ];
  if (reference)
    series.push({
      x: reference.theta,
      y: reference.bad,
      label: reference.label,
      color: '#D55E00',
      dash: '6 4',
      width: 1.4,
    });
  const peaks = thetaPeaks(pr);
  return plotSvg({
    ...base(o, 'bad'),
    title: 'Nearest-neighbour bond-angle distribution N(θ)',
    xlabel: 'θ (degrees)',
    ylabel: 'N(θ) (pairs per degree)',
    series,
    vlines: peaks.map((p) => ({ at: p, label: `${p.toFixed(0)}°`, color: '#999', dash: '2 3' })),
    xlim: [0, 180],
    includeZeroY: true,
    legend: 'top-left',
  });
}

/** Re-simulated k^w·χ(k) against the data on the model grid. */
export function resimFigure(pr: PredictionView, kweight: number, o: FigureOptions = {}): string | null {
  const rs = pr.resimulated;
  if (!rs) return null;
  const series: Series[] = [];
  if (rs.chi_data)
    series.push({
      x: rs.k,
      y: weighted(rs.k, rs.chi_data, kweight),
      label: 'measured',
      color: '#000000',
      width: 1.5,
    });
  series.push({
    x: rs.k,
    y: weighted(rs.k, rs.chi, kweight),
    label:
      rs.r_factor_k !== undefined
        ? `re-simulated (k-space R = ${Number.isFinite(rs.r_factor_k) ? rs.r_factor_k.toFixed(3) : '—'}, all shells)`
        : `re-simulated (R = ${Number.isFinite(rs.r_factor) ? rs.r_factor.toFixed(3) : '—'})`,
    color: '#D55E00',
    width: 1.5,
    dash: '6 3',
  });
  return plotSvg({
    ...base(o, 'resim'),
    title: 'Re-simulated χ(k) from the predicted structure vs data',
    xlabel: 'k (Å⁻¹)',
    ylabel: kwLabel(kweight),
    series,
    footnote: rs.note ?? o.footnote,
    xlim: rs.k_range,
  });
}

/**
 * |χ(R)| and Re χ(R) of the data and of the re-simulation (the transform of the forward check),
 * with the R window of its R-factor marked; null when the view has no χ(R).
 */
export function resimRFigure(pr: PredictionView, kweight: number, o: FigureOptions = {}): string | null {
  const rs = pr.resimulated;
  const c = rs?.chir;
  if (!rs || !c) return null;
  const mag = (a: Arr, b: Arr) =>
    Float64Array.from({ length: Math.min(a.length, b.length) }, (_, i) => Math.hypot(a[i], b[i]));
  const rf = Number.isFinite(rs.r_factor) ? rs.r_factor.toFixed(3) : '—';
  const series: Series[] = [
    { x: c.r, y: c.data_re, label: 'Re, measured', color: '#56B4E9', width: 1 },
    { x: c.r, y: c.sim_re, label: 'Re, re-simulated', color: '#E69F00', width: 1, dash: '4 3' },
    { x: c.r, y: mag(c.data_re, c.data_im), label: '|χ(R)|, measured', color: '#000000', width: 1.6 },
    {
      x: c.r,
      y: mag(c.sim_re, c.sim_im),
      label: '|χ(R)|, re-simulated',
      color: '#D55E00',
      width: 1.6,
      dash: '6 3',
    },
  ];
  const rr = rs.r_range;
  const w = kweight;
  return plotSvg({
    ...base(o, 'resim-r'),
    title: `Re-simulated χ(R) vs data: R-factor ${rf} over ${rRangeLabel(rr)}`,
    xlabel: 'R (Å), not phase-corrected',
    ylabel: `χ(R) (Å${w + 1 === 1 ? '' : `⁻${SUP[String(w + 1)] ?? w + 1}`})`,
    series,
    vlines: rr
      ? [
          { at: rr[0], label: `${rr[0].toFixed(2)} Å`, color: '#666666', dash: '2 3' },
          { at: rr[1], label: `${rr[1].toFixed(2)} Å`, color: '#666666', dash: '2 3' },
        ]
      : undefined,
    xlim: [0, Math.min(7, c.r[c.r.length - 1])],
    legend: 'top-right',
  });
}

/** N(θ) peak positions [degrees] above 10 % of the highest, at least 8° apart (the ones predict gives σ for: src/nn/anglePeaks.ts). */
export function thetaPeaks(pr: PredictionView): number[] {
  return thetaPeakPositions(pr.theta, pr.bad);
}

// ---- series and evaluation figures (the predict report's temperature series; `evaluate`) ----

/** R₁ ± σ against the sample temperature, for a series of spectra (rows with a temperature). */
export function seriesR1Figure(rows: SeriesRow[]): string {
  const withT = rows.filter((r) => r.temperature !== null);
  return plotSvg({
    id: 'series-r1',
    title: 'First-shell distance vs temperature',
    xlabel: 'T (K)',
    ylabel: 'R₁ (Å)',
    series: [
      {
        x: withT.map((r) => r.temperature as number),
        y: withT.map((r) => r.r1),
        style: 'line+points',
        radius: 3.5,
        label: 'R₁',
        band: stdBand(
          withT.map((r) => r.r1),
          withT.map((r) => r.r1_std),
          1,
          '±1σ',
        ),
      },
    ],
    legend: 'top-left',
  });
}

/** Per-sample test MSE of the worst samples, descending, on a log axis. */
export function worstMseFigure(mse: Arr): string {
  const n = mse.length;
  const x = Array.from({ length: n }, (_, i) => i + 1);
  return plotSvg({
    id: 'worst',
    title: `Per-sample test MSE, worst ${n} (descending)`,
    xlabel: 'rank',
    ylabel: 'MSE',
    logY: true,
    series: [{ x, y: mse, style: 'line+points', radius: 1.8, width: 1, label: 'per-sample MSE' }],
  });
}

/** Fraction of true values inside ±zσ against the Gaussian expectation. */
export function calibrationFigure(c: NonNullable<EvaluateReportInput['calibration']>[number]): string {
  return plotSvg({
    id: `cal-${c.head ?? ''}`,
    title: `Calibration of the ensemble σ${c.head ? ` (${c.head})` : ''}`,
    xlabel: 'band half-width z (in units of σ)',
    ylabel: 'fraction of true values inside ±zσ',
    series: [
      { x: c.z, y: c.expected, label: 'Gaussian expectation', color: '#777', dash: '5 4', width: 1.3 },
      { x: c.z, y: c.observed, label: 'observed', style: 'line+points', radius: 3 },
    ],
    ylim: [0, 1.02],
    legend: 'bottom-right',
  });
}

type EvaluationExample = NonNullable<EvaluateReportInput['examples']>[number];

/** A prediction ± σ against the truth, on one axis (the test examples of `evaluate`). */
function predictedVsTrue(
  x: Arr,
  pred: Arr,
  std: Arr,
  truth: Arr,
  color: string | undefined,
  spec: Omit<PlotSpec, 'series'>,
): string {
  const series: Series[] = [
    { x, y: pred, label: 'predicted', color, band: stdBand(pred, std, 1, '±1σ') },
    { x, y: truth, label: 'true', color: '#000', dash: '5 3', width: 1.3 },
  ];
  return plotSvg({ ...spec, series, includeZeroY: true });
}

/** A test example's predicted g(r) ± σ against its truth. */
export function exampleGrFigure(e: EvaluationExample, i: number): string {
  return predictedVsTrue(e.r, e.g_pred, e.g_std, e.g_true, undefined, {
    id: `ex${i}g`,
    title: `g(r) — ${e.label}`,
    xlabel: 'r (Å)',
    ylabel: 'g(r)',
  });
}

/** A test example's predicted N(θ) ± σ against its truth. */
export function exampleBadFigure(e: EvaluationExample, i: number): string {
  return predictedVsTrue(e.theta, e.bad_pred, e.bad_std, e.bad_true, '#009E73', {
    id: `ex${i}b`,
    title: `N(θ) — ${e.label}`,
    xlabel: 'θ (degrees)',
    ylabel: 'N(θ) (pairs per degree)',
    xlim: [0, 180],
    legend: 'top-left',
  });
}
