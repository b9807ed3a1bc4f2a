/**
 * The paper's protocol: a random 20 % test set is held out; the rest is cut into `folds` parts and
 * member i is trained with part i as its validation set (early stopping) and the others as its
 * training set. Members run serially or in parallel worker threads (one per core); each member's
 * randomness comes from Rng.derive(seed, member), so the result does not depend on the workers.
 */
import { Worker } from 'node:worker_threads';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { buildInputs, buildTargets, validateData } from './data.js';
import { trainMember, type EpochInfo, type MemberResult, type MemberSettings } from './train.js';
import type { TrainingData } from './types.js';

export interface Split {
  test: Int32Array;
  /**
   * held out from every member, for the uncertainty calibration (src/nn/calibration.ts): data no
   * member trained or stopped on, and not the test set that evaluate reports on
   */
  calibration: Int32Array;
  /** the other non-test samples cut into folds */
  folds: Int32Array[];
}

/**
 * Test set (the first testFraction of a seeded shuffle), calibration split (the next
 * calibrationFraction of all samples), folds (the rest). calibrationFraction 0 gives the split of
 * earlier versions.
 */
export function splitIndices(
  n: number,
  seed: number,
  testFraction: number,
  folds: number,
  calibrationFraction = 0,
): Split {
  if (!(calibrationFraction >= 0 && testFraction + calibrationFraction < 1))
    throw new UserError(
      `calibration fraction must be ≥ 0 and leave training data after the test set, got ${calibrationFraction}`,
    );
  if (!(testFraction >= 0 && testFraction < 1))
    throw new UserError(`test fraction must be in [0, 1), got ${testFraction}`);
  if (!Number.isInteger(folds) || folds < 2)
    throw new UserError(`--folds must be an integer ≥ 2, got ${folds}`);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  new Rng(Rng.derive(seed, 0xe57)).shuffle(idx);
  const nTest = Math.round(n * testFraction);
  const nCal = Math.round(n * calibrationFraction);
  const calibration = Int32Array.from(idx.subarray(nTest, nTest + nCal)).sort();
  const rest = idx.subarray(nTest + nCal);
  if (rest.length < folds * 2)
    throw new UserError(
      `${n} samples are too few for ${folds} folds after holding out ${nTest} for the test set` +
        (nCal ? ` and ${nCal} for the calibration` : ''),
    );
  const test = Int32Array.from(idx.subarray(0, nTest)).sort();
  const parts: Int32Array[] = [];
  for (let f = 0; f < folds; f++) {
    const a = Math.floor((rest.length * f) / folds);
    const b = Math.floor((rest.length * (f + 1)) / folds);
    parts.push(Int32Array.from(rest.subarray(a, b)).sort());
  }
  return { test, calibration, folds: parts };
}

/** Training and validation rows of member `m` (validation = fold m mod folds). */
export function memberRows(split: Split, m: number): { train: Int32Array; val: Int32Array } {
  const f = m % split.folds.length;
  const val = split.folds[f];
  const train = new Int32Array(split.folds.reduce((s, p, i) => (i === f ? s : s + p.length), 0));
  let o = 0;
  split.folds.forEach((p, i) => {
    if (i !== f) {
      train.set(p, o);
      o += p.length;
    }
  });
  return { train: train.sort(), val };
}

export interface EnsembleOptions extends Omit<MemberSettings, 'seed'> {
  seed: number;
  folds: number;
  members: number;
  testFraction: number;
  /** share of all samples held out from every member for the uncertainty calibration (0: none) */
  calibrationFraction?: number;
  workers: number;
}

export interface EnsembleResult {
  split: Split;
  members: MemberResult[];
  memberSeeds: number[];
  seconds: number;
}

export function memberSeed(seed: number, m: number): number {
  return Rng.derive(seed, 0x3e3b, m);
}

/** Copy a typed array into shared memory so workers read it without copies. */
function shared<T extends Float32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(a.length * Ctor.BYTES_PER_ELEMENT));
  out.set(a);
  return out;
}

export async function trainEnsemble(
  data: TrainingData,
  o: EnsembleOptions,
  onEpoch?: (e: EpochInfo) => void,
): Promise<EnsembleResult> {
  validateData(data);
  const t0 = Date.now();
  const split = splitIndices(data.n, o.seed, o.testFraction, o.folds, o.calibrationFraction ?? 0);
  const x0 = buildInputs(data, o.modelK, o.kweight);
  const y = buildTargets(data, o.arch.heads);
  const seeds = Array.from({ length: o.members }, (_, m) => memberSeed(o.seed, m));
  const settingsFor = (m: number): MemberSettings => ({
    arch: o.arch,
    modelK: o.modelK,
    kweight: o.kweight,
    epochs: o.epochs,
    patience: o.patience,
    batch: o.batch,
    adam: o.adam,
    engine: o.engine,
    augment: o.augment,
    seed: seeds[m],
  });
  const results: MemberResult[] = new Array(o.members);
  const workers = Math.max(1, Math.min(o.workers, o.members));
  if (workers === 1) {
    for (let m = 0; m < o.members; m++) {
      const rows = memberRows(split, m);
      results[m] = await trainMember(data, x0, y, rows.train, rows.val, settingsFor(m), m, onEpoch);
    }
  } else {
    const sd: TrainingData = {
      ...data,
      k: shared(data.k),
      chi: shared(data.chi),
      r: shared(data.r),
      gr: new Float32Array(0),
      theta: shared(data.theta),
      bad: new Float32Array(0),
      density: new Float32Array(0),
      structure: [],
      labels: undefined,
    };
    const sx = shared(x0);
    const sy = shared(y);
    let next = 0;
    const runOne = (w: Worker, m: number) =>
      new Promise<void>((resolve, reject) => {
        const rows = memberRows(split, m);
        const onMsg = (msg: {
          type: string;
          epoch?: EpochInfo;
          result?: MemberResult;
          error?: string;
          user?: boolean;
        }) => {
          if (msg.type === 'epoch' && msg.epoch) onEpoch?.(msg.epoch);
          else if (msg.type === 'done' && msg.result) {
            w.off('message', onMsg);
            w.off('error', onErr);
            results[m] = msg.result;
            resolve();
          } else if (msg.type === 'error') {
            w.off('message', onMsg);
            w.off('error', onErr);
            reject(msg.user ? new UserError(msg.error ?? 'worker failed') : new Error(msg.error));
          }
        };
        const onErr = (e: Error) => reject(e);
        w.on('message', onMsg);
        w.on('error', onErr);
        w.postMessage({
          data: sd,
          x0: sx,
          y: sy,
          train: rows.train,
          val: rows.val,
          settings: settingsFor(m),
          member: m,
        });
      });
    const pool = Array.from({ length: workers }, () => new Worker(new URL('./worker.js', import.meta.url)));
    try {
      await Promise.all(
        pool.map(async (w) => {
          while (next < o.members) {
            const m = next++;
            await runOne(w, m);
          }
        }),
      );
    } finally {
      await Promise.all(pool.map((w) => w.terminate()));
    }
  }
  return { split, members: results, memberSeeds: seeds, seconds: (Date.now() - t0) / 1000 };
}
