import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ArrayNet,
  TfNet,
  getTf,
  initParams,
  columnWeights,
  loadNative,
  type Architecture,
} from '../../src/nn/index.js';
import { Rng } from '../../src/util/rng.js';

const arch: Architecture = {
  nIn: 7,
  hidden: [9, 6],
  heads: [
    { name: 'g', size: 4, weight: 1 },
    { name: 'bad', size: 3, weight: 0.5 },
    { name: 'density', size: 1, weight: 0.1 },
  ],
};
const B = 5;
const nOut = 8;
const rng = new Rng(11);
const x = Float32Array.from({ length: B * arch.nIn }, () => rng.normal());
const y = Float32Array.from({ length: B * nOut }, () => rng.normal());
const init = initParams(arch, 3);
// biases non-zero so their gradients are tested in general position
init.b.forEach((b) => b.forEach((_, i) => (b[i] = 0.1 * rng.normal())));

/** The same loss written with tfjs ops and differentiated by tfjs autodiff (cpu backend, float32). */
async function autodiff(): Promise<{ loss: number; dW: Float32Array[]; db: Float32Array[] }> {
  const tf = await getTf('cpu');
  const c = tf.tensor1d(columnWeights(arch));
  const X = tf.tensor2d(x, [B, arch.nIn]);
  const T = tf.tensor2d(y, [B, nOut]);
  const sizes = [arch.nIn, ...arch.hidden, nOut];
  const vars = init.W.flatMap((w, l) => [tf.tensor2d(w, [sizes[l], sizes[l + 1]]), tf.tensor1d(init.b[l])]);
  const f = (...ps: import('@tensorflow/tfjs').Tensor[]) => {
    let h: import('@tensorflow/tfjs').Tensor = X;
    for (let l = 0; l < init.W.length; l++) {
      h = tf.add(
        tf.matMul(h as import('@tensorflow/tfjs').Tensor2D, ps[2 * l] as import('@tensorflow/tfjs').Tensor2D),
        ps[2 * l + 1],
      );
      if (l < init.W.length - 1) h = tf.relu(h);
    }
    const d = tf.sub(h, T);
    return tf.div(tf.sum(tf.mul(tf.mul(d, d), c)), B) as import('@tensorflow/tfjs').Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(vars);
  const out = {
    loss: value.dataSync()[0],
    dW: grads.filter((_, i) => i % 2 === 0).map((g) => g.dataSync() as Float32Array),
    db: grads.filter((_, i) => i % 2 === 1).map((g) => g.dataSync() as Float32Array),
  };
  return out;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(scale, 1e-6), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

test('hand-written backward pass (ArrayNet, JS gemm) equals tfjs autodiff', async () => {
  const ref = await autodiff();
  const net = new ArrayNet(arch, init);
  const loss = net.lossAndGrad(x, y, B);
  const g = net.gradients();
  assert.ok(Math.abs(loss - ref.loss) < 1e-5 * Math.abs(ref.loss));
  for (let l = 0; l < g.W.length; l++) {
    close(g.W[l], ref.dW[l], 1e-5, `dW${l}`);
    close(g.b[l], ref.db[l], 1e-5, `db${l}`);
  }
  // and a central finite difference on a few weights (float64 reference of the same net is not needed:
  // step 1e-3 in float32: rounding error ~1e-4 of the loss; no ReLU kink is crossed at these weights)
  const p = net.getParams();
  for (const [l, i] of [
    [0, 3],
    [1, 10],
    [2, 5],
  ]) {
    const h = 1e-3;
    const plus = new ArrayNet(arch, p);
    const minus = new ArrayNet(arch, p);
    const pp = plus.getParams();
    const pm = minus.getParams();
    pp.W[l][i] += h;
    pm.W[l][i] -= h;
    plus.setParams(pp);
    minus.setParams(pm);
    const num = (plus.lossAndGrad(x, y, B) - minus.lossAndGrad(x, y, B)) / (2 * h);
    assert.ok(
      Math.abs(num - g.W[l][i]) < 2e-3 + 2e-2 * Math.abs(num),
      `numerical dW${l}[${i}] ${num} vs ${g.W[l][i]}`,
    );
  }
});

test('tfjs engine (explicit transposes, wasm) gives the same gradients and training steps as ArrayNet', async () => {
  const ref = await autodiff();
  await getTf('wasm');
  const net = new TfNet(arch, init);
  const r = net.lossAndGradTensors(x, y, B);
  assert.ok(Math.abs(r.loss - ref.loss) < 1e-5 * Math.abs(ref.loss));
  for (let l = 0; l < r.dW.length; l++) {
    close(r.dW[l].dataSync(), ref.dW[l], 1e-5, `dW${l}`);
    close(r.db[l].dataSync(), ref.db[l], 1e-5, `db${l}`);
  }
  r.dW.forEach((t) => t.dispose());
  r.db.forEach((t) => t.dispose());
  // ten Adam steps agree between the engines
  const a = new ArrayNet(arch, init, { lr: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  const t = new TfNet(arch, init, { lr: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  for (let s = 0; s < 10; s++) {
    const la = a.trainBatch(x, y, B);
    const lt = t.trainBatch(x, y, B);
    assert.ok(Math.abs(la - lt) < 1e-4 * Math.abs(la), `step ${s}: ${la} vs ${lt}`);
  }
  close(t.getParams().W[0], a.getParams().W[0], 1e-4, 'W0 after 10 steps');
  close(t.predict(x, B), a.predict(x, B), 1e-4, 'predictions');
  t.dispose();
  net.dispose();
});

test(
  'native OpenBLAS engine (when built) gives the same gradients as the JS kernel',
  { skip: loadNative() ? false : 'native addon not built (native/build.sh)' },
  () => {
    const k = loadNative()!;
    const js = new ArrayNet(arch, init);
    const nat = new ArrayNet(arch, init, undefined, k.sgemm, k.adam, 'native');
    js.lossAndGrad(x, y, B);
    nat.lossAndGrad(x, y, B);
    const a = js.gradients();
    const b = nat.gradients();
    for (let l = 0; l < a.W.length; l++) close(b.W[l], a.W[l], 1e-5, `dW${l}`);
    for (let s = 0; s < 5; s++) {
      js.trainBatch(x, y, B);
      nat.trainBatch(x, y, B);
    }
    close(nat.getParams().W[1], js.getParams().W[1], 1e-5, 'W1 after 5 steps');
  },
);
