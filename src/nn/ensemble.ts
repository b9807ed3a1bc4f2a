/**
 * Train an ensemble with the paper's protocol and write the model directory.
 */
import { UserError } from '../util/errors.js';
import { MODEL_FORMAT, MODEL_VERSION, saveModelDir, type ModelMeta, type WeightDtype } from './modeldir.js';
import { countParams } from './params.js';
import { ensembleFromModel, headSlices } from './predict.js';
import { fitCalibration } from './calibration.js';
import { trainEnsemble, type EnsembleOptions, type EnsembleResult } from './protocol.js';
import type { EpochInfo } from './train.js';
import { S02_HEAD } from './data.js';
import { LOCAL_ORDER_COLUMNS, LOCAL_ORDER_HEAD } from './types.js';
import type { Architecture, HeadSpec, TrainingData } from './types.js';
import { packageVersion } from '../util/packagePaths.js';

export interface HeadWeights {
  g: number;
  bad: number;
  density: number;
}

/**
 * The architecture for a dataset: nk → hidden → [g(r) | N(θ) | ρ | extra heads…], e.g. the
 * local-order head (localOrderHead) when the dataset holds its labels.
 */
export function architectureFor(
  nIn: number,
  nr: number,
  nTheta: number,
  hidden: number[],
  w: HeadWeights,
  extraHeads: HeadSpec[] = [],
): Architecture {
  const heads: HeadSpec[] = [
    { name: 'g', size: nr, weight: w.g },
    { name: 'bad', size: nTheta, weight: w.bad },
    { name: 'density', size: 1, weight: w.density },
    ...extraHeads,
  ];
  return { nIn, hidden, heads };
}

/** The local-order head: 1551/1421/1422 pair shares and conventional-CNA atom fractions. */
export function localOrderHead(weight: number): HeadSpec {
  return {
    name: LOCAL_ORDER_HEAD,
    size: LOCAL_ORDER_COLUMNS.length,
    weight,
    columns: [...LOCAL_ORDER_COLUMNS],
  };
}

/**
 * The S0² head (one output; targets made by the trainer from --aug-s02, see train.ts S02_HEAD): the
 * network reports how much of the spectrum's amplitude is S0², so amplitude is not read as CN.
 */
export function s02Head(weight: number): HeadSpec {
  return { name: S02_HEAD, size: 1, weight };
}

/** The model's k grid: the dataset's points inside [kmin, kmax] (default: all of them). */
export function modelGrid(k: Float64Array, kmin?: number, kmax?: number): Float64Array {
  const lo = kmin ?? k[0];
  const hi = kmax ?? k[k.length - 1];
  if (lo < k[0] - 1e-9 || hi > k[k.length - 1] + 1e-9)
    throw new UserError(
      `--kmin/--kmax ${lo}…${hi} Å⁻¹ lie outside the dataset's k range ${k[0]}…${k[k.length - 1]} Å⁻¹`,
    );
  const g = Float64Array.from(Array.from(k).filter((x) => x >= lo - 1e-9 && x <= hi + 1e-9));
  if (g.length < 2) throw new UserError(`--kmin/--kmax ${lo}…${hi} Å⁻¹ leave fewer than 2 k points`);
  return g;
}

export interface TrainOutput {
  meta: ModelMeta;
  result: EnsembleResult;
}

export async function trainToDir(
  data: TrainingData,
  opts: EnsembleOptions,
  out: string,
  extra: {
    weights?: WeightDtype;
    command?: string;
    /** spectra from another potential/theory (truths known) to measure the model-form term on */
    modelForm?: { data: TrainingData; provenance: string } | null;
  } = {},
  onEpoch?: (e: EpochInfo) => void,
): Promise<TrainOutput> {
  const result = await trainEnsemble(data, opts, onEpoch);
  const arch = opts.arch;
  const meta: ModelMeta = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    created: new Date().toISOString(),
    generator: `exafsnn ${packageVersion()}`,
    k: Array.from(opts.modelK),
    kweight: opts.kweight,
    r: Array.from(data.r),
    theta: Array.from(data.theta),
    architecture: {
      nIn: arch.nIn,
      hidden: arch.hidden,
      activation: 'relu',
      heads: arch.heads,
      outputs: headSlices(arch),
      parameters: countParams(result.members[0].params),
    },
    training: {
      epochs: opts.epochs,
      patience: opts.patience,
      batch: opts.batch,
      optimizer: { name: 'adam', ...opts.adam },
      loss: 'weighted MSE of scaled targets (per-column centring, one RMS scale per head)',
      engine: opts.engine,
      workers: opts.workers,
      augmentation: opts.augment,
      seconds: result.seconds,
      command: extra.command ?? null,
    },
    dataset: { ...(data.identity ?? {}), n: data.n },
    split: {
      n: data.n,
      test_fraction: opts.testFraction,
      folds: opts.folds,
      test: Array.from(result.split.test),
      calibration: Array.from(result.split.calibration),
    },
    metrics: {
      val_loss: result.members.map((m) => m.best_val_loss),
      best_epoch: result.members.map((m) => m.best_epoch),
      samples_per_second: result.members.map((m) => m.samples_per_second),
    },
    seed: opts.seed,
    weights: { dtype: extra.weights ?? 'float32' },
    members: result.members.map((m, i) => ({
      dir: `member-${i}`,
      fold: i % opts.folds,
      seed: result.memberSeeds[i],
      best_epoch: m.best_epoch,
      epochs_run: m.epochs_run,
      best_val_loss: m.best_val_loss,
      seconds: m.seconds,
      engine: m.engine,
      norm: m.norm,
      history: m.history,
    })),
  };
  // σ calibration on the split no member saw (src/nn/calibration.ts; docs/nn.md "Uncertainty")
  if (result.split.calibration.length > 0) {
    const ens = ensembleFromModel(
      out,
      meta,
      result.members.map((m) => m.params),
    );
    meta.calibration = fitCalibration(ens, data, result.split.calibration, 'calibration split', {
      modelForm: extra.modelForm ?? null,
    });
  }
  saveModelDir(
    out,
    meta,
    result.members.map((m) => m.params),
  );
  return { meta, result };
}
