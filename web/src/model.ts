/**
 * The ensemble in the browser: model.json from the served model directory, each member loaded
 * with tf.loadLayersModel (which dequantizes float16/uint8/uint16 weights) and run on the
 * TensorFlow.js WebAssembly backend; mean, σ and the first shell come from src/nn's own code.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { predictChi, type Ensemble, type EnsemblePrediction } from '../../src/nn/predict.js';
import { columnScales } from '../../src/nn/preprocess.js';
import type { ModelMeta } from '../../src/nn/modeldir.js';
import type { NetEngine, Architecture } from '../../src/nn/types.js';
import { UserError } from '../../src/util/errors.js';

let backendReady: Promise<string> | null = null;

/** Start the wasm backend (wasm files served from ./wasm/ next to the app). */
export function initBackend(): Promise<string> {
  if (!backendReady) {
    backendReady = (async () => {
      setWasmPaths(new URL('wasm/', document.baseURI).href);
      const ok = await tf.setBackend('wasm');
      if (!ok)
        throw new UserError(
          'the TensorFlow.js WebAssembly backend failed to start (a browser without WebAssembly?)',
        );
      await tf.ready();
      return tf.getBackend();
    })();
  }
  return backendReady;
}

class TfNet implements NetEngine {
  readonly name = 'tfjs-wasm';
  constructor(
    private readonly model: LayersModel,
    private readonly nIn: number,
  ) {}
  trainBatch(): number {
    throw new Error('the browser app does not train');
  }
  predict(x: Float32Array, n: number): Float32Array {
    const out = tf.tidy(() => {
      const y = this.model.predict(tf.tensor2d(x, [n, this.nIn])) as tf.Tensor;
      return y.dataSync() as Float32Array;
    });
    return Float32Array.from(out);
  }
  getParams(): never {
    throw new Error('not available in the browser');
  }
  setParams(): never {
    throw new Error('not available in the browser');
  }
  dispose(): void {
    this.model.dispose();
  }
}

/** Load the model served at `base` (e.g. "model/"); grids are checked as in loadModelDir. */
export async function loadBrowserEnsemble(
  base: string,
  onProgress?: (msg: string) => void,
): Promise<Ensemble> {
  await initBackend();
  const res = await fetch(base + 'model.json');
  if (!res.ok) throw new UserError(`${base}model.json: HTTP ${res.status}`);
  const meta = (await res.json()) as ModelMeta;
  if (meta.format !== 'exafsnn-model')
    throw new UserError(`${base}model.json: not an exafsnn model (format ${JSON.stringify(meta.format)})`);
  const a = meta.architecture;
  if (meta.k.length !== a.nIn)
    throw new UserError(
      `${base}model.json: the k grid has ${meta.k.length} points but the network input has ${a.nIn}`,
    );
  const arch: Architecture = { nIn: a.nIn, hidden: a.hidden, heads: a.heads };
  const members = [];
  for (const [i, m] of meta.members.entries()) {
    onProgress?.(`loading ensemble member ${i + 1}/${meta.members.length}`);
    const lm = await loadLayersModel(`${base}${encodeURIComponent(m.dir)}/model.json`);
    const outShape = (lm.outputs[0].shape as number[])[1];
    if (outShape !== m.norm.y_mean.length)
      throw new UserError(
        `${base}${m.dir}: network has ${outShape} outputs but model.json expects ${m.norm.y_mean.length}`,
      );
    members.push({
      name: m.dir,
      net: new TfNet(lm, a.nIn),
      norm: m.norm,
      colScale: columnScales(arch.heads, m.norm.y_scale),
    });
  }
  return {
    dir: base,
    meta,
    arch,
    k: Float64Array.from(meta.k),
    r: Float64Array.from(meta.r),
    theta: Float64Array.from(meta.theta),
    kweight: meta.kweight,
    members,
    calibration: meta.calibration ?? null,
  };
}

export function predict(ens: Ensemble, k: ArrayLike<number>, chi: ArrayLike<number>): EnsemblePrediction {
  return predictChi(ens, k, chi);
}
