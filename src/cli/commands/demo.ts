/**
 * `exafsnn demo`: the whole pipeline on the built-in defaults — quick dataset (MD + FEFF-based χ(k)),
 * a small ensemble trained with the paper's protocol, its evaluation, and a prediction with a report
 * for a measured Ni foil spectrum. Each step runs the public sub-command, so the demo exercises
 * exactly what users run. Ends with the path of the report.
 */
import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { action, printJson, numberOption } from '../output.js';
import { UserError } from '../../util/errors.js';
import { packageRoot } from '../../util/packagePaths.js';

interface DemoOptions {
  out: string;
  spectrum?: string;
  workers?: string;
  hidden: string;
  epochs: string;
  fresh?: boolean;
  json?: boolean;
}

const mainJs = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.js');

/** Shipped or shared sample spectrum: ../shared/data (beside the repository), else data/spectra. */
function defaultSpectrum(): string {
  const root = packageRoot();
  const candidates = [
    join(root, '..', 'shared', 'data', 'spectra', 'Ni_foil_LISA_300K.xdi'),
    join(root, 'data', 'spectra', 'Ni_foil_LISA_300K.xdi'),
  ];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new UserError(`no sample spectrum found (looked in ${candidates.join(', ')}); pass --spectrum FILE`);
}

function step(label: string, args: string[], json: boolean): number {
  const t0 = Date.now();
  process.stderr.write(`\n== demo: ${label}\n   exafsnn ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [mainJs, ...args], {
    stdio: ['ignore', json ? 'ignore' : 'inherit', 'inherit'],
  });
  if (r.status !== 0)
    throw new UserError(`demo step "${label}" failed (exit ${r.status ?? r.signal}); see the messages above`);
  const s = (Date.now() - t0) / 1000;
  process.stderr.write(`   done in ${s.toFixed(1)} s\n`);
  return s;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the whole pipeline on built-in defaults (a few minutes on 2 cores): quick dataset (MD + γ-table χ(k)), a small ' +
        'network ensemble (5 folds), its evaluation, and a prediction with an HTML report for a measured Ni foil spectrum.',
    )
    .option('--out <dir>', 'working folder for the dataset, model and reports', 'exafsnn-demo')
    .option('--spectrum <file>', 'spectrum to analyse (default: the LISA Ni foil at 300 K)')
    .option('--workers <n>', 'worker threads for dataset generation and training (default: all cores)')
    .option('--hidden <spec>', 'hidden layers of the demo networks (the paper uses 1000x4)', '256x3')
    .option('--epochs <n>', 'maximum epochs per member', '150')
    .option('--fresh', 'regenerate the dataset even if the folder already has one')
    .option('--json', 'print one JSON summary on stdout')
    .action(
      action(async (o: DemoOptions) => {
        const out = resolve(o.out);
        mkdirSync(out, { recursive: true });
        const spectrum = o.spectrum ?? defaultSpectrum();
        const workers = numberOption('workers', o.workers, { min: 1, integer: true });
        const wargs = workers ? ['--workers', String(workers)] : [];
        const t0 = Date.now();
        const times: Record<string, number> = {};
        const ds = join(out, 'quick.h5');
        if (!existsSync(ds) || o.fresh) {
          times.dataset = step(
            'dataset (quick preset)',
            ['dataset', 'generate', '--preset', 'quick', '--out', ds, '--force', ...wargs],
            !!o.json,
          );
        } else process.stderr.write(`\n== demo: reusing ${ds} (use --fresh to regenerate)\n`);
        const model = join(out, 'model');
        times.train = step(
          'train (5-member ensemble)',
          [
            'train',
            ds,
            '--out',
            model,
            '--hidden',
            o.hidden,
            '--epochs',
            o.epochs,
            '--patience',
            '15',
            '--batch',
            '32',
            '--lr',
            '1e-3',
            ...(workers ? ['--workers', String(workers)] : ['--workers', '2']),
          ],
          !!o.json,
        );
        times.evaluate = step(
          'evaluate on the test set',
          ['evaluate', model, ds, '--report', join(out, 'evaluation')],
          !!o.json,
        );
        times.predict = step(
          'predict',
          ['predict', spectrum, '--model', model, '--out', join(out, 'report')],
          !!o.json,
        );
        const report = join(out, 'report', 'report.html');
        const total = (Date.now() - t0) / 1000;
        if (o.json) {
          printJson({
            report,
            evaluation: join(out, 'evaluation', 'report.html'),
            model,
            dataset: ds,
            spectrum,
            seconds: { ...times, total },
          });
          return;
        }
        console.log(`\ndemo finished in ${total.toFixed(0)} s`);
        console.log(`evaluation: ${join(out, 'evaluation', 'report.html')}`);
        console.log(`report: ${report}`);
      }),
    );
}
