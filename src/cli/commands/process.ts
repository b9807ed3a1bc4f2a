/**
 * `exafsnn process SPECTRUM`: measured μ(E) → E0, edge step, normalised μ(E), AUTOBK χ(k), |χ(R)|.
 * docs/design.md "Command line" contract; the work is in src/xas (imported lazily).
 */
import type { Command } from 'commander';
import { action, printJson } from '../output.js';
import { addSpectrumOptions, spectrumOptionsFrom, type SpectrumCliOptions } from '../spectrumOptions.js';

interface ProcessCliOptions extends SpectrumCliOptions {
  json?: boolean;
  out?: string;
  e0Method?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('process')
    .description(
      'Process a measured spectrum with Larch-compatible defaults: E0, pre-edge line, post-edge normalisation, ' +
        'edge step, AUTOBK background, χ(k) on a 0.05 Å⁻¹ grid and |χ(R)|. ' +
        'Reads XDI, plain column files, Athena projects (.prj, gzipped or not) and χ(k) files (.chi/.chik: k, χ; no background step).',
    )
    .argument('<spectrum>', 'spectrum file');
  addSpectrumOptions(cmd)
    .option(
      '--e0-method <m>',
      'E0 rule: derivative (Larch find_e0, default) or smooth (Gaussian-smoothed dμ/dE)',
    )
    .option(
      '--out <dir>',
      'write STEM_mu.dat (energy, μ, norm, pre-edge line, post-edge curve, background), STEM_chik.dat, STEM_chir.dat ' +
        '(column files with commented headers, as Athena and Larch write them) and STEM_process.json into this folder',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(
      action(async (spectrum: string, o: ProcessCliOptions) => {
        const { processSpectrumFile } = await import('../../xas/node-io.js');
        if (o.e0Method !== undefined && o.e0Method !== 'derivative' && o.e0Method !== 'smooth') {
          const { UserError } = await import('../../util/errors.js');
          throw new UserError(`--e0-method ${o.e0Method}: expected derivative or smooth`);
        }
        const res = processSpectrumFile(spectrum, {
          ...spectrumOptionsFrom(o),
          e0Method: o.e0Method as 'derivative' | 'smooth' | undefined,
        });
        let written: string[] = [];
        if (o.out) {
          const { processExport } = await import('../../report/export.js');
          const { writeFilesAtomic, packageVersion } = await import('../../report/exportWrite.js');
          const files = processExport(res, {
            version: packageVersion(),
            command: `exafsnn ${process.argv.slice(2).join(' ')}`,
          });
          written = writeFilesAtomic(o.out, files);
        }
        if (o.json) {
          printJson(o.out ? { ...res, files: written } : res);
          return;
        }
        for (const w of res.warnings) process.stderr.write(`warning: ${w}\n`);
        const f = (x: number | null, d = 3) => (x === null ? 'n/a' : x.toFixed(d));
        const g = (x: unknown) => (typeof x === 'number' ? String(Number(x.toFixed(2))) : String(x));
        const lines = [
          `${res.file}${res.label ? ` [${res.label}]` : ''}  (${res.format}; signal: ${res.source})`,
          `  element/edge   ${res.element ?? '?'} ${res.edge ?? ''}${res.edge_energy !== null ? `  (tabulated ${res.edge_energy} eV)` : ''}`,
        ];
        if (res.input === 'mu') {
          const p = res.params;
          lines.push(
            `  E0             ${f(res.e0, 2)} eV`,
            `  edge step      ${f(res.edge_step, 4)}`,
            `  energy         ${res.energy.length} points, ${f(res.energy[0], 1)}–${f(res.energy[res.energy.length - 1], 1)} eV`,
            `  pre-edge       [${g(p.pre1)}, ${g(p.pre2)}] eV;  post-edge [${g(p.norm1)}, ${g(p.norm2)}] eV, degree ${p.nnorm}`,
            `  AUTOBK         rbkg ${p.rbkg} Å, kweight ${p.kweight}, ${p.nknots} knots, k ${f(p.kmin as number, 2)}–${f(p.kmax as number, 2)} Å⁻¹, ${p.window} dk ${p.dk}, clamps ${p.clamp_lo}/${p.clamp_hi}`,
          );
        } else lines.push('  input          χ(k) (no background step)');
        lines.push(
          `  χ(k)           ${res.k.length} points, k 0–${f(res.k[res.k.length - 1], 2)} Å⁻¹ (data reach ${f(res.kmax_data, 2)} Å⁻¹)`,
        );
        let imax = 0;
        for (let i = 1; i < res.r.length; i++) if (res.chir_mag[i] > res.chir_mag[imax]) imax = i;
        const p = res.params;
        lines.push(
          `  |χ(R)|         max ${res.chir_mag[imax].toPrecision(4)} at R = ${f(res.r[imax], 2)} Å (k^${p.ft_kweight}, ${p.ft_window}, k ${p.ft_kmin}–${p.ft_kmax} Å⁻¹; not phase-corrected)`,
        );
        if (written.length) lines.push(`  written        ${written.join(', ')}`);
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );
}
