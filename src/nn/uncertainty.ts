/**
 * Calibrated uncertainty (browser-safe: no Node imports). The ensemble's spread σ_ens (sample
 * standard deviation of the members) misses what every member gets wrong together, so the σ that
 * predict, evaluate and the app show is
 *
 *   σ = √( (scale · σ_ens)² + floor² + (proportional · |ŷ|)² + model_form² )
 *
 * per quantity (g(r), N(θ), ρ and the derived R1 and CN; ŷ the predicted value). scale and floor
 * (and, for the local-order shares, proportional: src/nn/calibration.ts PROPORTIONAL) are fitted on data no
 * member trained or stopped on (the calibration split that `train` holds out, or data given to
 * `exafsnn calibrate`) so that 68.3 % and 95.4 % of the truths fall inside ±1σ and ±2σ;
 * model_form is measured on spectra the training theory did not make (another EAM potential),
 * its provenance stored with it (docs/nn.md, "Uncertainty"). All of it lives in model.json's
 * `calibration` field; a model without it keeps σ = σ_ens and says so.
 */

import { LOCAL_ORDER_COLUMNS } from '../analysis/localOrderColumns.js';

/**
 * The quantities σ is calibrated for; the local-order head's columns (pairs_1551 … cna_other) each
 * on its own, since their scales differ (a 1551 share of 0.1–0.3 in a melt, 0 in a crystal);
 * bad_peak: the positions of the N(θ) peaks a report shows (src/nn/anglePeaks.ts) [degrees];
 * s02: the S0² head (held-out χ scaled by S0² drawn from the training augmentation range, as every
 * quantity's: src/nn/calibration.ts, s02DrawsOf).
 */
export const CALIBRATED = ['g', 'bad', 'density', 'r1', 'cn', 'bad_peak', 's02', ...LOCAL_ORDER_COLUMNS] as const;
export type CalibratedQuantity = (typeof CALIBRATED)[number];

export interface CalibrationTerm {
  /** multiplies the ensemble spread */
  scale: number;
  /** added in quadrature (units of the quantity): error left when the members agree */
  floor: number;
  /** measured model-form term added in quadrature (units of the quantity); 0 when not measured */
  model_form: number;
  /**
   * times |predicted value|, added in quadrature: an error that grows with the value (a 1551 share
   * errs by ≈ 0.004 in a crystal, where it is ≈ 0, and by ≈ 0.03 in a melt, where it is 0.1–0.2, while
   * the members' spread does not follow). Absent (calibrations made before 2026-12-05, and
   * quantities it is not fitted for) = 0: σ exactly as before.
   */
  proportional?: number;
}

/** Share of truths inside ±1σ and ±2σ. */
export type Coverage = [number, number];

export interface ModelFormTerm {
  /** how it was measured (potential, theory, configurations, model) */
  provenance: string;
  /** dataset identity of the spectra it was measured on */
  dataset?: Record<string, unknown>;
  /** number of spectra */
  n: number;
  /** per quantity: mean offset (prediction − truth) on those spectra */
  offset: Partial<Record<CalibratedQuantity, number>>;
  /** per quantity: RMS error on those spectra */
  rms: Partial<Record<CalibratedQuantity, number>>;
  /** per quantity: RMS error on the calibration data (same model, the training theory) */
  rms_in: Partial<Record<CalibratedQuantity, number>>;
  /** the term added in quadrature: √max(0, rms² − rms_in²), the error the change of theory adds */
  term: Partial<Record<CalibratedQuantity, number>>;
  /** the same per band of the grid for g(r) and N(θ) (the bands of Calibration.bands) */
  band_terms?: Partial<Record<'g' | 'bad', number[]>>;
  /**
   * how these spectra entered σ: absent or 'additive' — `term` added in quadrature (the terms'
   * model_form); 'joint' — scale and floor fitted on the calibration data and these spectra
   * together, the terms' model_form 0 (src/nn/calibration.ts ModelFormFit)
   */
  fit?: 'additive' | 'joint';
}

/** model.json `calibration` (docs/nn.md, "Uncertainty"). */
export interface Calibration {
  version: 1;
  created: string;
  /** where the held-out data came from */
  data: {
    source: 'calibration split' | 'half of the test split' | 'calibration split and half of the test split' | 'other dataset';
    /** number of spectra */
    n: number;
    /** dataset identity (file, checksum) */
    dataset?: Record<string, unknown>;
    /** sample indices used; for 'half of the test split' evaluate leaves them out */
    indices?: number[];
    /**
     * each held-out χ scaled by an S0² drawn uniformly in `range` (the training augmentation's) from
     * `seed` and the sample index; the S0² head's truth = dataset S0² × draw, the structure's
     * unchanged. Absent: a model without S0² augmentation (unscaled spectra), or made before.
     */
    s02_draws?: { range: [number, number]; seed: number };
  };
  terms: Partial<Record<CalibratedQuantity, CalibrationTerm>>;
  /**
   * g(r) and N(θ): terms per band of the grid (band i covers r or θ in [edges[i], edges[i+1]); values
   * beyond the ends use the end bands) — the error of a network's g(r) at the first peak is not that
   * of its tail. `terms` keeps the pooled fit.
   */
  bands?: Partial<Record<'g' | 'bad', BandedTerms>>;
  /** coverage on the calibration data with the bare spread and with the calibrated σ */
  coverage: {
    before: Partial<Record<CalibratedQuantity, Coverage>>;
    after: Partial<Record<CalibratedQuantity, Coverage>>;
  };
  model_form: ModelFormTerm | null;
}

/** Calibration terms per band of a grid (r for g, θ for N(θ)). */
export interface BandedTerms {
  edges: number[];
  terms: CalibrationTerm[];
}

/** The term for quantity q at grid position x (its band's, else the pooled one; undefined without a calibration). */
export function termAt(
  cal: Calibration | null | undefined,
  q: CalibratedQuantity,
  x = NaN,
): CalibrationTerm | undefined {
  if (!cal) return undefined;
  const b = q === 'g' || q === 'bad' ? cal.bands?.[q] : undefined;
  if (b && Number.isFinite(x) && b.terms.length > 0) {
    let i = 0;
    while (i < b.terms.length - 1 && x >= b.edges[i + 1]) i++;
    return b.terms[i];
  }
  return cal.terms[q];
}

/**
 * Calibrated σ of one value from its ensemble spread and the predicted value itself (used only by a
 * term with `proportional`; the spread itself without a term).
 */
export function calibratedSigma(term: CalibrationTerm | undefined, spread: number, value = 0): number {
  if (!term) return spread;
  const a = term.scale * spread;
  const c = term.proportional ? term.proportional * Math.abs(value) : 0;
  return Math.sqrt(a * a + term.floor * term.floor + (Number.isFinite(c) ? c * c : 0) + term.model_form * term.model_form);
}

/** The one sentence a report or the app shows about what σ contains. */
export function sigmaSentence(cal: Calibration | null | undefined): string {
  if (!cal)
    return (
      'σ is the spread of the ensemble members only (this model has no calibration: it is not ' +
      'checked against held-out data and is usually too small; run "exafsnn calibrate")'
    );
  const mf = cal.model_form;
  const joint = mf?.fit === 'joint';
  return (
    `σ is the ensemble spread scaled and floored on ${cal.data.n} held-out spectra (${cal.data.source})` +
    (joint && mf
      ? ` and ${mf.n} spectra of configurations another potential made (${mf.provenance}), so that about 68 % of ` +
        'true values lie within ±1σ for either: it covers a change of the potential too'
      : ' so that about 68 % of true values lie within ±1σ' +
        (mf
          ? `, plus a measured model-form term (${mf.provenance})`
          : '; it contains no model-form term (the training theory is taken as exact)')) +
    // calibrations made before the N(θ) peak positions were a calibrated number
    (cal.terms.bad_peak
      ? ''
      : '; the σ of the N(θ) peak positions is the members\' spread only (this calibration predates it: run "exafsnn calibrate")')
  );
}

/**
 * Measured offset of R1 when a model trained on one element predicts another's spectrum (first-shell
 * centroid from the other element's own-table χ(k) minus from Ni-table χ(k), the Ni model on
 * thermally displaced lattices: scripts/element-difference.mjs, docs/nn.md "Other elements") [Å].
 * Keyed "model>spectrum". Pairs not measured use the largest measured magnitude.
 */
export const ELEMENT_OFFSET_R1: Record<string, number> = {
  'Ni>Cu': 0.015,
  'Ni>Co': -0.009,
  'Ni>Fe': -0.054,
};

/** The measured (or, unmeasured, the largest measured) R1 offset for a model/spectrum element pair. */
export function elementOffsetR1(
  modelElement: string,
  spectrumElement: string,
): { offset: number; measured: boolean } {
  const key = `${modelElement}>${spectrumElement}`;
  const v = ELEMENT_OFFSET_R1[key];
  if (v !== undefined) return { offset: v, measured: true };
  return { offset: Math.max(...Object.values(ELEMENT_OFFSET_R1).map(Math.abs)), measured: false };
}
