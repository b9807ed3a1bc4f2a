/**
 * Writing a rendered report to an output folder (Node only): report.html, each plot as SVG and
 * (when @resvg/resvg-js loads) PNG, the first-shell CSV and a JSON copy of the numbers.
 * The whole set is atomic (src/util/atomic.ts writeFileSetAtomic): every file is made in memory
 * (PNGs included), written under a temporary name, and only then renamed into place, report.html
 * last; a failure anywhere leaves the folder's old files as they were, not a report of one run
 * with figures or CSVs of another.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileSetAtomic } from '../util/atomic.js';
import { UserError } from '../util/errors.js';
import { svgToPng, loadResvg, pngUnavailableReason } from './png.js';
import type { RenderedReport } from './html.js';

export interface WriteReportOptions {
  /** also write PNGs (default true; skipped with a note when resvg is unavailable) */
  png?: boolean;
  /** PNG scale relative to the SVG size (default 2) */
  pngScale?: number;
  /** extra files to write (name → content), e.g. result.json */
  extra?: Record<string, string | Uint8Array>;
}

export interface WrittenReport {
  dir: string;
  html: string;
  files: string[];
  png: boolean;
  notes: string[];
}

export function writeReport(dir: string, rep: RenderedReport, opts: WriteReportOptions = {}): WrittenReport {
  const out = resolve(dir);
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new UserError(
      `--out ${dir}: cannot create the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (!statSync(out).isDirectory()) throw new UserError(`--out ${dir}: exists and is not a folder`);
  const set: Array<[string, string | Uint8Array]> = [];
  const notes: string[] = [];
  const wantPng = opts.png ?? true;
  const png = wantPng && loadResvg() !== null;
  if (wantPng && !png)
    notes.push(
      `PNG export unavailable (${pngUnavailableReason || '@resvg/resvg-js not installed'}); plots written as SVG only`,
    );
  const put = (name: string, data: string | Uint8Array) => set.push([name, data]);
  for (const p of rep.plots) {
    put(`${p.name}.svg`, p.svg);
    if (png) {
      const bytes = svgToPng(p.svg, opts.pngScale ?? 2);
      if (bytes) put(`${p.name}.png`, bytes);
    }
  }
  if (rep.csv) put('first_shell.csv', rep.csv);
  for (const [name, data] of Object.entries(opts.extra ?? {})) put(name, data);
  put('report.html', rep.html);
  writeFileSetAtomic(out, set, `--out ${dir}`);
  return { dir: out, html: join(out, 'report.html'), files: set.map(([name]) => name), png, notes };
}
