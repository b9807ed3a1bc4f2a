/**
 * Training of one ensemble member: mini-batch Adam on the training split, early stopping on the
 * validation split (patience, best weights restored), optional augmentation of χ(k).
 */
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { ETOK } from '../util/physics.js';
import { ArrayNet } from './arraynet.js';
import { S02_HEAD, datasetS02 } from './data.js';
import { loadNative, nativeLoadError } from './gemm.js';
import { initParams, columnWeights } from './params.js';
import {
  type Normalisation,
  columnStats,
  targetStats,
  columnScales,
  kWeightedOnGrid,
} from './preprocess.js';
import { getTf } from './tfenv.js';
import { TfNet } from './tfnet.js';
import type { AdamSettings, Architecture, EngineName, NetEngine, Params, TrainingData } from './types.js';

export interface Augmentation {
  /** σ of white Gaussian noise added to χ(k) (χ units, before k-weighting); 0: off */
  noise: number;
  /** S0² drawn uniformly in [lo, hi] and multiplied into χ; null: off */
  s02: [number, number] | null;
  /** ΔE drawn uniformly in ±dE [eV] for every sample in every epoch; 0: off */
  dE: number;
}

export const NO_AUGMENTATION: Augmentation = { noise: 0, s02: null, dE: 0 };

export interface MemberSettings {
  arch: Architecture;
  modelK: Float64Array;
  kweight: number;
  epochs: number;
  patience: number;
  batch: number;
  adam: AdamSettings;
  seed: number;
  engine: EngineName;
  augment: Augmentation;
}

export interface EpochInfo {
  member: number;
  epoch: number;
  epochs: number;
  loss: number;
  val_loss: number;
  best_val_loss: number;
  seconds: number;
}

export interface MemberResult {
  params: Params;
  norm: Normalisation;
  history: { loss: number[]; val_loss: number[] };
  best_epoch: number;
  best_val_loss: number;
  epochs_run: number;
  seconds: number;
  samples_per_second: number;
  engine: string;
}

/** Create a training engine. 'native' fails clearly when the addon is not built. */
export async function createEngine(
  name: EngineName,
  arch: Architecture,
  init: Params,
  adam: AdamSettings,
): Promise<NetEngine> {
  if (name === 'native') {
    const k = loadNative();
    if (!k) throw new UserError(`--engine native: ${nativeLoadError()}`);
    k.setThreads(1);
    return new ArrayNet(arch, init, adam, k.sgemm, k.adam, 'native');
  }
  if (name === 'js') return new ArrayNet(arch, init, adam);
  await getTf('wasm');
  return new TfNet(arch, init, adam);
}

/** 'native' when the addon is built, else 'wasm'. */
export function defaultEngine(): EngineName {
  return loadNative() ? 'native' : 'wasm';
}

/**
 * Train one member. `x0` are the unaugmented inputs k^w·χ on the model grid (n × nk) and `y` the
 * targets (n × nOut) of all samples; only rows in trainIdx/valIdx are used.
 */
export async function trainMember(
  data: TrainingData,
  x0: Float32Array,
  y: Float32Array,
  trainIdx: Int32Array,
  valIdx: Int32Array,
  s: MemberSettings,
  member: number,
  onEpoch?: (e: EpochInfo) => void,
): Promise<MemberResult> {
  const t0 = Date.now();
  const nIn = s.modelK.length;
  const heads = s.arch.heads;
  const nOut = heads.reduce((a, h) => a + h.size, 0);
  if (trainIdx.length < 1) throw new UserError('training split is empty (too few samples for the folds)');
  if (valIdx.length < 1) throw new UserError('validation split is empty (too few samples for the folds)');
  // normalisation from the training split only
  const xs = columnStats(x0, nIn, trainIdx);
  const ts = targetStats(y, heads, trainIdx);
  const norm: Normalisation = {
    x_mean: Array.from(xs.mean),
    x_std: Array.from(xs.std),
    y_mean: ts.y_mean,
    y_scale: ts.y_scale,
  };
  // S0² head: its targets are made here (dataset S0² × augmentation draw), so its centring and
  // scale are those of the uniform draw, not of the (placeholder) column in y
  const s02Head = heads.findIndex((h) => h.name === S02_HEAD);
  const s02Col = s02Head < 0 ? -1 : heads.slice(0, s02Head).reduce((a, h) => a + h.size, 0);
  const s02Base = datasetS02(data);
  if (s02Head >= 0) {
    if (heads[s02Head].size !== 1) throw new UserError(`head "${S02_HEAD}" must have 1 output`);
    if (!s.augment.s02) throw new UserError(`the ${S02_HEAD} head needs S0² augmentation (--aug-s02 lo:hi)`);
    const [lo, hi] = s.augment.s02;
    norm.y_mean[s02Col] = ts.y_mean[s02Col] = (s02Base * (lo + hi)) / 2;
    norm.y_scale[s02Head] = ts.y_scale[s02Head] = hi > lo ? (s02Base * (hi - lo)) / Math.sqrt(12) : s02Base;
  }
  const colScale = columnScales(heads, ts.y_scale);
  const s02Target = (f: number) => (s02Base * f - ts.y_mean[s02Col]) / colScale[s02Col];
  const xm = xs.mean;
  const xsd = xs.std;
  const scaledRows = (
    idx: ArrayLike<number>,
    from: number,
    count: number,
    xb: Float32Array,
    yb: Float32Array,
  ) => {
    for (let t = 0; t < count; t++) {
      const s0 = idx[from + t];
      for (let j = 0; j < nIn; j++) xb[t * nIn + j] = (x0[s0 * nIn + j] - xm[j]) / xsd[j];
      for (let j = 0; j < nOut; j++) yb[t * nOut + j] = (y[s0 * nOut + j] - ts.y_mean[j]) / colScale[j];
      if (s02Col >= 0) yb[t * nOut + s02Col] = s02Target(1); // unaugmented: the dataset's own S0²
    }
  };
  // validation matrices (never augmented)
  const nv = valIdx.length;
  const xv = new Float32Array(nv * nIn);
  const yv = new Float32Array(nv * nOut);
  scaledRows(valIdx, 0, nv, xv, yv);
  const colW = columnWeights(s.arch);
  const valLoss = (net: NetEngine): number => {
    const p = net.predict(xv, nv);
    let l = 0;
    for (let i = 0; i < nv * nOut; i++) {
      const d = p[i] - yv[i];
      l += colW[i % nOut] * d * d;
    }
    return l / nv;
  };

  const aug = s.augment;
  const augmenting = aug.noise > 0 || aug.s02 !== null || aug.dE > 0;
  if (aug.dE > 0) {
    const kmin2 = s.modelK[0] ** 2 - ETOK * aug.dE;
    const kmax2 = s.modelK[nIn - 1] ** 2 + ETOK * aug.dE;
    if (kmin2 < data.k[0] ** 2 - 1e-9 || Math.sqrt(kmax2) > data.k[data.k.length - 1] + 1e-9)
      throw new UserError(
        `ΔE augmentation of ±${aug.dE} eV needs χ(k) on ${Math.sqrt(Math.max(0, kmin2)).toFixed(3)}…${Math.sqrt(kmax2).toFixed(3)} Å⁻¹ ` +
          `but the dataset has ${data.k[0]}…${data.k[data.k.length - 1]} Å⁻¹: narrow the model's k range (--kmin/--kmax) or lower --aug-de`,
      );
  }
  const nkData = data.k.length;
  const chiTmp = new Float32Array(nkData);
  const xTmp = new Float32Array(nIn);
  const qScratch = new Float64Array(nIn);

  const init = initParams(s.arch, Rng.derive(s.seed, 1));
  const net = await createEngine(s.engine, s.arch, init, s.adam);
  try {
    const B = s.batch;
    const xb = new Float32Array(B * nIn);
    const yb = new Float32Array(B * nOut);
    const order = Int32Array.from(trainIdx);
    const history = { loss: [] as number[], val_loss: [] as number[] };
    let best = valLoss(net);
    let bestParams = net.getParams();
    let bestEpoch = 0;
    let epochsRun = 0;
    let samples = 0;
    for (let epoch = 1; epoch <= s.epochs; epoch++) {
      const rng = new Rng(Rng.derive(s.seed, 2, epoch));
      rng.shuffle(order);
      let lsum = 0;
      let nb = 0;
      for (let from = 0; from < order.length; from += B) {
        const count = Math.min(B, order.length - from);
        scaledRows(order, from, count, xb, yb);
        if (augmenting) {
          for (let t = 0; t < count; t++) {
            const si = order[from + t];
            const s02 = aug.s02 ? rng.range(aug.s02[0], aug.s02[1]) : 1;
            const dE = aug.dE > 0 ? rng.range(-aug.dE, aug.dE) : 0;
            for (let j = 0; j < nkData; j++)
              chiTmp[j] = s02 * data.chi[si * nkData + j] + (aug.noise > 0 ? aug.noise * rng.normal() : 0);
            kWeightedOnGrid(data.k, chiTmp, 0, s.modelK, s.kweight, xTmp, 0, dE, qScratch);
            for (let j = 0; j < nIn; j++) xb[t * nIn + j] = (xTmp[j] - xm[j]) / xsd[j];
            if (s02Col >= 0) yb[t * nOut + s02Col] = s02Target(s02);
          }
        }
        const l = net.trainBatch(xb, yb, count);
        if (!Number.isFinite(l))
          throw new UserError(`member ${member}: training diverged (loss ${l}) in epoch ${epoch}`);
        lsum += l * count;
        nb += count;
        samples += count;
      }
      const vl = valLoss(net);
      history.loss.push(lsum / nb);
      history.val_loss.push(vl);
      epochsRun = epoch;
      if (vl < best) {
        best = vl;
        bestParams = net.getParams();
        bestEpoch = epoch;
      }
      onEpoch?.({
        member,
        epoch,
        epochs: s.epochs,
        loss: lsum / nb,
        val_loss: vl,
        best_val_loss: best,
        seconds: (Date.now() - t0) / 1000,
      });
      if (epoch - bestEpoch >= s.patience) break;
    }
    const seconds = (Date.now() - t0) / 1000;
    return {
      params: bestParams,
      norm,
      history,
      best_epoch: bestEpoch,
      best_val_loss: best,
      epochs_run: epochsRun,
      seconds,
      samples_per_second: samples / seconds,
      engine: net.name,
    };
  } finally {
    net.dispose();
  }
}
