/**
 * `exafsnn predict SPECTRUM… [--model DIR|name] [--out DIR] [--csv FILE] [--json]`:
 * process each spectrum, predict g(r) ± σ and N(θ) ± σ with the ensemble, first-shell R1 and CN,
 * and re-simulate χ(k) from the prediction (forward check). With --out, an HTML report.
 */
import type { Command } from 'commander';
import { action, printJson } from '../output.js';
import { addSpectrumOptions, spectrumOptionsFrom, type SpectrumCliOptions } from '../spectrumOptions.js';

interface PredictCliOptions extends SpectrumCliOptions {
  model?: string;
  out?: string;
  csv?: string;
  resimulate?: boolean;
  png?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('predict')
    .description(
      'Predict the local structure from measured spectra: g(r) ± σ and N(θ) ± σ from the network ensemble, first-shell ' +
        'R1 and CN with σ, and χ(k) re-simulated from the prediction against the data (R-factor). Several files (a ' +
        'temperature series) give a table of first-shell results, one row per file.',
    )
    .argument('<spectra...>', 'spectrum files (XDI, columns, Athena .prj, χ(k) files)')
    .option(
      '--model <dir|name>',
      'model directory or shipped model name (default: the shipped model for the element and edge)',
    )
    .option('--out <dir>', 'write the HTML report, plots (SVG/PNG) and first_shell.csv into this folder')
    .option('--csv <file>', 'write the first-shell table (one row per file) as CSV')
    .option('--no-resimulate', 'skip the forward check (χ(k) re-simulated from the prediction)')
    .option('--no-png', 'plots as SVG only');
  addSpectrumOptions(cmd)
    .option('--json', 'print one JSON document on stdout')
    .action(
      action(async (spectra: string[], o: PredictCliOptions) => {
        const { predictFile, predictionJson, shortName } = await import('../predictRun.js');
        const popts = { ...spectrumOptionsFrom(o), model: o.model, noResimulate: o.resimulate === false };
        const results = [];
        // --group all: every μ(E)/χ(k) record of an Athena project is one spectrum of the series
        const { athenaRecordLabels } = await import('../../xas/node-io.js');
        for (const f of spectra) {
          const groups = o.group?.toLowerCase() === 'all' ? athenaRecordLabels(f) : [o.group];
          for (const g of groups) {
            if (!o.json)
              process.stderr.write(
                `predict: ${f}${g !== undefined && o.group?.toLowerCase() === 'all' ? ` [${g}]` : ''}\n`,
              );
            results.push(predictFile(f, { ...popts, group: g }));
          }
        }
        const rows = results.map((p) => ({
          file: shortName(p.file),
          element: p.process.element,
          e0: p.process.e0,
          r1: p.prediction.first_shell.r,
          r1_std: p.prediction.first_shell.r_std,
          cn: p.prediction.first_shell.cn,
          cn_std: p.prediction.first_shell.cn_std,
          density: p.prediction.density,
          // R-space R-factor of the forward check and its R window [Å]
          r_factor: p.resimulated?.r_factor ?? null,
          r_range: p.resimulated?.r_range ?? null,
        }));
        if (o.csv) {
          // the same columns as first_shell.csv of --out (src/report/export.ts)
          const { writeFileAtomic } = await import('../../util/atomic.js');
          const { firstShellRows } = await import('../predictExport.js');
          const { firstShellCsv } = await import('../../report/export.js');
          writeFileAtomic(o.csv, firstShellCsv(firstShellRows(results, predictionJson)));
        }
        let reportPath: string | null = null;
        if (o.out) {
          const { writePredictReport } = await import('../predictReport.js');
          reportPath = await writePredictReport(o.out, results, {
            png: o.png !== false,
            command: process.argv.slice(2).join(' '),
          });
        }
        if (o.json) {
          if (results.length === 1) printJson({ ...predictionJson(results[0]), report: reportPath });
          else
            printJson({
              model: results[0]?.model,
              results: results.map(predictionJson),
              table: rows,
              report: reportPath,
            });
          return;
        }
        for (const p of results) {
          for (const w of p.warnings) process.stderr.write(`warning: ${shortName(p.file)}: ${w}\n`);
        }
        const f = (x: number | null | undefined, d: number) =>
          x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d);
        // value ± σ rounded to what σ supports (the report's rule)
        const { pm } = await import('../../report/html.js');
        console.log(`model: ${results[0]?.model}`);
        console.log(
          'file'.padEnd(32) +
            'R1 (Å)'.padEnd(18) +
            'CN'.padEnd(16) +
            'ρ (Å⁻³)'.padEnd(10) +
            'R-factor (R window)',
        );
        for (const r of rows) {
          console.log(
            r.file.padEnd(32) +
              pm(r.r1, r.r1_std, 3).padEnd(18) +
              pm(r.cn, r.cn_std, 1).padEnd(16) +
              f(r.density, 4).padEnd(10) +
              f(r.r_factor, 4) +
              (r.r_range ? ` (R ${r.r_range[0].toFixed(2)}–${r.r_range[1].toFixed(2)} Å)` : ''),
          );
        }
        for (const p of results) {
          const c = p.prediction.first_shell.combined;
          if (c)
            console.log(
              `${shortName(p.file)}: split first shell (bcc-like 8 + 6): CN above is the first sub-shell; combined shell R1 ${pm(c.r, c.r_std, 3)} Å, CN ${pm(c.cn, c.cn_std, 1)}`,
            );
        }
        for (const p of results) {
          const lo = p.prediction.local_order;
          if (lo) {
            const pc = (v: { mean: number; std: number }) => `${pm(100 * v.mean, 100 * v.std, 1)} %`;
            console.log(
              `${shortName(p.file)}: local order: first-shell pairs 1551 (icosahedral) ${pc(lo.pairs_1551)}, 1421 ${pc(lo.pairs_1421)}, ` +
                `1422 ${pc(lo.pairs_1422)}; CNA atoms ico ${pc(lo.atoms.ico)}, fcc ${pc(lo.atoms.fcc)}, hcp ${pc(lo.atoms.hcp)}, bcc ${pc(lo.atoms.bcc)}`,
            );
          }
        }
        for (const p of results) {
          const pk = p.prediction.bad_peaks;
          if (pk.length > 0)
            console.log(
              `${shortName(p.file)}: N(θ) peaks ${pk.map((x) => `${pm(x.theta, x.theta_std, 1)}°`).join(', ')}`,
            );
        }
        // what σ contains, said once (per distinct sentence)
        for (const s of new Set(results.map((p) => p.prediction.uncertainty.sigma))) console.log(s + '.');
        if (reportPath) console.log(`report: ${reportPath}`);
      }),
    );
}
