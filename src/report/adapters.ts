/**
 * Filling the report's plain input objects from what src/xas and src/nn return, so `predict`,
 * `evaluate` and the browser app need one call each. Browser-safe (types only from other stages).
 */
import type { ProcessResult } from '../xas/process.js';
import type { EnsemblePrediction } from '../nn/predict.js';
import type { ProcessingView, PredictionView, SpectrumReport } from './types.js';
import type { GammaTables } from '../theory/table.js';
import {
  forwardCheck,
  forwardCheckRWindow,
  shellForTriplets,
  type ForwardCheck,
} from '../exafs/resimulate.js';
import { rRangeLabel } from './figures.js';

/** xas ProcessResult → ProcessingView (background shown from E0 up; FT range from the settings used). */
export function processingView(res: ProcessResult): ProcessingView {
  const e0 = res.e0 ?? NaN;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const bkg = res.bkg.length
    ? Float64Array.from(res.bkg, (v, i) => (res.energy[i] < e0 ? NaN : v))
    : undefined;
  const kw = num(res.params.ft_kweight) ?? num(res.params.kweight) ?? 2;
  const settings: Record<string, string | number | boolean | null> = {};
  for (const [key, v] of Object.entries(res.params)) settings[key] = v;
  return {
    energy: res.energy,
    mu: res.mu,
    pre_edge: res.pre_edge.length ? res.pre_edge : undefined,
    post_edge: res.post_edge.length ? res.post_edge : undefined,
    background: bkg,
    e0,
    edge_step: res.edge_step ?? NaN,
    k: res.k,
    chi: res.chi,
    kweight: kw,
    r: res.r,
    chir_mag: res.chir_mag,
    chir_re: res.chir_re,
    chir_im: res.chir_im,
    kmin: num(res.params.ft_kmin),
    kmax: num(res.params.ft_kmax),
    settings,
  };
}

/** nn EnsemblePrediction (+ optional re-simulation) → PredictionView. */
export function predictionView(
  p: EnsemblePrediction,
  resimulated?: PredictionView['resimulated'],
): PredictionView {
  return {
    r: p.r,
    g: p.g,
    g_std: p.g_std,
    theta: p.theta,
    bad: p.bad,
    bad_std: p.bad_std,
    first_shell: {
      r: p.first_shell.r,
      r_std: p.first_shell.r_std,
      cn: p.first_shell.cn,
      cn_std: p.first_shell.cn_std,
      combined: p.first_shell.combined,
    },
    sigma_note: p.uncertainty.sigma,
    sigma_calibrated: p.uncertainty.calibrated,
    bad_peaks: p.bad_peaks,
    local_order: p.local_order,
    resimulated,
  };
}

/** Sample temperature in K from XDI-style text ("Sample.temperature: 300 K") or a file name ("..._300K.xdi"). */
export function temperatureOf(file: string, text?: string): number | undefined {
  if (text) {
    const m = text.match(/^#\s*Sample\.temperature\s*:\s*([-+\d.eE]+)\s*(K|C|°C)?\s*$/im);
    if (m) {
      const v = Number(m[1]);
      if (Number.isFinite(v)) return m[2] && m[2] !== 'K' ? v + 273.15 : v;
    }
  }
  const f = file.split(/[\\/]/).pop() ?? file;
  const n = f.match(/(?:^|[_\-. ])(\d{1,4}(?:\.\d+)?)\s*K(?=[_\-. ]|$)/);
  return n ? Number(n[1]) : undefined;
}

/** One spectrum's report section from the processing result and (optionally) the prediction. */
export function spectrumReport(
  res: ProcessResult,
  pred?: EnsemblePrediction | null,
  extra: { resimulated?: PredictionView['resimulated']; text?: string; warnings?: string[] } = {},
): SpectrumReport {
  return {
    file: res.file,
    label: res.label,
    element: res.element ?? undefined,
    edge: res.edge ?? undefined,
    temperature: temperatureOf(res.file, extra.text),
    processing: processingView(res),
    prediction: pred ? predictionView(pred, extra.resimulated) : undefined,
    warnings: [...res.warnings, ...(extra.warnings ?? [])],
  };
}

/**
 * The attribution a report must carry for the shared sample spectra (CC BY 4.0): recognised from
 * the XDI header of the LISA beamline files; null for other data.
 */
export function attributionFor(text: string): string | null {
  if (/^#\s*Beamline\.name\s*:\s*BM08-LISA/im.test(text))
    return 'Spectrum: based on the LISA XAS Repository by Alessandro Puri, original repository DOI 10.5281/zenodo.10778098 (CC BY 4.0)';
  return null;
}

/**
 * The forward check of an ensemble prediction exactly as `exafsnn predict` runs it (src/exafs
 * forwardCheck: χ2 from g(r) and ρ through γ2, χ3 from N(θ) through γ3 in the superposition
 * approximation, ΔE and S0² fitted in R space), on the data's k grid: χ(R) by xftf of k^w·χ over
 * [max(3, model kmin), model kmax] with the model's k-weight and the FT defaults' window, R-factor
 * over forwardCheckRWindow of the predicted R1 and g(r) grid. Browser-safe (the caller loads the tables).
 */
export function forwardCheckOfPrediction(
  tables: GammaTables,
  pred: EnsemblePrediction,
  model: { k: ArrayLike<number>; kweight: number },
  dataK: ArrayLike<number>,
  dataChi: ArrayLike<number>,
): ForwardCheck {
  const [kmin, kmax] = forwardCheckRange(model);
  return forwardCheck(
    {
      r: pred.r,
      g: pred.g,
      density: pred.density,
      theta: pred.theta,
      bad: pred.bad,
      shell: shellForTriplets(pred.first_shell),
    },
    tables,
    dataK,
    dataChi,
    { kweight: model.kweight, kmin, kmax, rRange: forwardCheckRWindowOf(pred) },
  );
}

/** k range of the forward check of a model's prediction [Å⁻¹]: the model's, from 3 Å⁻¹ up. */
export function forwardCheckRange(model: { k: ArrayLike<number> }): [number, number] {
  return [Math.max(model.k[0], 3), model.k[model.k.length - 1]];
}

/** R window of the forward check of a prediction: forwardCheckRWindow(R1, end of the g(r) grid). */
export function forwardCheckRWindowOf(pred: {
  r: ArrayLike<number>;
  first_shell: { r: number };
}): [number, number] {
  return forwardCheckRWindow(pred.first_shell.r, pred.r[pred.r.length - 1]);
}

/** The `resimulated` object of `predict --json` (docs/design.md), also the app's JSON download. */
export function resimulatedJson(fc: ForwardCheck): Record<string, unknown> {
  return {
    k: fc.k,
    chi: fc.chi,
    chi2: fc.chi2,
    chi3: fc.chi3,
    r_factor: fc.r_factor,
    r_range: fc.r_range,
    r_factor_k: fc.r_factor_k,
    k_range: fc.k_range,
    dE: fc.dE,
    s02: fc.s02,
    // χ(R) of the data and of the re-simulation, the transform r_factor compares (R 0–8 Å)
    chir: fc.chir,
  };
}

/** The report's re-simulated χ(k) section of a forward check made by forwardCheckOfPrediction. */
export function resimulatedViewOf(
  fc: ForwardCheck,
  model: { k: ArrayLike<number>; kweight: number },
  dataChi: ArrayLike<number>,
): NonNullable<PredictionView['resimulated']> & { note: string } {
  const [kmin, kmax] = fc.k_range;
  return {
    k: fc.k,
    chi: fc.chi,
    chi_data: dataChi,
    r_factor: fc.r_factor,
    r_range: fc.r_range,
    r_factor_k: fc.r_factor_k,
    k_range: [kmin, kmax],
    chir: fc.chir,
    note:
      `χ2 from the predicted g(r) and ρ through the γ2 table; χ3 from the predicted N(θ) with both bonds drawn from the first-shell ` +
      `distribution through the γ3 table (superposition approximation); ΔE = ${fc.dE.toFixed(2)} eV and S0² = ${fc.s02.toFixed(3)} fitted ` +
      `in R space; R-factor ${fmt(fc.r_factor)} on χ(R) of k^${model.kweight}·χ (k ${kmin}–${kmax} Å⁻¹) over ${rRangeLabel(fc.r_range)}, ` +
      `the range the 2- and 3-body theory covers (${fmt(fc.r_factor_k)} on k^${model.kweight}·χ over k ${kmin}–${kmax} Å⁻¹, all shells)`,
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '—');

/** The re-simulated χ(k) section of a prediction (forwardCheckOfPrediction, then resimulatedViewOf). */
export function resimulatedView(
  tables: GammaTables,
  pred: EnsemblePrediction,
  model: { k: ArrayLike<number>; kweight: number },
  dataK: ArrayLike<number>,
  dataChi: ArrayLike<number>,
): NonNullable<PredictionView['resimulated']> {
  return resimulatedViewOf(forwardCheckOfPrediction(tables, pred, model, dataK, dataChi), model, dataChi);
}
