/**
 * Input interfaces of the report: plain objects of arrays, so `predict`, `evaluate` and the
 * browser app fill them from whatever they computed. Arrays may be typed arrays or number[].
 * Units follow docs/design.md: eV, Å, Å⁻¹, degrees.
 */

export type Arr = ArrayLike<number>;

/** μ(E) → χ(k) processing of one spectrum (what src/xas computed). */
export interface ProcessingView {
  /** energy grid [eV] and raw μ(E) (same length) */
  energy: Arr;
  mu: Arr;
  /** pre-edge line and post-edge curve evaluated on `energy`, in μ units (optional) */
  pre_edge?: Arr;
  post_edge?: Arr;
  /** AUTOBK background μ0(E) on `energy`, in μ units (optional; NaN where undefined) */
  background?: Arr;
  /** edge energy [eV] and edge step (μ units) */
  e0: number;
  edge_step: number;
  /** χ(k), not k-weighted, on its k grid [Å⁻¹] */
  k: Arr;
  chi: Arr;
  /** k-weight used for plots and the transform */
  kweight: number;
  /** Fourier transform |χ(R)| (and optional real/imaginary parts) on r [Å] */
  r?: Arr;
  chir_mag?: Arr;
  chir_re?: Arr;
  chir_im?: Arr;
  /** k range of the Fourier-transform window [Å⁻¹] */
  kmin?: number;
  kmax?: number;
  /** processing settings to print (rbkg, kweight, window, dk, ...) */
  settings?: Record<string, string | number | boolean | null>;
}

/** The ensemble prediction for one spectrum (what src/nn computed). */
export interface PredictionView {
  /** g(r) ± σ on r [Å] */
  r: Arr;
  g: Arr;
  g_std: Arr;
  /** N(θ) ± σ per degree on θ [degrees] */
  theta: Arr;
  bad: Arr;
  bad_std: Arr;
  first_shell: {
    r: number;
    r_std: number;
    cn: number;
    cn_std: number;
    /** bcc-like split shell: the combined 8 + 6 shell (src/analysis/firstShell.ts); absent or null otherwise */
    combined?: { r: number; r_std: number; cn: number; cn_std: number } | null;
  };
  /** one sentence saying what σ contains (src/nn/uncertainty.ts sigmaSentence) */
  sigma_note?: string;
  /**
   * true: g_std / bad_std are the calibrated σ; false: the bare ensemble spread (uncalibrated model);
   * absent: not known (the figures then say only "±1σ")
   */
  sigma_calibrated?: boolean;
  /** N(θ) peak positions [degrees] with σ (src/nn/anglePeaks.ts; NaN σ: fewer than 2 members show the peak); absent: positions only */
  bad_peaks?: { theta: number; theta_std: number }[] | null;
  /**
   * local order from the model's local_order head (fractions, mean ± σ): shares of first-shell pairs
   * with the Honeycutt–Andersen signatures 1551 (icosahedral), 1421 (fcc), 1422 (hcp) and fractions
   * of atoms by conventional CNA; absent or null for models without that head
   */
  local_order?: LocalOrderView | null;
  /** χ(k) re-simulated from the predicted structure vs the data on the model's k grid (not k-weighted) */
  resimulated?: {
    k: Arr;
    chi: Arr;
    /** the measured χ(k) on the same grid */
    chi_data?: Arr;
    /** R-space R-factor (feffit's definition) over r_range: src/exafs/resimulate.ts forwardCheck */
    r_factor: number;
    /** R window [Å] of r_factor */
    r_range?: [number, number];
    /** the k-space R-factor over k_range (the whole signal, with the same ΔE and S0²) */
    r_factor_k?: number;
    /** k range of the transform and of r_factor_k [Å⁻¹]: the figure shows this range */
    k_range?: [number, number];
    /** χ(R) of the data and of the re-simulation (same transform): the R-space figure */
    chir?: { r: Arr; data_re: Arr; data_im: Arr; sim_re: Arr; sim_im: Arr };
    /** what the re-simulation includes (e.g. "2-body from g(r) through γ2 tables") */
    note?: string;
  };
}

export interface MeanStdView {
  mean: number;
  std: number;
}

export interface LocalOrderView {
  pairs_1551: MeanStdView;
  pairs_1421: MeanStdView;
  pairs_1422: MeanStdView;
  atoms: { fcc: MeanStdView; hcp: MeanStdView; bcc: MeanStdView; ico: MeanStdView; other: MeanStdView };
}

/** Identity of the model that made the prediction. */
export interface ModelView {
  name: string;
  path?: string;
  version?: string;
  members?: number;
  kweight?: number;
  /** k range of the network input [Å⁻¹] */
  k_range?: [number, number];
  element?: string;
  edge?: string;
  dataset?: string;
  trained?: string;
  /** a few test metrics (name → value) */
  metrics?: Record<string, number | string>;
}

/** One processed + predicted spectrum. */
export interface SpectrumReport {
  /** the input file name as given */
  file: string;
  /** short label (defaults to the file's base name) */
  label?: string;
  element?: string;
  edge?: string;
  /** sample temperature [K], when known (for temperature-series tables) */
  temperature?: number;
  processing: ProcessingView;
  prediction?: PredictionView;
  /** warnings to show (e.g. k range shorter than the model's) */
  warnings?: string[];
}

export interface PredictReportInput {
  title?: string;
  spectra: SpectrumReport[];
  model?: ModelView;
  /** data attribution lines (e.g. the LISA CC BY 4.0 notice) */
  attribution?: string[];
  /** exafsnn version */
  version?: string;
  /** ISO timestamp; default: now */
  generated?: string;
  /** command line that produced the report */
  command?: string;
}

/** Inputs of the `evaluate` page. */
export interface EvaluateReportInput {
  title?: string;
  model: ModelView;
  /** test-set description, e.g. the dataset file and its size */
  dataset?: string;
  n_test?: number;
  /** test MSE per head (g, bad, ...) */
  heads: { name: string; mse: number; baseline_mse?: number }[];
  /** test MSE per structure class and head */
  classes?: { name: string; n: number; mse: Record<string, number> }[];
  /**
   * test error per phase (crystal, liquid, undercooled = liquid below Tm; src/nn/phases.ts) with,
   * for models with the local-order head, the 1551-share error against the truth
   */
  phases?: {
    name: string;
    n: number;
    temperature: [number, number];
    mse: Record<string, number>;
    pairs_1551: {
      mean_true: number;
      mean_pred: number;
      mae: number;
      max_abs: number;
      within_tolerance: number;
    } | null;
  }[];
  /** Tm separating liquid from undercooled [K] (null: not separated) and the 1551 tolerance */
  melting_point?: number | null;
  tolerance?: number;
  /** per-sample MSE of the worst test samples, in descending order (up to 200) */
  worst?: { mse: Arr; labels?: string[] };
  /** a few example predictions with their truth */
  examples?: {
    label: string;
    r: Arr;
    g_true: Arr;
    g_pred: Arr;
    g_std: Arr;
    theta: Arr;
    bad_true: Arr;
    bad_pred: Arr;
    bad_std: Arr;
  }[];
  /** calibration: fraction of true values inside ±z·σ against the Gaussian expectation */
  calibration?: { z: Arr; expected: Arr; observed: Arr; head?: string }[];
  version?: string;
  generated?: string;
  command?: string;
}

/** One figure of a report: a file stem and the SVG text. */
export interface NamedPlot {
  name: string;
  title: string;
  svg: string;
}

/** One row of a temperature-series / multi-file table. */
export interface SeriesRow {
  file: string;
  temperature: number | null;
  r1: number;
  r1_std: number;
  cn: number;
  cn_std: number;
  theta_peaks: number[];
  /** R-space R-factor of the forward check, and its R window [Å] */
  r_factor: number | null;
  r_range: [number, number] | null;
}
