/** The HTML report of `predict` (src/report), filled from the prediction results. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPredictReport, spectrumReport, writeReport } from '../report/index.js';
import type { ModelView } from '../report/types.js';
import { packageVersion } from '../util/packagePaths.js';
import { predictionJson, type PredictResult } from './predictRun.js';
import { predictExportFiles } from './predictExport.js';

/** Attribution lines for spectra from the shared LISA collection (CC BY 4.0). */
function attributionFor(results: PredictResult[]): string[] {
  const out: string[] = [];
  if (results.some((r) => /LISA/i.test(r.file))) {
    out.push(
      'Spectra: based on the LISA XAS Repository by Alessandro Puri, original repository DOI 10.5281/zenodo.10778098 ' +
        '(CC BY 4.0, https://creativecommons.org/licenses/by/4.0/).',
    );
  }
  return out;
}

function modelView(r: PredictResult): ModelView {
  const meta = JSON.parse(readFileSync(join(r.model, 'model.json'), 'utf8')) as Record<string, unknown>;
  const k = meta.k as number[];
  const metrics: Record<string, number | string> = {};
  for (const [key, v] of Object.entries((meta.metrics as Record<string, unknown>) ?? {})) {
    if (typeof v === 'number' || typeof v === 'string') metrics[key] = v;
  }
  const ds = (meta.dataset as Record<string, unknown>) ?? {};
  return {
    name: r.model.split(/[\\/]/).pop() ?? r.model,
    path: r.model,
    version: String(meta.version ?? ''),
    members: (meta.members as unknown[])?.length,
    kweight: meta.kweight as number,
    k_range: [k[0], k[k.length - 1]],
    element: typeof ds.element === 'string' ? ds.element : undefined,
    dataset: typeof ds.path === 'string' ? ds.path : typeof ds.file === 'string' ? ds.file : undefined,
    trained: String(meta.created ?? ''),
    metrics,
  };
}

export async function writePredictReport(
  dir: string,
  results: PredictResult[],
  opts: { png: boolean; command?: string },
): Promise<string> {
  const pkg = { version: packageVersion() };
  const spectra = results.map((p) => {
    const resim = p.resimulated
      ? {
          k: p.resimulated.k,
          chi: p.resimulated.chi,
          chi_data: p.process.chi,
          r_factor: p.resimulated.r_factor,
          r_range: p.resimulated.r_range,
          r_factor_k: p.resimulated.r_factor_k,
          k_range: p.resimulated.k_range,
          chir: p.resimulated.chir,
          note: p.resimulationNote,
        }
      : undefined;
    let text: string | undefined;
    try {
      text = readFileSync(p.file, 'utf8').slice(0, 20000);
    } catch {
      text = undefined;
    }
    return spectrumReport(p.process, p.prediction, {
      resimulated: resim,
      text,
      warnings: p.warnings.filter((w) => !p.process.warnings.includes(w)),
    });
  });
  const rendered = renderPredictReport({
    title:
      results.length === 1
        ? `exafsnn prediction: ${spectra[0].file.split(/[\\/]/).pop()}`
        : 'exafsnn predictions',
    spectra,
    model: results.length ? modelView(results[0]) : undefined,
    attribution: attributionFor(results),
    version: pkg.version,
    command: opts.command ? `exafsnn ${opts.command}` : undefined,
  });
  // every curve as CSV with σ, the JSON with provenance, and the one first-shell table (export.ts):
  // built before anything is written, so a failure leaves the folder as it was
  const exported = predictExportFiles(results, predictionJson, opts.command);
  rendered.csv = null;
  const written = writeReport(dir, rendered, { png: opts.png, extra: exported });
  for (const n of written.notes) process.stderr.write(`note: ${n}\n`);
  return written.html;
}
