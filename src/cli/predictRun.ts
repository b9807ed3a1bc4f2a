/**
 * `exafsnn predict`: measured spectrum → χ(k) → ensemble prediction of g(r) ± σ and N(θ) ± σ,
 * first-shell R1 and CN, and the forward check (χ(k) re-simulated from the predicted structure
 * through the γ tables, with ΔE and S0² fitted in R space, and its R-factor against the data).
 */
import { basename } from 'node:path';
import { UserError } from '../util/errors.js';
import { processSpectrumFile } from '../xas/node-io.js';
import type { ProcessOptions, ProcessResult } from '../xas/process.js';
import { loadEnsemble, predictChi, type Ensemble, type EnsemblePrediction } from '../nn/index.js';
import { loadTables, type GammaTables } from '../theory/table.js';
import { rFactorWarning, type ForwardCheck } from '../exafs/resimulate.js';
import { forwardCheckOfPrediction, resimulatedJson, resimulatedViewOf } from '../report/adapters.js';
import { elementOffsetR1 } from '../nn/uncertainty.js';
import { resolveModel } from '../util/packagePaths.js';

export interface PredictOptions extends ProcessOptions {
  /** model directory, or the name of a shipped model under data/models */
  model?: string;
  /** skip the forward check (no γ tables needed) */
  noResimulate?: boolean;
}

export interface PredictResult {
  file: string;
  model: string;
  process: ProcessResult;
  prediction: EnsemblePrediction;
  resimulated: ForwardCheck | null;
  resimulationNote: string;
  warnings: string[];
}

// the model resolver lives in src/util/packagePaths.ts (shared with serve and the library entry)
export { modelDirs, resolveModel, type ResolvedModel } from '../util/packagePaths.js';

function modelElement(ens: Ensemble): string | null {
  const ds = (ens.meta.dataset ?? {}) as Record<string, unknown>;
  const attrs = (ds.attrs ?? {}) as Record<string, unknown>;
  for (const e of [ds.element, attrs.element, (ds.spec as Record<string, unknown> | undefined)?.element])
    if (typeof e === 'string' && e) return e;
  return null;
}

const ensembles = new Map<string, Ensemble>();
const tableCache = new Map<string, GammaTables | Error>();

function ensembleFor(dir: string): Ensemble {
  let e = ensembles.get(dir);
  if (!e) {
    e = loadEnsemble(dir);
    ensembles.set(dir, e);
  }
  return e;
}

function tablesFor(element: string, edge: string): GammaTables | Error {
  const key = `${element}-${edge}`;
  let t = tableCache.get(key);
  if (!t) {
    try {
      t = loadTables(element, edge);
    } catch (e) {
      // a missing or unreadable table file is expected (reported as a warning); anything else is a bug
      if (!(e instanceof UserError)) throw e;
      t = e;
    }
    tableCache.set(key, t);
  }
  return t;
}

/** Model directories already reported as lacking the local-order head. */
const modelsWithoutLocalOrder = new Set<string>();

/** Process and predict one spectrum file. */
export function predictFile(path: string, opts: PredictOptions = {}): PredictResult {
  const proc = processSpectrumFile(path, opts);
  const warnings = [...proc.warnings];
  const resolved = resolveModel(opts.model, proc.element, proc.edge);
  const dir = resolved.dir;
  if (resolved.elementUnknown) {
    warnings.push(
      `the file does not name its element: using the shipped model ${resolved.fallbackFrom}; give --element to choose`,
    );
  }
  const ens = ensembleFor(dir);
  const mElement = modelElement(ens);
  if (mElement && proc.element && mElement.toLowerCase() !== proc.element.toLowerCase()) {
    warnings.push(
      `element difference: the model was trained on ${mElement} (its FEFF phase shifts and EAM configurations) but the spectrum is ` +
        `${proc.element}; the networks read ${proc.element}'s χ(k) as if it were ${mElement}'s, so R1 carries a systematic offset of ` +
        `a few hundredths of an Å (docs/nn.md, "Other elements") — the forward check below uses ${proc.element}'s own γ tables`,
    );
  }
  const kmaxModel = ens.k[ens.k.length - 1];
  if (proc.kmax_data < kmaxModel) {
    throw new UserError(
      `${path}: the data reach k = ${proc.kmax_data.toFixed(2)} Å⁻¹ but the model needs χ(k) up to ${kmaxModel.toFixed(2)} Å⁻¹ ` +
        `(measure further above the edge, or use a model trained on a shorter k range)`,
    );
  }
  const prediction = predictChi(ens, proc.k, proc.chi);
  if (mElement && proc.element && mElement.toLowerCase() !== proc.element.toLowerCase()) {
    // the element difference is a systematic error of R1: its measured size enters R1's σ
    const el = (e: string) => e[0].toUpperCase() + e.slice(1).toLowerCase();
    const off = elementOffsetR1(el(mElement), el(proc.element));
    const fs = prediction.first_shell;
    fs.r_std = Math.hypot(fs.r_std, off.offset);
    if (fs.combined) fs.combined.r_std = Math.hypot(fs.combined.r_std, off.offset);
    prediction.uncertainty.sigma +=
      `; R1's σ also contains the ${off.measured ? 'measured' : 'largest measured'} ${el(mElement)}-model offset for ` +
      `${el(proc.element)}, ${Math.abs(off.offset).toFixed(3)} Å (docs/nn.md, "Other elements")`;
  }
  if (!prediction.local_order && !modelsWithoutLocalOrder.has(dir)) {
    // said once per model and process (a series gets it on its first file)
    modelsWithoutLocalOrder.add(dir);
    warnings.push(
      `the model ${dir} has no local_order head (trained before datasets held local-order labels): no 1551/1421/1422 shares or CNA fractions`,
    );
  }
  let resimulated: ForwardCheck | null = null;
  let resimulationNote = '';
  if (!opts.noResimulate) {
    // re-simulate with the spectrum's own element where its tables exist (a structural check of the
    // prediction with the right scattering), else with the model's element
    const element =
      proc.element && !(tablesFor(proc.element, (proc.edge ?? 'K').toUpperCase()) instanceof Error)
        ? proc.element
        : (mElement ?? proc.element);
    const tables = element
      ? tablesFor(element, (proc.edge ?? 'K').toUpperCase())
      : new Error('element unknown');
    if (tables instanceof Error) {
      warnings.push(`no re-simulation: ${tables.message}`);
    } else if (!Number.isFinite(prediction.density)) {
      warnings.push('no re-simulation: the model does not predict the density');
    } else {
      try {
        resimulated = forwardCheckOfPrediction(tables, prediction, ens, proc.k, proc.chi);
        const rw = rFactorWarning(resimulated.r_factor, resimulated.r_range);
        if (rw) warnings.push(rw);
        resimulationNote = resimulatedViewOf(resimulated, ens, proc.chi).note;
      } catch (e) {
        // only the forward check's expected failures (UserError: e.g. the data's k range misses the
        // model's) become a warning; a bug propagates as an internal error
        if (!(e instanceof UserError)) throw e;
        warnings.push(`no re-simulation: ${e.message}`);
      }
    }
  }
  return { file: path, model: dir, process: proc, prediction, resimulated, resimulationNote, warnings };
}

/** The --json document of one prediction (docs/design.md, "Command line"). */
export function predictionJson(p: PredictResult): Record<string, unknown> {
  const pr = p.prediction;
  return {
    file: p.file,
    model: p.model,
    element: p.process.element,
    edge: p.process.edge,
    e0: p.process.e0,
    r: pr.r,
    g: pr.g,
    g_std: pr.g_std,
    theta: pr.theta,
    bad: pr.bad,
    bad_std: pr.bad_std,
    density: pr.density,
    density_std: pr.density_std,
    first_shell: pr.first_shell,
    // N(θ) peak positions of the mean N(θ) with σ: [{theta, theta_std, spread, members_with_peak}]
    bad_peaks: pr.bad_peaks,
    uncertainty: {
      ...pr.uncertainty,
      spread: { density: pr.spread.density, r1: pr.spread.r1, cn: pr.spread.cn },
    },
    // { pairs_1551, pairs_1421, pairs_1422: {mean, std}, atoms: {fcc, hcp, bcc, ico, other: {mean, std}} }
    // or null when the model has no local-order head
    local_order: pr.local_order,
    // the networks' S0² (mean ± member σ) when the model has an S0² head (train --weight-s02), else null
    s02: pr.heads.s02 ? { mean: pr.heads.s02.mean[0], std: pr.heads.s02.std[0] } : null,
    // R-space r_factor over r_range, k-space r_factor_k over k_range (src/exafs/resimulate.ts)
    resimulated: p.resimulated ? resimulatedJson(p.resimulated) : null,
    warnings: p.warnings,
  };
}

export function shortName(file: string): string {
  return basename(file);
}
