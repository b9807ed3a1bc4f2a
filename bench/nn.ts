/**
 * bench nn: training speed (samples/s) of the paper's network — input 400 → 4 × 1000 ReLU →
 * heads 300 + 180 (+ 1 density), Adam, weighted MSE, batch 64 — on one core, for each engine:
 *   nn/train-paper/wasm/1core               hand-written step on tfjs wasm (npm only)
 *   nn/train-paper/native/1core             OpenBLAS addon (native/build.sh), when built
 *   nn/train-paper/tfjs-trainOnBatch/1core  tfjs layers model.trainOnBatch on wasm (the slow reference)
 *   nn/train-paper/native/2core             OpenBLAS addon with 2 threads vs PyTorch with 2
 * The peer is PyTorch (Debian python3-torch under /usr/bin/python3) on the same network and batch,
 * run as a subprocess with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set to the same thread count.
 * Ours and the peer alternate over rounds and the best round of each is kept, so that load from
 * other processes on the shared machine affects both alike.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { machineInfo, peakRssMb, type BenchResult, type BenchOptions, type BenchCase } from './common.js';
import {
  ArrayNet,
  TfNet,
  getTf,
  initParams,
  loadNative,
  nativeLoadError,
  type Architecture,
  type NetEngine,
} from '../src/nn/index.js';
import { Rng } from '../src/util/rng.js';

const NIN = 400;
const HIDDEN = 1000;
const LAYERS = 4;
const NR = 300;
const NTH = 180;
const B = 64;

const arch: Architecture = {
  nIn: NIN,
  hidden: new Array<number>(LAYERS).fill(HIDDEN),
  heads: [
    { name: 'g', size: NR, weight: 1 },
    { name: 'bad', size: NTH, weight: 1 },
    { name: 'density', size: 1, weight: 0.1 },
  ],
};
const NOUT = NR + NTH + 1;

function batch(): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(1);
  return {
    x: Float32Array.from({ length: B * NIN }, () => rng.normal()),
    y: Float32Array.from({ length: B * NOUT }, () => rng.normal()),
  };
}

function rate(net: NetEngine, steps: number, warm: number): number {
  const { x, y } = batch();
  for (let i = 0; i < warm; i++) net.trainBatch(x, y, B);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) net.trainBatch(x, y, B);
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  return (steps * B) / dt;
}

async function trainOnBatchRate(steps: number, warm: number): Promise<number> {
  const tf = await getTf('wasm');
  const model = tf.sequential();
  for (let l = 0; l < LAYERS; l++)
    model.add(
      tf.layers.dense({ units: HIDDEN, activation: 'relu', inputShape: l === 0 ? [NIN] : undefined }),
    );
  model.add(tf.layers.dense({ units: NOUT }));
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'meanSquaredError' });
  const { x, y } = batch();
  const xt = tf.tensor2d(x, [B, NIN]);
  const yt = tf.tensor2d(y, [B, NOUT]);
  for (let i = 0; i < warm; i++) await model.trainOnBatch(xt, yt);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xt, yt);
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  xt.dispose();
  yt.dispose();
  model.dispose();
  return (steps * B) / dt;
}

interface Peer {
  version: string;
  samples_per_s: number;
}

function torchRate(threads: number, steps: number, warm: number): Peer | string {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/bench → bench/nn_torch.py in the source tree
  const script = [join(here, 'nn_torch.py'), join(here, '..', '..', 'bench', 'nn_torch.py')].find((p) =>
    existsSync(p),
  );
  if (!script) return 'bench/nn_torch.py not found';
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 not found';
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  const r = spawnSync(
    '/usr/bin/python3',
    [
      script,
      String(NIN),
      String(HIDDEN),
      String(NOUT),
      String(B),
      String(steps),
      String(warm),
      String(LAYERS),
    ],
    {
      env,
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (r.status !== 0)
    return `PyTorch run failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Peer;
  } catch {
    return `PyTorch output not understood: ${r.stdout.slice(0, 200)}`;
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const notes: string[] = [];
  const rounds = opts.quick ? 1 : 3;
  const steps = opts.quick ? 4 : 30;
  const init = initParams(arch, 7);
  await getTf('wasm');
  const nat = loadNative();
  if (!nat) notes.push(`native path not measured: ${nativeLoadError()}`);
  const best: Record<string, number> = {};
  const peerBest: Record<number, Peer | null> = { 1: null, 2: null };
  const keep = (name: string, v: number) => (best[name] = Math.max(best[name] ?? 0, v));
  for (let r = 0; r < rounds; r++) {
    const wasm = new TfNet(arch, init);
    keep('wasm/1', rate(wasm, steps, 2));
    wasm.dispose();
    if (nat) {
      nat.setThreads(1);
      keep(
        'native/1',
        rate(new ArrayNet(arch, init, undefined, nat.sgemm, nat.adam, 'native'), steps * 3, 2),
      );
      if (!opts.quick) {
        nat.setThreads(2);
        keep(
          'native/2',
          rate(new ArrayNet(arch, init, undefined, nat.sgemm, nat.adam, 'native'), steps * 3, 2),
        );
        nat.setThreads(1);
      }
    }
    for (const th of opts.quick ? [1] : [1, 2]) {
      const p = torchRate(th, steps * 3, 2);
      if (typeof p === 'string') {
        if (r === 0) notes.push(`PyTorch (${th} thread): ${p}`);
      } else if (!peerBest[th] || p.samples_per_s > peerBest[th]!.samples_per_s) peerBest[th] = p;
    }
  }
  // the slow reference once (≈ 0.5 s per step)
  const tob = await trainOnBatchRate(opts.quick ? 2 : 12, 1);
  const mk = (name: string, cores: number, ours: number, peer: Peer | null): BenchCase => ({
    name,
    cores,
    ours: { value: ours, unit: 'samples/s' },
    peer: peer
      ? { name: 'PyTorch', version: peer.version, value: peer.samples_per_s, unit: 'samples/s' }
      : null,
    speedup: peer ? ours / peer.samples_per_s : null,
    peak_rss_mb: peakRssMb(),
  });
  const cases: BenchCase[] = [mk('nn/train-paper/wasm/1core', 1, best['wasm/1'], peerBest[1])];
  if (nat) cases.push(mk('nn/train-paper/native/1core', 1, best['native/1'], peerBest[1]));
  cases.push(mk('nn/train-paper/tfjs-trainOnBatch/1core', 1, tob, peerBest[1]));
  if (nat && !opts.quick) cases.push(mk('nn/train-paper/native/2core', 2, best['native/2'], peerBest[2]));
  if (opts.quick)
    notes.push(
      '--quick: one round, 1-core cases only (the full run adds nn/train-paper/native/2core against PyTorch with 2 threads)',
    );
  notes.push(
    `network ${NIN}→${LAYERS}×${HIDDEN}→${NR}+${NTH}+1 (${(init.W.reduce((s, w) => s + w.length, 0) / 1e6).toFixed(2)} M weights), Adam, MSE, batch ${B}; ` +
      `best of ${rounds} alternating rounds for ours and the peer (the machine is shared; compare ratios, not absolute numbers)`,
  );
  notes.push(
    `wasm/trainOnBatch = ${(best['wasm/1'] / tob).toFixed(1)}× (explicit transposes avoid tfjs-wasm's slow transposed matMul)`,
  );
  if (nat) notes.push(`native addon: ${nat.info}`);
  return { bench: 'nn', machine: machineInfo(), cases, notes };
}
