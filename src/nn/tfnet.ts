/**
 * The dense network on TensorFlow.js tensors (wasm backend) with a hand-written training step.
 *
 * tfjs's autodiff of matMul asks the wasm kernel for transposed operands, and XNNPACK's
 * transposed path runs at ~2 GFLOP/s against ~26 GFLOP/s untransposed (measured, issue 7), so
 * model.fit/trainOnBatch reach only ~125 samples/s on the paper network. Here the backward pass
 * is written out with explicit transposes — dW = transpose(H) · dZ, dH = dZ · transpose(W) —
 * so every product runs on the fast path. Same equations as ArrayNet (see arraynet.ts).
 */
import type * as TF from '@tensorflow/tfjs';
import { tfLoaded } from './tfenv.js';
import { columnWeights } from './params.js';
import { type Architecture, type NetEngine, type Params, type AdamSettings, DEFAULT_ADAM, layerSizes } from './types.js';

export class TfNet implements NetEngine {
  readonly name: string;
  private readonly tf: typeof TF;
  private readonly sizes: number[];
  private readonly W: TF.Variable[];
  private readonly b: TF.Variable[];
  private readonly mW: TF.Variable[];
  private readonly vW: TF.Variable[];
  private readonly mb: TF.Variable[];
  private readonly vb: TF.Variable[];
  private readonly colW: TF.Tensor;
  private t = 0;

  /** Call getTf('wasm') (or 'cpu') first. */
  constructor(
    readonly arch: Architecture,
    init: Params,
    private readonly adam: AdamSettings = DEFAULT_ADAM,
  ) {
    const tf = tfLoaded();
    this.tf = tf;
    this.name = tf.getBackend();
    this.sizes = layerSizes(arch);
    const L = this.sizes.length - 1;
    this.W = [];
    this.b = [];
    this.mW = [];
    this.vW = [];
    this.mb = [];
    this.vb = [];
    for (let l = 0; l < L; l++) {
      const shape: [number, number] = [this.sizes[l], this.sizes[l + 1]];
      this.W.push(tf.variable(tf.tensor2d(init.W[l], shape), true));
      this.b.push(tf.variable(tf.tensor1d(init.b[l]), true));
      this.mW.push(tf.variable(tf.zeros(shape), false));
      this.vW.push(tf.variable(tf.zeros(shape), false));
      this.mb.push(tf.variable(tf.zeros([shape[1]]), false));
      this.vb.push(tf.variable(tf.zeros([shape[1]]), false));
    }
    this.colW = tf.tensor1d(columnWeights(arch));
  }

  private forwardT(x: TF.Tensor2D, keep: TF.Tensor2D[] | null): TF.Tensor2D {
    const tf = this.tf;
    const L = this.W.length;
    let h = x;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(h, this.W[l]), this.b[l]) as TF.Tensor2D;
      h = l < L - 1 ? tf.relu(z) : z;
      if (keep) keep.push(h);
    }
    return h;
  }

  predict(x: Float32Array, n: number): Float32Array {
    const tf = this.tf;
    return tf.tidy(() => {
      const y = this.forwardT(tf.tensor2d(x.subarray(0, n * this.sizes[0]), [n, this.sizes[0]]), null);
      return y.dataSync() as Float32Array;
    }).slice();
  }

  /** Loss and gradients as tensors (caller disposes): for tests. */
  lossAndGradTensors(x: Float32Array, y: Float32Array, B: number): { loss: number; dW: TF.Tensor[]; db: TF.Tensor[] } {
    const tf = this.tf;
    const dW: TF.Tensor[] = [];
    const db: TF.Tensor[] = [];
    const loss = tf.tidy(() => {
      const r = this.grads(x, y, B);
      for (let l = 0; l < r.dW.length; l++) {
        dW.push(tf.keep(r.dW[l]));
        db.push(tf.keep(r.db[l]));
      }
      return r.loss.dataSync()[0];
    });
    return { loss, dW, db };
  }

  private grads(x: Float32Array, y: Float32Array, B: number): { loss: TF.Scalar; dW: TF.Tensor[]; db: TF.Tensor[] } {
    const tf = this.tf;
    const nIn = this.sizes[0];
    const nOut = this.sizes[this.sizes.length - 1];
    const X = tf.tensor2d(x.subarray(0, B * nIn), [B, nIn]);
    const T = tf.tensor2d(y.subarray(0, B * nOut), [B, nOut]);
    const Hs: TF.Tensor2D[] = [X];
    const Y = this.forwardT(X, Hs);
    const diff = tf.sub(Y, T);
    const wd = tf.mul(diff, this.colW);
    const loss = tf.div(tf.sum(tf.mul(wd, diff)), B) as TF.Scalar;
    let dZ = tf.mul(wd, 2 / B) as TF.Tensor2D;
    const L = this.W.length;
    const dW: TF.Tensor[] = new Array(L);
    const db: TF.Tensor[] = new Array(L);
    for (let l = L - 1; l >= 0; l--) {
      dW[l] = tf.matMul(tf.transpose(Hs[l]), dZ);
      db[l] = tf.sum(dZ, 0);
      if (l > 0) {
        const dH = tf.matMul(dZ, tf.transpose(this.W[l]));
        dZ = tf.mul(dH, tf.step(Hs[l])) as TF.Tensor2D;
      }
    }
    return { loss, dW, db };
  }

  trainBatch(x: Float32Array, y: Float32Array, n: number): number {
    const tf = this.tf;
    this.t++;
    const { lr, beta1, beta2, epsilon } = this.adam;
    const lrT = (lr * Math.sqrt(1 - Math.pow(beta2, this.t))) / (1 - Math.pow(beta1, this.t));
    const lossT = tf.tidy(() => {
      const g = this.grads(x, y, n);
      const upd = (p: TF.Variable, gr: TF.Tensor, m: TF.Variable, v: TF.Variable) => {
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(gr, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(gr), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        p.assign(tf.sub(p, tf.div(tf.mul(m1, lrT), tf.add(tf.sqrt(v1), epsilon))));
      };
      for (let l = 0; l < this.W.length; l++) {
        upd(this.W[l], g.dW[l], this.mW[l], this.vW[l]);
        upd(this.b[l], g.db[l], this.mb[l], this.vb[l]);
      }
      return tf.keep(g.loss);
    });
    const loss = lossT.dataSync()[0];
    lossT.dispose();
    return loss;
  }

  getParams(): Params {
    return {
      W: this.W.map((w) => (w.dataSync() as Float32Array).slice()),
      b: this.b.map((b) => (b.dataSync() as Float32Array).slice()),
    };
  }

  setParams(p: Params): void {
    const tf = this.tf;
    tf.tidy(() => {
      for (let l = 0; l < this.W.length; l++) {
        this.W[l].assign(tf.tensor2d(p.W[l], [this.sizes[l], this.sizes[l + 1]]));
        this.b[l].assign(tf.tensor1d(p.b[l]));
      }
    });
  }

  dispose(): void {
    for (const arr of [this.W, this.b, this.mW, this.vW, this.mb, this.vb]) for (const v of arr) v.dispose();
    this.colW.dispose();
  }
}
