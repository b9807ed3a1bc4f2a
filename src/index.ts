/**
 * exafsnn as a library (`import … from 'exafsnn'`, Node ≥ 20, ESM). A small typed surface over
 * the pipeline of docs/design.md ("Architecture"): read and process a measured spectrum, load a
 * model and predict g(r) and N(θ) with their ensemble spread, compute χ(k) of configurations
 * from the γ tables, analyse a configuration file. The CLI is built on the same modules.
 *
 * Errors: mistakes in inputs throw UserError (FileFormatError when a file does not parse,
 * naming file and line); anything else is a bug.
 */
import { readSpectrumFile, processSpectrumFile } from './xas/node-io.js';
import { loadEnsemble, predictChi, type Ensemble, type EnsemblePrediction } from './nn/index.js';
import { resolveModel } from './util/packagePaths.js';
import { analyzeTrajectory, type AnalyzeOptions, type AnalysisResult } from './analysis/analyze.js';
import { readFrames } from './structure/io.js';

export { UserError, FileFormatError } from './util/errors.js';

// spectra: text (browser-safe) and files
export { readSpectrum, processSpectrum } from './xas/index.js';
export type { ReadOptions, SpectrumData, ProcessOptions, ProcessResult } from './xas/index.js';
export { readSpectrumFile, processSpectrumFile };

// models
export type { Ensemble, EnsemblePrediction };
export { modelDirs, listModels, resolveModel, type ResolvedModel } from './util/packagePaths.js';

/**
 * Load a model ensemble: a model directory, the name of a shipped model (e.g. "ni-k", searched
 * in $EXAFSNN_MODELS, then data/models), or, without a name, the shipped model for `element`
 * and `edge` (default K).
 */
export function loadModel(model?: string, opts: { element?: string; edge?: string } = {}): Ensemble {
  return loadEnsemble(resolveModel(model, opts.element ?? null, opts.edge ?? 'K').dir);
}

/**
 * g(r) ± σ, N(θ) ± σ and the first-shell estimates of the ensemble for χ(k) on any k grid
 * (Å⁻¹; interpolated onto the model's grid, so it must cover the model's k range).
 */
export function predict(model: Ensemble, k: ArrayLike<number>, chi: ArrayLike<number>): EnsemblePrediction {
  return predictChi(model, k, chi);
}

// theory: γ tables and configurational-average χ(k)
export { loadTables, type GammaTables } from './theory/table.js';
export { computeChi, type ChiOptions, type ChiResult } from './exafs/chi.js';

// structures and their analysis
export type { Configuration } from './structure/types.js';
export { readConfigurations, readFrames } from './structure/io.js';
export type { AnalyzeOptions, AnalysisResult };

/** g(r), CN, N(θ) and the structure fingerprint of a configuration file (extended XYZ or LAMMPS dump). */
export function analyze(file: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  return analyzeTrajectory(() => readFrames(file), opts);
}
