/**
 * A dense ReLU network on plain Float32Arrays with a hand-written forward and backward pass.
 * The matrix products go to a Gemm (OpenBLAS through the native addon, or plain JS); all
 * work buffers are allocated once per batch size, so the training loop does not allocate.
 *
 * Forward:  Z_l = H_{l-1} W_l + b_l,  H_l = relu(Z_l) (last layer linear).
 * Loss:     L = (1/B) Σ_b Σ_j c_j (Y_bj − T_bj)²   (c_j: per-column head weights)
 * Backward: dY = 2 c_j (Y − T) / B;  dW_l = H_{l-1}ᵀ dZ_l;  db_l = Σ_b dZ_l;
 *           dH_{l-1} = dZ_l W_lᵀ;  dZ_{l-1} = dH_{l-1} ⊙ [Z_{l-1} > 0].
 */
import { type Gemm, type AdamUpdate, gemmJs, adamJs, loadNative } from './gemm.js';
import { columnWeights, cloneParams } from './params.js';
import {
  type Architecture,
  type NetEngine,
  type Params,
  type AdamSettings,
  DEFAULT_ADAM,
  layerSizes,
} from './types.js';

export class ArrayNet implements NetEngine {
  readonly name: string;
  private readonly sizes: number[];
  private readonly p: Params;
  private readonly m: Params;
  private readonly v: Params;
  private readonly g: Params;
  private readonly colW: Float32Array;
  private t = 0;
  private bufB = -1;
  private H: Float32Array[] = [];
  private D: Float32Array[] = [];

  constructor(
    readonly arch: Architecture,
    init: Params,
    private readonly adam: AdamSettings = DEFAULT_ADAM,
    private readonly gemm: Gemm = gemmJs,
    private readonly adamStep: AdamUpdate = adamJs,
    name = 'js',
  ) {
    this.name = name;
    this.sizes = layerSizes(arch);
    this.p = cloneParams(init);
    const zeros = (): Params => ({
      W: init.W.map((w) => new Float32Array(w.length)),
      b: init.b.map((b) => new Float32Array(b.length)),
    });
    this.m = zeros();
    this.v = zeros();
    this.g = zeros();
    this.colW = columnWeights(arch);
  }

  /** The OpenBLAS engine, or null when the addon is not built. */
  static native(arch: Architecture, init: Params, adam: AdamSettings = DEFAULT_ADAM): ArrayNet | null {
    const k = loadNative();
    if (!k) return null;
    return new ArrayNet(arch, init, adam, k.sgemm, k.adam, 'native');
  }

  private ensure(B: number): void {
    if (B <= this.bufB) return;
    this.bufB = B;
    this.H = this.sizes.map((s) => new Float32Array(B * s));
    this.D = this.sizes.map((s) => new Float32Array(B * s));
  }

  private forward(x: Float32Array, B: number): Float32Array {
    const L = this.sizes.length - 1;
    this.H[0].set(x.subarray(0, B * this.sizes[0]));
    for (let l = 0; l < L; l++) {
      const nin = this.sizes[l];
      const nout = this.sizes[l + 1];
      const out = this.H[l + 1];
      const b = this.p.b[l];
      for (let i = 0; i < B; i++) out.set(b, i * nout);
      this.gemm(false, false, B, nout, nin, 1, this.H[l], this.p.W[l], 1, out);
      if (l < L - 1) {
        const n = B * nout;
        for (let i = 0; i < n; i++) if (out[i] < 0) out[i] = 0;
      }
    }
    return this.H[L];
  }

  predict(x: Float32Array, n: number): Float32Array {
    const nOut = this.sizes[this.sizes.length - 1];
    const nIn = this.sizes[0];
    const out = new Float32Array(n * nOut);
    const chunk = 256;
    this.ensure(Math.min(n, chunk));
    for (let s = 0; s < n; s += chunk) {
      const B = Math.min(chunk, n - s);
      const y = this.forward(x.subarray(s * nIn, (s + B) * nIn), B);
      out.set(y.subarray(0, B * nOut), s * nOut);
    }
    return out;
  }

  /** Loss and gradients (into this.g) of a batch; exposed for the gradient tests. */
  lossAndGrad(x: Float32Array, y: Float32Array, B: number): number {
    this.ensure(B);
    const L = this.sizes.length - 1;
    const nOut = this.sizes[L];
    const Y = this.forward(x, B);
    const dY = this.D[L];
    const c = this.colW;
    let loss = 0;
    for (let i = 0; i < B; i++) {
      const o = i * nOut;
      for (let j = 0; j < nOut; j++) {
        const d = Y[o + j] - y[o + j];
        loss += c[j] * d * d;
        dY[o + j] = (2 * c[j] * d) / B;
      }
    }
    for (let l = L - 1; l >= 0; l--) {
      const nin = this.sizes[l];
      const nout = this.sizes[l + 1];
      const dZ = this.D[l + 1];
      this.gemm(true, false, nin, nout, B, 1, this.H[l], dZ, 0, this.g.W[l]);
      const db = this.g.b[l];
      db.fill(0);
      for (let i = 0; i < B; i++) {
        const o = i * nout;
        for (let j = 0; j < nout; j++) db[j] += dZ[o + j];
      }
      if (l > 0) {
        const dH = this.D[l];
        this.gemm(false, true, B, nin, nout, 1, dZ, this.p.W[l], 0, dH);
        const Hl = this.H[l];
        const n = B * nin;
        for (let i = 0; i < n; i++) if (Hl[i] <= 0) dH[i] = 0;
      }
    }
    return loss / B;
  }

  gradients(): Params {
    return cloneParams(this.g);
  }

  trainBatch(x: Float32Array, y: Float32Array, n: number): number {
    const loss = this.lossAndGrad(x, y, n);
    this.t++;
    const { lr, beta1, beta2, epsilon } = this.adam;
    const lrT = (lr * Math.sqrt(1 - Math.pow(beta2, this.t))) / (1 - Math.pow(beta1, this.t));
    for (let l = 0; l < this.p.W.length; l++) {
      this.adamStep(this.p.W[l], this.g.W[l], this.m.W[l], this.v.W[l], lrT, beta1, beta2, epsilon);
      this.adamStep(this.p.b[l], this.g.b[l], this.m.b[l], this.v.b[l], lrT, beta1, beta2, epsilon);
    }
    return loss;
  }

  getParams(): Params {
    return cloneParams(this.p);
  }

  setParams(p: Params): void {
    for (let l = 0; l < this.p.W.length; l++) {
      this.p.W[l].set(p.W[l]);
      this.p.b[l].set(p.b[l]);
    }
  }

  dispose(): void {}
}
