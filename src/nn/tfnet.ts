/**
 * The dense network on TensorFlow.js tensors (wasm backend) with a hand-written training step.
 *
 * tfjs's autodiff of matMul asks the wasm kernel for transposed operands, and XNNPACK's
 * transposed path runs at ~2 GFLOP/s against ~26 GFLOP/s untransposed (measured, issue 7), so
 * model.fit/trainOnBatch reach only ~125 samples/s on the paper network. Here the backward pass
 * is written out with explicit transposes — dW = transpose(H) · dZ, dH = dZ · transpose(W) —
 * so every product runs on the fast path. Same equations as ArrayNet (see arraynet.ts).
 *
 * On the wasm backend the Adam update does not go through tfjs ops (a dozen element-wise kernels,
 * each allocating a 4-16 MB temporary, cost about as much as the matrix products): the gradients
 * are read and the weights updated in place through Float32Array views of the wasm heap, with the
 * moment estimates m, v kept in plain JS arrays. The heap views are re-made every step because the
 * wasm memory may grow (and the tensors' offsets change when weights are re-assigned).
 */
import type * as TF from '@tensorflow/tfjs';
import { tfLoaded } from './tfenv.js';
import { columnWeights } from './params.js';
import {
  type Architecture,
  type NetEngine,
  type Params,
  type AdamSettings,
  DEFAULT_ADAM,
  layerSizes,
} from './types.js';

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
  /** Adam moments in JS memory for the in-place wasm update (null on other backends) */
  private readonly jsMoments: {
    mW: Float32Array[];
    vW: Float32Array[];
    mb: Float32Array[];
    vb: Float32Array[];
  } | null;

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
      // (the temporaries are freed by tidy; the variables keep their data)
      this.W.push(tf.tidy(() => tf.variable(tf.tensor2d(init.W[l], shape), true)));
      this.b.push(tf.tidy(() => tf.variable(tf.tensor1d(init.b[l]), true)));
      if (this.name !== 'wasm') {
        this.mW.push(tf.tidy(() => tf.variable(tf.zeros(shape), false)));
        this.vW.push(tf.tidy(() => tf.variable(tf.zeros(shape), false)));
        this.mb.push(tf.tidy(() => tf.variable(tf.zeros([shape[1]]), false)));
        this.vb.push(tf.tidy(() => tf.variable(tf.zeros([shape[1]]), false)));
      }
    }
    this.colW = tf.tensor1d(columnWeights(arch));
    this.jsMoments =
      this.name === 'wasm'
        ? {
            mW: init.W.map((w) => new Float32Array(w.length)),
            vW: init.W.map((w) => new Float32Array(w.length)),
            mb: init.b.map((b) => new Float32Array(b.length)),
            vb: init.b.map((b) => new Float32Array(b.length)),
          }
        : null;
  }

  /** A Float32Array view of a tensor's data in the wasm heap (valid until the next tfjs call that may grow memory). */
  private heapView(t: TF.Tensor): Float32Array {
    const be = this.tf.backend() as unknown as {
      dataIdMap: { get(id: object): { memoryOffset: number } };
      wasm: { HEAPU8: Uint8Array };
    };
    const off = be.dataIdMap.get(t.dataId).memoryOffset;
    return new Float32Array(be.wasm.HEAPU8.buffer, off, t.size);
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
    return tf
      .tidy(() => {
        const y = this.forwardT(tf.tensor2d(x.subarray(0, n * this.sizes[0]), [n, this.sizes[0]]), null);
        return y.dataSync() as Float32Array;
      })
      .slice();
  }

  /** Loss and gradients as tensors (caller disposes): for tests. */
  lossAndGradTensors(
    x: Float32Array,
    y: Float32Array,
    B: number,
  ): { loss: number; dW: TF.Tensor[]; db: TF.Tensor[] } {
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

  private grads(
    x: Float32Array,
    y: Float32Array,
    B: number,
  ): { loss: TF.Scalar; dW: TF.Tensor[]; db: TF.Tensor[] } {
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
    const jm = this.jsMoments;
    if (jm) {
      const g = tf.tidy(() => this.grads(x, y, n));
      const loss = g.loss.dataSync()[0];
      // The new weights are written over the gradient's memory and the variable then takes that
      // buffer: the weights get a new tensor id, which matters because tfjs-wasm caches XNNPACK's
      // packed copy of a matMul operand by tensor id (an in-place update would go unseen).
      for (let l = 0; l < this.W.length; l++) {
        adamInto(
          this.heapView(this.W[l]),
          this.heapView(g.dW[l]),
          jm.mW[l],
          jm.vW[l],
          lrT,
          beta1,
          beta2,
          epsilon,
        );
        adamInto(
          this.heapView(this.b[l]),
          this.heapView(g.db[l]),
          jm.mb[l],
          jm.vb[l],
          lrT,
          beta1,
          beta2,
          epsilon,
        );
        this.W[l].assign(g.dW[l]);
        this.b[l].assign(g.db[l]);
      }
      g.loss.dispose();
      g.dW.forEach((t) => t.dispose());
      g.db.forEach((t) => t.dispose());
      return loss;
    }
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

/** Adam step that writes the new parameters over the gradient array g (out = g). */
function adamInto(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lrT: number,
  b1: number,
  b2: number,
  eps: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + c1 * gi;
    const vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    g[i] = p[i] - (lrT * mi) / (Math.sqrt(vi) + eps);
  }
}
