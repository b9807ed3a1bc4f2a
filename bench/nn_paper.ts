/**
 * A paper-style run (not part of `npm run bench`; run `node dist/bench/nn_paper.js [n] [epochs]`):
 * the paper's architecture (input k^2·χ on 400 k points → 4 × 1000 ReLU → g(r) 300 + N(θ) 180 + ρ)
 * trained with the paper's protocol (20 % test, 5 folds, early stopping, 5 members, Adam 1e-4,
 * batch 64) on the synthetic mini-physics dataset of src/nn/synthetic.ts (until the MD+FEFF datasets
 * exist), then evaluated, and the cost of float16 / uint16 / uint8 stored weights measured.
 * Prints one JSON document on stdout; progress on stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import {
  syntheticData,
  trainToDir,
  architectureFor,
  loadModelDir,
  ensembleFromModel,
  evaluateEnsemble,
  saveModelDir,
  defaultEngine,
  DEFAULT_ADAM,
} from '../src/nn/index.js';

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2000);
  const epochs = Number(process.argv[3] ?? 40);
  const workers = Number(process.argv[4] ?? 1);
  const t0 = Date.now();
  const data = syntheticData({
    n,
    seed: 2021,
    nk: 400,
    kmin: 2,
    kmax: 14,
    nr: 300,
    rmin: 1.5,
    rmax: 7.5,
    ntheta: 180,
  });
  const tGen = (Date.now() - t0) / 1000;
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-paper-'));
  const out = join(dir, 'model');
  const engine = defaultEngine();
  try {
    const { result } = await trainToDir(
      data,
      {
        arch: architectureFor(400, 300, 180, [1000, 1000, 1000, 1000], { g: 1, bad: 1, density: 0.1 }),
        modelK: data.k,
        kweight: 2,
        epochs,
        patience: 8,
        batch: 64,
        adam: DEFAULT_ADAM,
        engine,
        augment: { noise: 0, s02: null, dE: 0 },
        seed: 1,
        folds: 5,
        members: 5,
        testFraction: 0.2,
        workers,
      },
      out,
      {},
      (e) => {
        if (e.epoch % 5 === 0 || e.epoch === 1)
          process.stderr.write(
            `member ${e.member} epoch ${e.epoch}: loss ${e.loss.toExponential(3)} val ${e.val_loss.toExponential(3)} (${e.seconds.toFixed(0)} s)\n`,
          );
      },
    );
    const test = Array.from(result.split.test);
    const inTest = new Set(test);
    const train = Array.from({ length: n }, (_, i) => i).filter((i) => !inTest.has(i));
    const ref = loadModelDir(out);
    const evals: Record<string, unknown> = {};
    for (const dtype of ['float32', 'float16', 'uint16', 'uint8'] as const) {
      const q = join(dir, dtype);
      saveModelDir(q, { ...ref.meta, weights: { dtype } }, ref.params);
      const l = loadModelDir(q);
      const ev = evaluateEnsemble(ensembleFromModel(q, l.meta, l.params), data, test, train);
      const { statSync, readdirSync } = await import('node:fs');
      const bytes = readdirSync(q).reduce(
        (s, m) => (m.startsWith('member-') ? s + statSync(join(q, m, 'weights.bin')).size : s),
        0,
      );
      evals[dtype] = {
        weights_mb: bytes / 1e6,
        heads: ev.heads,
        first_shell: ev.first_shell,
        ...(dtype === 'float32' ? { classes: ev.classes, calibration: ev.calibration } : {}),
      };
    }
    process.stdout.write(
      JSON.stringify(
        {
          machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model },
          dataset: {
            kind: 'synthetic mini-physics (src/nn/synthetic.ts)',
            n,
            nk: 400,
            nr: 300,
            ntheta: 180,
            seconds: tGen,
          },
          engine,
          workers,
          members: result.members.map((m) => ({
            best_epoch: m.best_epoch,
            epochs_run: m.epochs_run,
            best_val_loss: m.best_val_loss,
            seconds: m.seconds,
            samples_per_second: m.samples_per_second,
          })),
          train_seconds: result.seconds,
          evaluation: evals,
        },
        null,
        1,
      ) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
