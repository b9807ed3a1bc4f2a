/**
 * `exafsnn evaluate DIR DATASET.h5 --report DIR`: test-set error of a trained ensemble per head
 * and per structure class against the trivial baseline, the worst cases, example predictions
 * with ±σ, and calibration of σ (fraction of true values inside ±1σ, ±2σ, …).
 */
import { canonicalSymbol, MODELLED_ELEMENTS } from '../../util/elements.js';
import type { Command } from 'commander';
import { action, printJson, numberOption } from '../output.js';
import { UserError } from '../../util/errors.js';

interface EvalCliOptions {
  report?: string;
  json?: boolean;
  all?: boolean;
  meltingPoint?: string;
}

export function register(program: Command): void {
  program
    .command('evaluate')
    .description(
      'Evaluate a model directory on its held-out test set (the indices stored in model.json) of the dataset it\n' +
        'was trained on: MSE per head and per structure class vs predicting the training mean, the 200 worst\n' +
        'samples, example predictions ±σ vs truth, and calibration of the ensemble σ. --report writes\n' +
        'report.html, SVG plots, evaluation.json and worst.csv.',
    )
    .argument('<model>', 'model directory written by `exafsnn train`')
    .argument('<dataset>', 'dataset file (HDF5)')
    .option('--report <dir>', 'write the report folder here')
    .option(
      '--all',
      'evaluate on every sample of the dataset (e.g. a different dataset), not only the stored test split',
    )
    .option(
      '--melting-point <K>',
      "the potential's melting point Tm: liquids below it are scored as 'undercooled' (per phase: crystal, liquid, undercooled); default: the measured Tm of the dataset element's shipped ZJW potential",
    )
    .option('--json', 'print one JSON document on stdout')
    .action(
      action(async (modelDir: string, dataset: string, o: EvalCliOptions) => {
        const nn = await import('../../nn/index.js');
        const ens = nn.loadEnsemble(modelDir);
        const data = await nn.readTrainingData(dataset);
        nn.checkDatasetGrids(ens, data, dataset);
        const split = ens.meta.split;
        let test: number[];
        let train: number[];
        let usedByCalibration = 0;
        if (o.all) {
          test = Array.from({ length: data.n }, (_, i) => i);
          train = test;
          // samples of this very file that calibrated the model (exafsnn calibrate MODEL FILE) are not scored
          const cal = ens.calibration;
          const calSha = (cal?.data.dataset as Record<string, unknown> | undefined)?.chi_sha256_head;
          if (
            cal?.data.source === 'other dataset' &&
            cal.data.indices &&
            calSha === data.identity?.chi_sha256_head
          ) {
            const u = new Set(cal.data.indices);
            test = test.filter((i) => !u.has(i));
            usedByCalibration = data.n - test.length;
          }
        } else {
          if (split.n !== data.n)
            throw new UserError(
              `${dataset}: has ${data.n} samples but the model was trained on a dataset of ${split.n} (${JSON.stringify(ens.meta.dataset.file ?? '')}); ` +
                'the stored test split does not apply — pass the training dataset, or --all to evaluate on every sample',
            );
          const want = ens.meta.dataset.chi_sha256_head;
          const got = data.identity?.chi_sha256_head;
          if (typeof want === 'string' && typeof got === 'string' && want !== got)
            throw new UserError(
              `${dataset}: /chi differs from the dataset the model was trained on (checksum ${got} ≠ ${want}); ` +
                'the stored test split does not apply — pass the training dataset, or --all to evaluate on every sample',
            );
          test = split.test;
          // a calibration made on half the test split (exafsnn calibrate on the training dataset):
          // those samples are not scored
          const used =
            ens.calibration?.data.source === 'half of the test split' ||
            ens.calibration?.data.source === 'calibration split and half of the test split'
              ? (ens.calibration.data.indices ?? [])
              : [];
          if (used.length) {
            const u = new Set(used);
            test = test.filter((i) => !u.has(i));
          }
          const inTest = new Uint8Array(data.n);
          for (const i of test) inTest[i] = 1;
          train = [];
          for (let i = 0; i < data.n; i++) if (!inTest[i]) train.push(i);
        }
        const t0 = Date.now();
        if (!o.all) usedByCalibration = split.test.length - test.length;
        const ev = nn.evaluateEnsemble(ens, data, test, train, { usedByCalibration });
        // Tm: given, else the dataset element's ZJW potential's own (src/util/elements.ts)
        const el = canonicalSymbol(
          String((data.identity?.attrs as Record<string, unknown> | undefined)?.element ?? ''),
        );
        const tm =
          numberOption('melting-point', o.meltingPoint, { min: 0 }) ??
          (el && MODELLED_ELEMENTS[el] ? MODELLED_ELEMENTS[el].tmZjw.value : null);
        const phases = nn.evaluatePhases(ens, data, test, train, { meltingPoint: tm });
        const seconds = (Date.now() - t0) / 1000;
        const doc = {
          model: modelDir,
          dataset,
          n_test: ev.n_test,
          heads: ev.heads,
          classes: ev.classes,
          calibration: ev.calibration,
          coverage: ev.coverage,
          uncertainty: { calibrated: ens.calibration !== null, sigma: nn.sigmaSentence(ens.calibration) },
          test_used_by_calibration: ev.test_used_by_calibration,
          first_shell: ev.first_shell,
          phases,
          worst: ev.worst,
          seconds,
        };
        if (o.report) {
          const rep = await import('../../report/index.js');
          const worstCsv =
            'rank,index,structure,mse_g,mse_bad\n' +
            ev.worst.map((w, i) => `${i + 1},${w.index},${w.structure},${w.mse_g},${w.mse_bad}`).join('\n') +
            '\n';
          const rendered = rep.renderEvaluateReport({
            title: `exafsnn evaluate ${modelDir}`,
            model: {
              name: modelDir,
              path: modelDir,
              version: String(ens.meta.version),
              members: ens.members.length,
              kweight: ens.kweight,
              k_range: [ens.k[0], ens.k[ens.k.length - 1]],
              dataset: String(ens.meta.dataset.file ?? ''),
              trained: ens.meta.created,
            },
            dataset,
            n_test: ev.n_test,
            heads: ev.heads,
            classes: ev.classes.map((c) => ({ name: c.name, n: c.n, mse: c.mse })),
            phases: phases.phases,
            melting_point: phases.melting_point,
            tolerance: phases.tolerance,
            worst: {
              mse: ev.worst.map((w) => w.mse_g),
              labels: ev.worst.map((w) => `${w.structure} #${w.index}`),
            },
            examples: ev.examples.map((e) => ({
              label: `${e.structure} #${e.index}`,
              r: ens.r,
              g_true: e.g_true,
              g_pred: e.pred.g,
              g_std: e.pred.g_std,
              theta: ens.theta,
              bad_true: e.bad_true,
              bad_pred: e.pred.bad,
              bad_std: e.pred.bad_std,
            })),
            calibration: ev.calibration,
            command: process.argv.slice(2).join(' '),
          });
          const w = rep.writeReport(o.report, rendered, {
            extra: { 'evaluation.json': JSON.stringify(doc, null, 1), 'worst.csv': worstCsv },
          });
          for (const n of w.notes) process.stderr.write(`exafsnn: note: ${n}\n`);
          process.stderr.write(`evaluate: report in ${w.html}\n`);
        }
        if (o.json) printJson(doc);
        else {
          const out = (s: string) => process.stdout.write(s + '\n');
          out(`test samples: ${ev.n_test}`);
          for (const h of ev.heads)
            out(
              `  ${h.name}: MSE ${h.mse.toExponential(3)} (baseline ${h.baseline_mse.toExponential(3)}, skill ${(1 - h.mse / h.baseline_mse).toFixed(3)})`,
            );
          for (const c of ev.classes)
            out(
              `  class ${c.name} (n=${c.n}): ` +
                Object.entries(c.mse)
                  .map(([k, v]) => `${k} ${v.toExponential(2)}`)
                  .join(', '),
            );
          for (const l of nn.formatPhases(phases)) out(l);
          for (const c of ev.calibration)
            out(
              `  calibration ${c.head}: ±1σ ${(c.observed[1] * 100).toFixed(1)} % (Gaussian 68.3 %), ±2σ ${(c.observed[3] * 100).toFixed(1)} % (95.4 %)`,
            );
          out(
            `  first shell (n=${ev.first_shell.n}${ev.first_shell.no_shell ? `, ${ev.first_shell.no_shell} without a shell` : ''}): ` +
              `|ΔCN| ${ev.first_shell.cn_mae.toFixed(3)}, |ΔR1| ${ev.first_shell.r_mae.toFixed(4)} Å`,
          );
          out(coverageTable(ev.coverage, ens.calibration !== null));
          out(`  ${nn.sigmaSentence(ens.calibration)}`);
          if (ev.test_used_by_calibration)
            out(`  (${ev.test_used_by_calibration} test samples used by the calibration are not scored)`);
        }
      }),
    );
}

const QUANTITY_NAME: Record<string, string> = {
  g: 'g(r)',
  bad: 'N(θ)',
  density: 'ρ',
  r1: 'R1',
  cn: 'CN',
  bad_peak: 'N(θ) peak',
};

/** The coverage table: share of truths inside ±1σ / ±2σ with the bare spread and the calibrated σ. */
export function coverageTable(
  rows: { quantity: string; n: number; before: [number, number]; after: [number, number] | null }[],
  calibrated: boolean,
): string {
  const pc = (c: [number, number] | null) =>
    c
      ? `${(100 * c[0]).toFixed(1).padStart(5)} % / ${(100 * c[1]).toFixed(1).padStart(5)} %`
      : '      —       ';
  const lines = [
    '  σ coverage: share of truths inside ±1σ / ±2σ (Gaussian 68.3 % / 95.4 %; target 60–75 % / 90–97 %)',
    `    ${'quantity'.padEnd(9)}${'n'.padStart(8)}   ${'ensemble spread'.padEnd(18)}  ${calibrated ? 'calibrated σ' : 'calibrated σ (model has no calibration)'}`,
  ];
  for (const r of rows)
    lines.push(
      `    ${(QUANTITY_NAME[r.quantity] ?? r.quantity).padEnd(9)}${String(r.n).padStart(8)}   ${pc(r.before).padEnd(18)}  ${pc(r.after)}`,
    );
  return lines.join('\n');
}
