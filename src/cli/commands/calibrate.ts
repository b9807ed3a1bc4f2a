/**
 * `exafsnn calibrate DIR DATASET.h5`: fit the σ calibration of an existing model directory
 * (src/nn/calibration.ts) on data no member trained on, and store it in model.json's
 * `calibration` (docs/nn.md, "Uncertainty"). `train` does this by itself on its calibration split;
 * this command is for models trained without one, or to add the model-form term.
 *
 * Which samples: with the training dataset, the model's calibration split when it has one, else
 * every other sample of its test split (evaluate then scores only the other half); with any other
 * dataset (same theory and grids), every other sample of it (evaluate --all on that file scores the
 * other half). --with-test-half adds every other test sample to the calibration split (for a small
 * split: 10 % of a 1100-spectrum set leaves ±2σ's tail to ~5 spectra; measured on the shipped Cu model,
 * R1 ±2σ on the other test half 88.5 % → 90.3 %, CN 85.8 → 90.3 %); evaluate then scores the other half.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { action, printJson } from '../output.js';
import { UserError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/atomic.js';

interface CalibrateCliOptions {
  withTestHalf?: boolean;
  modelForm?: string;
  modelFormNote?: string;
  modelFormFit?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('calibrate')
    .description(
      'Calibrate the σ of a model directory on held-out data and store it in its model.json: per head (g(r), N(θ), ρ)\n' +
        'and per derived number (R1, CN), σ = √((scale·spread)² + floor² + model_form²), fitted so that 68 % / 95 % of\n' +
        'the truths lie inside ±1σ / ±2σ. With the training dataset it uses the calibration split, or half the test split.',
    )
    .argument('<model>', 'model directory')
    .argument('<dataset>', 'dataset file (HDF5): the training dataset, or another one made with the same theory')
    .option(
      '--model-form <dataset.h5>',
      "spectra made with another potential or theory (same grids): the model's extra error on them becomes the model-form term",
    )
    .option('--model-form-note <text>', 'what --model-form is (stored as its provenance)')
    .option(
      '--model-form-fit <how>',
      'additive: the measured model-form term is added to every σ; joint: scale and floor are fitted on the\n' +
        'calibration spectra and the --model-form spectra together (σ follows the members\' spread there too)',
      'additive',
    )
    .option(
      '--with-test-half',
      'with the training dataset: calibrate on the calibration split plus every other test sample (evaluate scores the other half)',
    )
    .option('--json', 'print the calibration as JSON on stdout')
    .action(
      action(async (modelDir: string, dataset: string, o: CalibrateCliOptions) => {
        const nn = await import('../../nn/index.js');
        const { fitCalibration } = await import('../../nn/calibration.js');
        const ens = nn.loadEnsemble(modelDir);
        const data = await nn.readTrainingData(dataset);
        nn.checkDatasetGrids(ens, data, dataset);
        const split = ens.meta.split;
        const want = ens.meta.dataset.chi_sha256_head;
        const got = data.identity?.chi_sha256_head;
        const same = split.n === data.n && (typeof want !== 'string' || typeof got !== 'string' || want === got);
        let idx: number[];
        let source: 'calibration split' | 'half of the test split' | 'calibration split and half of the test split' | 'other dataset';
        const testHalf = () => [...split.test].sort((a, b) => a - b).filter((_, i) => i % 2 === 0);
        if (o.withTestHalf && !same)
          throw new UserError(`${dataset}: --with-test-half needs the model's training dataset (its test split)`);
        if (same && o.withTestHalf && split.calibration && split.calibration.length > 0) {
          idx = [...split.calibration, ...testHalf()];
          source = 'calibration split and half of the test split';
        } else if (same && split.calibration && split.calibration.length > 0) {
          idx = split.calibration;
          source = 'calibration split';
        } else if (same) {
          idx = testHalf();
          source = 'half of the test split';
        } else {
          // every other sample, so that evaluate --all on the same file scores the other half
          idx = Array.from({ length: data.n }, (_, i) => i).filter((i) => i % 2 === 0);
          source = 'other dataset';
        }
        if (idx.length < 10)
          throw new UserError(`${dataset}: only ${idx.length} held-out samples for the calibration; at least 10 are needed`);
        const fit = o.modelFormFit ?? 'additive';
        if (fit !== 'additive' && fit !== 'joint')
          throw new UserError(`--model-form-fit: expected additive or joint, got "${fit}"`);
        let modelForm: NonNullable<Parameters<typeof fitCalibration>[4]>['modelForm'] = null;
        if (o.modelForm) {
          const other = await nn.readTrainingData(o.modelForm);
          nn.checkDatasetGrids(ens, other, o.modelForm);
          modelForm = { data: other, provenance: o.modelFormNote ?? defaultProvenance(o.modelForm, other), fit };
        }
        const cal = fitCalibration(ens, data, idx, source, {
          modelForm,
          recordIndices: source !== 'calibration split',
        });
        const path = join(modelDir, 'model.json');
        const meta = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
        meta.calibration = cal;
        writeFileAtomic(path, JSON.stringify(meta, null, 1));
        if (o.json) {
          printJson(cal);
          return;
        }
        const out = (s: string) => process.stdout.write(s + '\n');
        out(`calibrated ${modelDir} on ${idx.length} samples (${source} of ${dataset})`);
        for (const [q, t] of Object.entries(cal.terms)) {
          const b = cal.coverage.before[q as 'g']!;
          const a = cal.coverage.after[q as 'g']!;
          out(
            `  ${q.padEnd(8)} scale ${t!.scale.toPrecision(3)}, floor ${t!.floor.toPrecision(3)}, model-form ${t!.model_form.toPrecision(3)}${t!.proportional ? `, proportional ${t!.proportional.toPrecision(3)}` : ''}; ` +
              `inside ±1σ/±2σ ${(100 * b[0]).toFixed(1)}/${(100 * b[1]).toFixed(1)} % → ${(100 * a[0]).toFixed(1)}/${(100 * a[1]).toFixed(1)} %`,
          );
        }
        if (cal.data.s02_draws)
          out(
            `  s02 measured on the same spectra with χ scaled by S0² drawn in [${cal.data.s02_draws.range.join(', ')}] ` +
              `(the training augmentation; seed ${cal.data.s02_draws.seed}), truth = dataset S0² × draw`,
          );
        if (cal.model_form)
          out(
            cal.model_form.fit === 'joint'
              ? `  scale and floor fitted on these and ${cal.model_form.n} model-form spectra together: ${cal.model_form.provenance}`
              : `  model-form term measured on ${cal.model_form.n} spectra: ${cal.model_form.provenance}`,
          );
        out(`  ${nn.sigmaSentence(cal)}`);
      }),
    );
}

/**
 * What a model-form dataset is, from its own identity when no --model-form-note is given: the spec's
 * name, the potential that made the configurations, the MD engine and the γ tables.
 */
export function defaultProvenance(file: string, d: { n: number; identity?: Record<string, unknown> }): string {
  const attrs = (d.identity?.attrs ?? {}) as Record<string, unknown>;
  const parse = (v: unknown): Record<string, unknown> => {
    try {
      return typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const id = parse(attrs.identity);
  const spec = parse(attrs.spec);
  const tables = parse(id.tables);
  const base = (p: unknown) => (typeof p === 'string' ? p.split('/').pop() : undefined);
  const parts = [
    typeof spec.name === 'string' ? `spec ${spec.name}` : null,
    base(id.potential) ? `configurations from ${base(id.potential)}` : null,
    typeof id.engine === 'string' ? `${id.engine} MD` : null,
    typeof tables.file === 'string' ? `χ from ${tables.file}` : null,
  ].filter((x): x is string => x !== null);
  return `${d.n} spectra of ${file.split('/').pop()}` + (parts.length ? ` (${parts.join(', ')})` : '');
}
