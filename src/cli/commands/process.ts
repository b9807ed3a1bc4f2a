/**
 * `exafsnn process SPECTRUM`: measured μ(E) → E0, edge step, normalised μ(E), AUTOBK χ(k), |χ(R)|.
 * DESIGN.md "Command line" contract; the work is in src/xas (imported lazily).
 */
import type { Command } from 'commander';
import { action, printJson, numberOption } from '../output.js';

interface ProcessCliOptions {
  element?: string;
  edge?: string;
  e0?: string;
  rbkg?: string;
  kweight?: string;
  dk?: string;
  window?: string;
  kmin?: string;
  kmax?: string;
  nknots?: string;
  clampLo?: string;
  clampHi?: string;
  pre1?: string;
  pre2?: string;
  norm1?: string;
  norm2?: string;
  nnorm?: string;
  mu?: string;
  i0?: string;
  itrans?: string;
  ifluor?: string;
  group?: string;
  format?: string;
  athenaParams?: boolean;
  checkEdge?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('process')
    .description(
      'Process a measured spectrum with Larch-compatible defaults: E0, pre-edge line, post-edge normalisation, ' +
        'edge step, AUTOBK background, χ(k) on a 0.05 Å⁻¹ grid and |χ(R)|. ' +
        'Reads XDI, plain column files, Athena projects (.prj, gzipped or not) and χ(k) files (.chi/.chik: k, χ; no background step).',
    )
    .argument('<spectrum>', 'spectrum file')
    .option('--element <symbol>', 'absorbing element (default: from the file, else guessed from E0)')
    .option('--edge <edge>', 'absorption edge: K, L1, L2, L3 (default: from the file, else K)')
    .option('--e0 <eV>', 'edge energy E0 in eV (default: maximum of dμ/dE)')
    .option('--rbkg <Å>', 'AUTOBK: R below which χ(R) is minimised (default 1)')
    .option('--kweight <w>', 'AUTOBK k-weight, also used for χ(R) (default 2)')
    .option('--dk <Å⁻¹>', 'AUTOBK window taper (default 0.1)')
    .option('--window <name>', 'AUTOBK window: hanning, kaiser, welch, parzen, sine, gaussian (default hanning)')
    .option('--kmin <Å⁻¹>', 'spline k range start (default 0)')
    .option('--kmax <Å⁻¹>', 'spline k range end (default: end of data)')
    .option('--nknots <n>', 'number of spline knots (default from rbkg and the k range)')
    .option('--clamp-lo <w>', 'low-k clamp weight (default 0)')
    .option('--clamp-hi <w>', 'high-k clamp weight (default 1)')
    .option('--pre1 <eV>', 'pre-edge fit start, relative to E0')
    .option('--pre2 <eV>', 'pre-edge fit end, relative to E0')
    .option('--norm1 <eV>', 'post-edge fit start, relative to E0')
    .option('--norm2 <eV>', 'post-edge fit end, relative to E0')
    .option('--nnorm <n>', 'post-edge polynomial degree (0–3; default from the range)')
    .option('--mu <col>', 'column holding μ(E) (1-based number or header name); for χ(k) files the χ column')
    .option('--i0 <col>', 'incident intensity column (with --itrans or --ifluor)')
    .option('--itrans <col>', 'transmitted intensity column: μ = ln(I0/It)')
    .option('--ifluor <col>', 'fluorescence column: μ = If/I0')
    .option('--group <label>', 'Athena project record to process (by its label)')
    .option('--format <fmt>', 'force the input format: xdi, columns, athena, chi (default: recognised)')
    .option('--athena-params', "use the Athena record's saved E0, energy shift, background and normalisation settings")
    .option('--no-check-edge', 'do not check E0 against the tabulated edge of the element')
    .option('--json', 'print one JSON document on stdout')
    .action(
      action(async (spectrum: string, o: ProcessCliOptions) => {
        const { processSpectrumFile } = await import('../../xas/node-io.js');
        const fmt = o.format;
        if (fmt !== undefined && !['xdi', 'columns', 'athena', 'chi', 'auto'].includes(fmt)) {
          const { UserError } = await import('../../util/errors.js');
          throw new UserError(`--format ${fmt}: expected xdi, columns, athena or chi`);
        }
        const res = processSpectrumFile(spectrum, {
          element: o.element,
          edge: o.edge,
          e0: numberOption('e0', o.e0, { min: 0 }),
          rbkg: numberOption('rbkg', o.rbkg, { min: 0 }),
          kweight: numberOption('kweight', o.kweight, { min: 0, max: 5 }),
          dk: numberOption('dk', o.dk, { min: 0 }),
          window: o.window,
          kmin: numberOption('kmin', o.kmin, { min: 0 }),
          kmax: numberOption('kmax', o.kmax, { min: 0 }),
          nknots: numberOption('nknots', o.nknots, { min: 5, max: 128, integer: true }),
          clamp_lo: numberOption('clamp-lo', o.clampLo, { min: 0 }),
          clamp_hi: numberOption('clamp-hi', o.clampHi, { min: 0 }),
          pre1: numberOption('pre1', o.pre1),
          pre2: numberOption('pre2', o.pre2),
          norm1: numberOption('norm1', o.norm1),
          norm2: numberOption('norm2', o.norm2),
          nnorm: numberOption('nnorm', o.nnorm, { min: 0, max: 3, integer: true }),
          mu: o.mu,
          i0: o.i0,
          itrans: o.itrans,
          ifluor: o.ifluor,
          group: o.group,
          format: fmt as 'xdi' | 'columns' | 'athena' | 'chi' | 'auto' | undefined,
          athenaParams: o.athenaParams,
          checkEdge: o.checkEdge,
        });
        if (o.json) {
          printJson(res);
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
        lines.push(`  χ(k)           ${res.k.length} points, k 0–${f(res.k[res.k.length - 1], 2)} Å⁻¹ (data reach ${f(res.kmax_data, 2)} Å⁻¹)`);
        let imax = 0;
        for (let i = 1; i < res.r.length; i++) if (res.chir_mag[i] > res.chir_mag[imax]) imax = i;
        const p = res.params;
        lines.push(`  |χ(R)|         max ${res.chir_mag[imax].toPrecision(4)} at R = ${f(res.r[imax], 2)} Å (k^${p.ft_kweight}, ${p.ft_window}, k ${p.ft_kmin}–${p.ft_kmax} Å⁻¹; not phase-corrected)`);
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );
}
