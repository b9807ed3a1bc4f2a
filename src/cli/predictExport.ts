/**
 * The files `predict --out` writes besides the report (src/report/export.ts): per spectrum every
 * curve as CSV with its σ column and STEM_prediction.json with every number and its provenance
 * (input SHA-256, model name and a hash of its files, software version, processing and FT settings);
 * first_shell.csv with the columns of `predict --csv`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  firstShellCsv,
  firstShellRow,
  predictionExport,
  resimulatedSpread,
  uniqueStems,
  type PredictionMembers,
} from '../report/export.js';
import { modelFilesHash, packageVersion, sha256File } from '../report/exportWrite.js';
import { temperatureOf } from '../report/adapters.js';
import { loadTables } from '../theory/table.js';
import type { PredictResult } from './predictRun.js';

/** σ of the re-simulated χ(k) of a prediction (export.ts resimulatedSpread), null when it cannot be had. */
export function resimulatedStd(p: PredictResult): Float64Array | null {
  const rs = p.resimulated;
  if (!rs || (p.prediction.members ?? []).length < 2 || !p.process.element) return null;
  let meta: { kweight?: number; k?: number[] } = {};
  try {
    meta = JSON.parse(readFileSync(`${p.model}/model.json`, 'utf8')) as typeof meta;
  } catch {
    return null;
  }
  if (!meta.k?.length || meta.kweight === undefined) return null;
  let tables;
  try {
    tables = loadTables(p.process.element, (p.process.edge ?? 'K').toUpperCase());
  } catch {
    return null;
  }
  return resimulatedSpread(
    tables,
    p.prediction as unknown as PredictionMembers,
    { k: meta.k, kweight: meta.kweight },
    p.process.k,
    p.process.chi,
    { dE: rs.dE, s02: rs.s02, n: rs.chi.length },
  );
}

const modelHashes = new Map<string, { sha256: string; files: number }>();

function modelProvenance(dir: string): Record<string, unknown> {
  let h = modelHashes.get(dir);
  if (!h) {
    h = modelFilesHash(dir);
    modelHashes.set(dir, h);
  }
  let meta: Record<string, unknown> = {};
  try {
    meta = JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')) as Record<string, unknown>;
  } catch {
    /* the model loaded, so model.json exists; a read race only loses these fields */
  }
  const k = (meta.k as number[] | undefined) ?? [];
  return {
    name: basename(dir),
    path: dir,
    files_sha256: h.sha256,
    files: h.files,
    version: meta.version ?? null,
    created: meta.created ?? null,
    members: Array.isArray(meta.members) ? meta.members.length : null,
    kweight: meta.kweight ?? null,
    k_range: k.length ? [k[0], k[k.length - 1]] : null,
  };
}

function fileText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').slice(0, 20000);
  } catch {
    return undefined;
  }
}

/** One row per spectrum for `predict --csv` and first_shell.csv. */
export function firstShellRows(
  results: PredictResult[],
  toJson: (p: PredictResult) => Record<string, unknown>,
): Array<Record<string, string | number | null>> {
  return results.map((p) =>
    firstShellRow(toJson(p), {
      temperature_K: temperatureOf(p.process.label ?? p.file, fileText(p.file)) ?? null,
      label: p.process.label,
    }),
  );
}

/** name → text of every exported file (first_shell.csv and, per spectrum, the CSVs and the JSON). */
export function predictExportFiles(
  results: PredictResult[],
  toJson: (p: PredictResult) => Record<string, unknown>,
  command?: string,
): Record<string, string> {
  const version = packageVersion();
  const created = new Date().toISOString();
  const stems = uniqueStems(results.map((p) => ({ file: p.file, label: p.process.label })));
  const out: Record<string, string> = {};
  results.forEach((p, i) => {
    const { files } = predictionExport({
      stem: stems[i],
      process: p.process,
      prediction: toJson(p),
      resimStd: resimulatedStd(p),
      provenance: {
        exafsnn_version: version,
        created,
        command: command ? `exafsnn ${command}` : null,
        input: { file: p.file, sha256: sha256File(p.file) },
        model: modelProvenance(p.model),
      },
    });
    for (const f of files) out[f.name] = f.text;
  });
  out['first_shell.csv'] = firstShellCsv(firstShellRows(results, toJson));
  return out;
}
