/**
 * The input flags shared by `process` and `predict` (docs/design.md: "predict takes the same input flags"):
 * element/edge, E0, AUTOBK settings, column selection, Athena record.
 */
import type { Command } from 'commander';
import { numberOption } from './output.js';
import { UserError } from '../util/errors.js';
import type { ProcessOptions } from '../xas/process.js';
import { FT_DEFAULTS } from '../xas/ftDefaults.js';

export interface SpectrumCliOptions {
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
  ftKmin?: string;
  ftKmax?: string;
  ftDk?: string;
  ftWindow?: string;
  ftKweight?: string;
}

export function addSpectrumOptions(cmd: Command): Command {
  return cmd
    .option('--element <symbol>', 'absorbing element (default: from the file, else guessed from E0)')
    .option('--edge <edge>', 'absorption edge: K, L1, L2, L3 (default: from the file, else K)')
    .option('--e0 <eV>', 'edge energy E0 in eV (default: maximum of dμ/dE)')
    .option('--rbkg <Å>', 'AUTOBK: R below which χ(R) is minimised (default 1)')
    .option('--kweight <w>', 'AUTOBK k-weight (default 2)')
    .option('--dk <Å⁻¹>', 'AUTOBK window taper (default 0.1)')
    .option(
      '--window <name>',
      'AUTOBK window: hanning, kaiser, welch, parzen, sine, gaussian (default hanning)',
    )
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
    .option(
      '--group <label>',
      'Athena project record: its label as Athena shows it, or its number (predict: "all" takes every μ(E)/χ(k) record)',
    )
    .option('--format <fmt>', 'force the input format: xdi, columns, athena, chi (default: recognised)')
    .option(
      '--athena-params',
      "use the Athena record's saved E0, energy shift, background and normalisation settings",
    )
    .option('--no-check-edge', 'do not check E0 against the tabulated edge of the element')
    .option('--ft-kmin <Å⁻¹>', `χ(R) Fourier transform: k range start (default ${FT_DEFAULTS.kmin})`)
    .option(
      '--ft-kmax <Å⁻¹>',
      `χ(R) Fourier transform: k range end (default ${FT_DEFAULTS.kmax}, or 0.5 below the end of the data)`,
    )
    .option('--ft-dk <Å⁻¹>', `χ(R) Fourier transform: window sill width (default ${FT_DEFAULTS.dk})`)
    .option(
      '--ft-window <name>',
      `χ(R) Fourier transform window: hanning, kaiser, welch, parzen, sine, gaussian (default ${FT_DEFAULTS.window})`,
    )
    .option('--ft-kweight <w>', `χ(R) Fourier transform k-weight (default ${FT_DEFAULTS.kweight})`);
}

export function spectrumOptionsFrom(o: SpectrumCliOptions): ProcessOptions {
  const fmt = o.format;
  if (fmt !== undefined && !['xdi', 'columns', 'athena', 'chi', 'auto'].includes(fmt)) {
    throw new UserError(`--format ${fmt}: expected xdi, columns, athena or chi`);
  }
  return {
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
    format: fmt as ProcessOptions['format'],
    athenaParams: o.athenaParams,
    checkEdge: o.checkEdge,
    ft: {
      kmin: numberOption('ft-kmin', o.ftKmin, { min: 0 }),
      kmax: numberOption('ft-kmax', o.ftKmax, { min: 0 }),
      dk: numberOption('ft-dk', o.ftDk, { min: 0 }),
      window: o.ftWindow,
      kweight: numberOption('ft-kweight', o.ftKweight, { min: 0, max: 5 }),
    },
  };
}
