/**
 * `exafsnn train DATASET.h5 --out DIR`: the paper's ensemble protocol (20 % test set held out,
 * k folds for early stopping, one member per fold) and the model directory.
 */
import type { Command } from 'commander';
import { action, printJson, numberOption } from '../output.js';
import { UserError } from '../../util/errors.js';

interface TrainCliOptions {
  out?: string;
  folds: string;
  members?: string;
  epochs: string;
  patience: string;
  workers: string;
  hidden: string;
  batch: string;
  seed: string;
  lr: string;
  kweight: string;
  kmin?: string;
  kmax?: string;
  testFraction: string;
  calibrationFraction: string;
  modelForm?: string;
  modelFormNote?: string;
  engine: string;
  weightG: string;
  weightBad: string;
  weightDensity: string;
  weightLocalOrder: string;
  weightS02: string;
  augNoise: string;
  augS02?: string;
  augDe: string;
  weights: string;
  json?: boolean;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('train')
    .description(
      'Train an ensemble of dense networks (k^w·χ(k) → g(r), N(θ), ρ) on a dataset with the protocol of\n' +
        'Iesari et al. (2021): a random test set is held out, the rest is cut into --folds parts and each\n' +
        'member uses one part for early stopping. Writes the model directory --out (model.json + one\n' +
        'tfjs layers-model folder per member). Progress (loss, val loss, ETA) on stderr.',
    )
    .argument('<dataset>', 'dataset file (HDF5 written by `exafsnn dataset`)')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--folds <n>', 'number of cross-validation parts (members use each once for validation)', '5')
    .option('--members <n>', 'ensemble members (default: --folds)')
    .option('--epochs <n>', 'maximum epochs per member', '200')
    .option('--patience <n>', 'early stopping: epochs without validation improvement', '20')
    .option('--workers <n>', 'members trained in parallel worker threads (one per core)', '1')
    .option('--hidden <spec>', 'hidden layers, e.g. 1000x4 or 1000,500,200', '1000x4')
    .option('--batch <n>', 'mini-batch size', '64')
    .option('--seed <n>', 'seed for the split, initial weights, batch order and augmentation', '1')
    .option('--lr <x>', 'Adam learning rate', '1e-4')
    .option('--kweight <w>', 'network input is k^w·χ(k)', '2')
    .option('--kmin <Å⁻¹>', "model's k range start (default: the dataset's)")
    .option('--kmax <Å⁻¹>', "model's k range end (default: the dataset's)")
    .option('--test-fraction <f>', 'fraction of samples held out as the test set', '0.2')
    .option(
      '--calibration-fraction <f>',
      'fraction of samples held out from every member to calibrate σ (docs/nn.md, "Uncertainty"); 0 = no calibration',
      '0.1',
    )
    .option(
      '--model-form <dataset.h5>',
      "spectra made with another potential or theory (same grids): the model's extra error on them enters σ as the model-form term",
    )
    .option('--model-form-note <text>', 'what --model-form is (stored as its provenance)')
    .option(
      '--engine <auto|wasm|native|js>',
      'training engine: native = OpenBLAS addon (native/build.sh), wasm = tfjs wasm',
      'auto',
    )
    .option('--weight-g <x>', 'loss weight of the g(r) head', '1')
    .option('--weight-bad <x>', 'loss weight of the N(θ) head', '1')
    .option('--weight-density <x>', 'loss weight of the density head (for coordination numbers)', '0.1')
    .option(
      '--weight-local-order <x>',
      'loss weight of the local-order head (1551/1421/1422 pair shares, CNA fractions), added when the dataset has those columns; 0 = no head',
      '1',
    )
    .option(
      '--weight-s02 <x>',
      'loss weight of an S0² head (the network says how much of the amplitude is S0²; needs --aug-s02); 0 = no head',
      '0',
    )
    .option('--aug-noise <σ>', 'augmentation: Gaussian noise σ added to χ(k) (χ units), 0 = off', '0')
    .option('--aug-s02 <lo:hi>', 'augmentation: multiply χ by S0² drawn uniformly in [lo, hi], e.g. 0.7:1')
    .option(
      '--aug-de <eV>',
      "augmentation: energy-origin shift ΔE drawn in ±eV each epoch (needs a dataset k range wider than the model's)",
      '0',
    )
    .option(
      '--weights <dtype>',
      'stored weights: float32, float16, uint16 or uint8 (tfjs manifest quantization)',
      'float32',
    )
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print one JSON document (summary) on stdout')
    .action(
      action(async (dataset: string, o: TrainCliOptions) => {
        const folds = numberOption('folds', o.folds, { integer: true, min: 2 })!;
        const members = numberOption('members', o.members ?? String(folds), { integer: true, min: 1 })!;
        const epochs = numberOption('epochs', o.epochs, { integer: true, min: 1 })!;
        const patience = numberOption('patience', o.patience, { integer: true, min: 1 })!;
        const workers = numberOption('workers', o.workers, { integer: true, min: 1 })!;
        const batch = numberOption('batch', o.batch, { integer: true, min: 1 })!;
        const seed = numberOption('seed', o.seed, { integer: true, min: 0 })!;
        const lr = numberOption('lr', o.lr, { min: 0 })!;
        const kweight = numberOption('kweight', o.kweight, { min: 0, max: 4 })!;
        const kmin = numberOption('kmin', o.kmin, { min: 0 });
        const kmax = numberOption('kmax', o.kmax, { min: 0 });
        const testFraction = numberOption('test-fraction', o.testFraction, { min: 0, max: 0.9 })!;
        const calibrationFraction = numberOption('calibration-fraction', o.calibrationFraction, { min: 0, max: 0.5 })!;
        const wG = numberOption('weight-g', o.weightG, { min: 0 })!;
        const wB = numberOption('weight-bad', o.weightBad, { min: 0 })!;
        const wD = numberOption('weight-density', o.weightDensity, { min: 0 })!;
        const wLo = numberOption('weight-local-order', o.weightLocalOrder, { min: 0 })!;
        const wS02 = numberOption('weight-s02', o.weightS02, { min: 0 })!;
        const noise = numberOption('aug-noise', o.augNoise, { min: 0 })!;
        const dE = numberOption('aug-de', o.augDe, { min: 0 })!;
        let s02: [number, number] | null = null;
        if (o.augS02 !== undefined) {
          const v = o.augS02.split(':').map(Number);
          if (v.length !== 2 || !(v[0] > 0) || !(v[1] >= v[0]))
            throw new UserError(`--aug-s02: expected lo:hi with 0 < lo ≤ hi, got "${o.augS02}"`);
          s02 = [v[0], v[1]];
        }
        if (!['auto', 'wasm', 'native', 'js'].includes(o.engine))
          throw new UserError(`--engine: expected auto, wasm, native or js, got "${o.engine}"`);
        if (!['float32', 'float16', 'uint16', 'uint8'].includes(o.weights))
          throw new UserError(`--weights: expected float32, float16, uint16 or uint8, got "${o.weights}"`);
        const nn = await import('../../nn/index.js');
        let hidden: number[];
        try {
          hidden = nn.parseHidden(o.hidden);
        } catch (e) {
          throw new UserError(`--hidden: ${(e as Error).message}`);
        }
        const engine = o.engine === 'auto' ? nn.defaultEngine() : (o.engine as 'wasm' | 'native' | 'js');
        const data = await nn.readTrainingData(dataset);
        const modelK = nn.modelGrid(data.k, kmin, kmax);
        const extraHeads = [];
        const localOrder = nn.localOrderHead(wLo);
        if (wLo > 0 && nn.hasLabels(data, localOrder.columns!)) extraHeads.push(localOrder);
        else if (wLo > 0 && !o.quiet)
          process.stderr.write(
            `train: ${dataset} has no local-order columns (pairs_1551 … cna_other; made before they existed): no local_order head\n`,
          );
        if (wS02 > 0) {
          if (!s02) throw new UserError('--weight-s02 needs --aug-s02 lo:hi (the S0² head learns the augmentation draw)');
          extraHeads.push(nn.s02Head(wS02));
        }
        const arch = nn.architectureFor(
          modelK.length,
          data.r.length,
          data.theta.length,
          hidden,
          { g: wG, bad: wB, density: wD },
          extraHeads,
        );
        const total = members * epochs;
        const t0 = Date.now();
        const done = new Map<number, number>();
        const log = (s: string) => {
          if (!o.quiet) process.stderr.write(s + '\n');
        };
        log(
          `train: ${data.n} samples, input ${modelK.length} (k ${modelK[0]}…${modelK[modelK.length - 1]} Å⁻¹, k^${kweight}), ` +
            `layers ${[arch.nIn, ...hidden, arch.heads.reduce((a, h) => a + h.size, 0)].join('→')} (heads ${arch.heads.map((h) => h.name).join(', ')}), ${members} members, engine ${engine}, ${workers} worker(s)`,
        );
        const res = await nn.trainToDir(
          data,
          {
            arch,
            modelK,
            kweight,
            epochs,
            patience,
            batch,
            adam: { ...nn.DEFAULT_ADAM, lr },
            engine,
            augment: { noise, s02, dE },
            seed,
            folds,
            members,
            testFraction,
            calibrationFraction,
            workers,
          },
          o.out!,
          {
            weights: o.weights as 'float32',
            command: process.argv.slice(2).join(' '),
            modelForm: o.modelForm
              ? {
                  data: await nn.readTrainingData(o.modelForm),
                  provenance: o.modelFormNote ?? `spectra of ${o.modelForm}`,
                }
              : null,
          },
          (e) => {
            done.set(e.member, e.epoch);
            const sum = [...done.values()].reduce((a, b) => a + b, 0);
            const el = (Date.now() - t0) / 1000;
            // upper bound: every member runs all epochs (early stopping shortens it)
            const eta = (el / sum) * (total - sum);
            log(
              `member ${e.member + 1}/${members} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toExponential(3)} val ${e.val_loss.toExponential(3)} ` +
                `(best ${e.best_val_loss.toExponential(3)}) | ${el.toFixed(0)} s, ETA ≤ ${eta.toFixed(0)} s`,
            );
          },
        );
        const summary = {
          out: o.out,
          n: data.n,
          n_test: res.result.split.test.length,
          members: res.meta.members.map((m) => ({
            dir: m.dir,
            best_epoch: m.best_epoch,
            epochs_run: m.epochs_run,
            best_val_loss: m.best_val_loss,
            seconds: m.seconds,
            engine: m.engine,
          })),
          parameters: res.meta.architecture.parameters,
          seconds: res.result.seconds,
          calibration: res.meta.calibration ?? null,
        };
        if (o.json) printJson(summary);
        else
          log(
            `wrote ${o.out} (${members} members, ${res.result.seconds.toFixed(1)} s; ` +
              (res.meta.calibration
                ? `σ calibrated on ${res.meta.calibration.data.n} held-out samples)`
                : 'σ uncalibrated: --calibration-fraction 0)') +
              `; evaluate with: exafsnn evaluate ${o.out} ${dataset} --report DIR`,
          );
      }),
    );
}
