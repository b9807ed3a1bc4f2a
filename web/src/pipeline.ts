/**
 * μ(E) → χ(k) → χ(R) in the browser with exactly the code the command line uses
 * (src/xas processSpectrum: text in, typed arrays out), shown through the report's adapter.
 */
import { processSpectrum } from '../../src/xas/process.js';
import { processingView } from '../../src/report/adapters.js';
import type { ProcessingView } from '../../src/report/types.js';
import type { ProcessResult } from '../../src/xas/process.js';

export interface ProcessSettings {
  e0?: number;
  rbkg: number;
  kweight: number;
  /** FT k range; undefined: the shared defaults (src/xas/ftDefaults.ts) */
  kmin?: number;
  kmax?: number;
  /** Athena project record (label or number) */
  group?: string;
}

export interface Processed {
  view: ProcessingView;
  element: string | null;
  edge: string | null;
  format: string;
  warnings: string[];
  steps: string[];
  /** the whole processing result (for the data download) */
  result: ProcessResult;
}

export function processText(text: string, name: string, s: ProcessSettings): Processed {
  const res = processSpectrum(text, name, {
    e0: s.e0,
    group: s.group,
    rbkg: s.rbkg,
    kweight: s.kweight,
    ft: { kmin: s.kmin, kmax: s.kmax, kweight: s.kweight },
  });
  const view = processingView(res);
  const steps: string[] = [`read ${res.format.toUpperCase()} (${res.source})`];
  if (res.input === 'mu') {
    steps.push(`${res.energy.length} energy points`);
    steps.push(`E₀ ${(res.e0 ?? NaN).toFixed(1)} eV, edge step ${(res.edge_step ?? NaN).toPrecision(3)}`);
    steps.push(`AUTOBK background (rbkg ${s.rbkg} Å), χ(k) to ${res.kmax_data.toFixed(1)} Å⁻¹`);
  } else steps.push('χ(k) given by the file (no background step)');
  steps.push(`Fourier transform k ${res.params.ft_kmin}–${res.params.ft_kmax} Å⁻¹ (${res.params.ft_window}, dk ${res.params.ft_dk})`);
  return {
    view,
    element: res.element,
    edge: res.edge,
    format: res.format,
    warnings: res.warnings,
    steps,
    result: res,
  };
}
