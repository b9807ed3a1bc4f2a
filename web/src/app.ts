/**
 * The browser app: a dropped spectrum is read with FileReader/Blob APIs, processed with src/xas,
 * fed to the network ensemble (TensorFlow.js, WebAssembly backend) and shown with the same
 * figures as the HTML report. Nothing leaves the browser.
 *
 * For tests: <body data-state> is idle | loading | done | error, and window.exafsnnResult holds
 * the last result's numbers.
 */
import {
  muFigure,
  chikFigure,
  chirFigure,
  grFigure,
  badFigure,
  resimFigure,
  resimRFigure,
  rRangeLabel,
  thetaPeaks,
} from '../../src/report/figures.js';
import { pm, renderPredictReport, slug, localOrderRows, localOrderCard } from '../../src/report/html.js';
import { escapeXml } from '../../src/report/plot.js';
import type { PredictionView, SpectrumReport } from '../../src/report/types.js';
import type { Ensemble } from '../../src/nn/predict.js';
import { processText, type ProcessSettings } from './pipeline.js';
import { spectrumTextFromBytes } from '../../src/xas/bytes.js';
import { loadBrowserEnsemble, predict } from './model.js';
import { chooseModel } from '../../src/util/modelChoice.js';
import { fetchTables } from './tables.js';
import {
  forwardCheckOfPrediction,
  resimulatedJson,
  resimulatedViewOf,
  temperatureOf,
} from '../../src/report/adapters.js';
import { rFactorWarning } from '../../src/exafs/resimulate.js';
import {
  predictionExport,
  firstShellRow,
  firstShellCsv,
  uniqueStems,
  resimulatedSpread,
  type ExportFile,
} from '../../src/report/export.js';
import { zipFiles } from '../../src/report/zip.js';
import { seriesRows } from '../../src/report/html.js';
import { FT_DEFAULTS } from '../../src/xas/ftDefaults.js';
import type { ProcessResult } from '../../src/xas/process.js';
import { forApp } from './wording.js';
import { isAthenaProject, parseAthenaProject } from '../../src/xas/athena.js';

interface AppConfig {
  model: string | null;
  tables?: string | null;
  model_name?: string | null;
  version?: string | null;
  /** every model the server offers (src/report/server.ts), chosen per spectrum by element */
  models?: { name: string; url: string; element: string | null; edge: string | null }[];
}

declare global {
  interface Window {
    exafsnnResult?: unknown;
  }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let ensemble: Ensemble | null = null;
let ensembleError: string | null = null;
let ensembleLoading: Promise<void> | null = null;
let last: { text: string; name: string } | null = null;

/** One analysed spectrum of the current batch (several files dropped at once: a temperature series). */
interface BatchItem {
  name: string;
  text: string;
  sha256: string | null;
  section: SpectrumReport;
  process: ProcessResult;
  /** the prediction in predict --json's layout (null without a model) */
  prediction: Record<string, unknown> | null;
  /** σ of the re-simulated χ(k) (members' spread) */
  resimStd: Float64Array | null;
}
let batch: BatchItem[] = [];
let inputs: Array<{
  name: string;
  text: string;
  sha256: string | null;
  source?: { file: string; group: string };
}> = [];
let config: AppConfig = { model: null };

function setState(s: 'idle' | 'loading' | 'done' | 'error'): void {
  document.body.dataset.state = s;
}

function message(kind: 'info' | 'error' | null, title: string, detail = ''): void {
  const el = $('message');
  if (!kind) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  el.hidden = false;
  el.className = `message ${kind}`;
  el.innerHTML =
    kind === 'error'
      ? `<b>${escapeXml(title)}</b>${escapeXml(detail)}`
      : `${escapeXml(title)}${detail ? ` — ${escapeXml(detail)}` : ''}`;
}

async function loadConfigAndModel(): Promise<void> {
  const info = $('model-info');
  let cfg: AppConfig = { model: null };
  try {
    const r = await fetch('app-config.json');
    if (r.ok) cfg = (await r.json()) as AppConfig;
  } catch {
    /* served without the exafsnn server: no model */
  }
  config = cfg;
  addModelSelect();
  if (!cfg.model) {
    ensembleError = 'no model is served (start with "exafsnn serve --model DIR")';
    info.textContent = `No model: spectra are processed, but g(r) and N(θ) cannot be predicted (${ensembleError}).`;
    return;
  }
  try {
    ensemble = await loadBrowserEnsemble(cfg.model, (m) => (info.textContent = m));
    const m = ensemble.meta;
    info.textContent =
      `Model ${cfg.model_name ?? ''}: ${m.members.length} networks, input k${m.kweight}·χ(k) on ${m.k[0]}–${m.k[m.k.length - 1]} Å⁻¹, ` +
      `g(r) on ${m.r[0]}–${m.r[m.r.length - 1]} Å; TensorFlow.js WebAssembly backend.`;
    info.dataset.ready = 'true';
  } catch (e) {
    ensembleError = (e as Error).message;
    info.textContent = `The model could not be loaded: ${ensembleError}`;
  }
}

/** The model the user picked in the model menu; null: the one for each spectrum's element. */
let modelOverride: string | null = null;

/** A menu of the served models (when the server offers several): automatic by element, or one for all. */
function addModelSelect(): void {
  const models = config.models ?? [];
  if (models.length < 2 || document.getElementById('model-select')) return;
  const sel = document.createElement('select');
  sel.id = 'model-select';
  sel.setAttribute('aria-label', 'model');
  const opt = (value: string, text: string) => {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    sel.append(o);
  };
  opt('', "model: automatic (the spectrum's element and edge)");
  for (const m of models)
    opt(m.name, `model: ${m.name}${m.element ? ` (${m.element} ${m.edge ?? ''})` : ''}`);
  sel.addEventListener('change', () => {
    modelOverride = sel.value || null;
    // analyse the current file(s) again with the chosen model, as a change of settings does
    $('settings-form').dispatchEvent(new Event('change'));
  });
  $('model-info').after(sel);
}

/** Models loaded so far, by URL (the one chosen for each spectrum's element is loaded on demand). */
const loadedModels = new Map<string, Ensemble>();

/**
 * Switch to the model the server offers for this element and edge (src/util/modelChoice.ts: the
 * rule `predict` uses); keeps the current model when none fits or loading fails.
 */
async function useModelFor(element: string | null, edge: string | null): Promise<void> {
  const models = config.models ?? [];
  const picked = modelOverride ? models.find((m) => m.name === modelOverride) : undefined;
  const choice = picked ? { model: picked } : chooseModel(models, element, edge);
  if (!choice || choice.model.name === config.model_name) return;
  const info = $('model-info');
  try {
    let ens = loadedModels.get(choice.model.url);
    if (!ens) {
      ens = await loadBrowserEnsemble(choice.model.url, (m) => (info.textContent = m));
      loadedModels.set(choice.model.url, ens);
    }
    ensemble = ens;
    ensembleError = null;
    config = { ...config, model: choice.model.url, model_name: choice.model.name };
    const m = ens.meta;
    info.textContent =
      `Model ${choice.model.name} (${picked ? 'chosen in the menu' : `chosen for ${element ?? 'a spectrum without element'} ${edge ?? 'K'}`}): ` +
      `${m.members.length} networks, input k${m.kweight}·χ(k) on ${m.k[0]}–${m.k[m.k.length - 1]} Å⁻¹.`;
    info.dataset.ready = 'true';
  } catch (e) {
    info.textContent = `The model ${choice.model.name} could not be loaded (${(e as Error).message}); keeping ${config.model_name ?? 'the default'}.`;
  }
}

function settings(): ProcessSettings {
  const f = $<HTMLFormElement>('settings-form');
  const num = (n: string) => {
    const v = (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    return v === '' ? undefined : Number(v);
  };
  return {
    e0: num('e0'),
    rbkg: num('rbkg') ?? 1,
    kweight: num('kweight') ?? 2,
    // blank FT fields: the one default set of the command line and the report (src/xas/ftDefaults.ts)
    kmin: num('kmin'),
    kmax: num('kmax'),
  };
}

/** The element a model was trained for, looked up in model.json (top level, dataset, its attributes or spec). */
function modelElement(meta: unknown): string | null {
  const seen = new Set<unknown>();
  const visit = (o: unknown, depth: number): string | null => {
    if (!o || typeof o !== 'object' || depth > 4 || seen.has(o)) return null;
    seen.add(o);
    const rec = o as Record<string, unknown>;
    const el = rec.element;
    if (typeof el === 'string' && /^[A-Z][a-z]?$/.test(el)) return el;
    for (const key of ['dataset', 'attrs', 'spec', 'tables']) {
      let v = rec[key];
      if (typeof v === 'string' && v.trim().startsWith('{')) {
        try {
          v = JSON.parse(v);
        } catch {
          continue;
        }
      }
      const hit = visit(v, depth + 1);
      if (hit) return hit;
    }
    return null;
  };
  return visit(meta, 0);
}

function card(value: string, label: string, cls: string): string {
  return `<div class="card ${cls}"><div class="v">${escapeXml(value)}</div><div class="l">${escapeXml(label)}</div></div>`;
}

function put(id: string, svg: string | null, missing?: string): void {
  const el = $(id);
  el.innerHTML = svg ?? (missing ? `<div class="na">${escapeXml(missing)}</div>` : '');
}

/**
 * Process, predict and show one spectrum. `name` is what the page and the files call it (the file
 * name, with the record label for an Athena project read record by record).
 */
async function run(
  text: string,
  name: string,
  sha256: string | null = null,
  source?: { file: string; group: string },
): Promise<void> {
  setState('loading');
  message('info', `Processing ${name}…`);
  last = { text, name };
  const t0 = performance.now();
  let proc;
  try {
    proc = source
      ? processText(text, source.file, { ...settings(), group: source.group })
      : processText(text, name, settings());
  } catch (e) {
    $('results').hidden = true;
    $('download').hidden = true;
    setState('error');
    message('error', `Could not read ${name}`, forApp((e as Error).message));
    window.exafsnnResult = { error: forApp((e as Error).message) };
    return;
  }
  const p = proc.view;
  let predJson: Record<string, unknown> | null = null;
  let resimStd: Float64Array | null = null;
  const tProc = performance.now() - t0;
  $('results').hidden = false;
  $('file-title').textContent = name + (proc.element ? ` — ${proc.element} ${proc.edge ?? ''} edge` : '');
  const fo = { id: 'app', width: 640, height: 390 };
  put('fig-mu', p.energy.length ? muFigure(p, fo) : null);
  put('fig-chik', chikFigure(p, fo));
  put('fig-chir', chirFigure(p, fo));
  const steps = proc.steps.map((s) => `<li>${escapeXml(s)}</li>`);
  steps.push(`<li>processed in ${tProc.toFixed(0)} ms</li>`);
  const warnings = [...proc.warnings];

  if (ensembleLoading) await ensembleLoading;
  await useModelFor(proc.element, proc.edge);
  const modelEl = ensemble ? modelElement(ensemble.meta) : null;
  if (modelEl && proc.element && modelEl.toLowerCase() !== proc.element.toLowerCase())
    warnings.push(
      `This model was trained for ${modelEl}; the spectrum is ${proc.element}. The prediction carries the difference between the two elements (scattering amplitudes, phases and bond lengths) and is an estimate only.`,
    );
  let pred: PredictionView | null = null;
  let predError: string | null = null;
  let resimNote =
    'Re-simulated χ(k): the server has no γ tables for this element (start "exafsnn serve" where data/tables holds them).';
  if (ensemble) {
    const t1 = performance.now();
    try {
      const ep = predict(ensemble, p.k, p.chi);
      pred = {
        r: ep.r,
        g: ep.g,
        g_std: ep.g_std,
        theta: ep.theta,
        bad: ep.bad,
        bad_std: ep.bad_std,
        first_shell: ep.first_shell,
        local_order: ep.local_order,
        sigma_note: ep.uncertainty.sigma,
        sigma_calibrated: ep.uncertainty.calibrated,
      };
      // every number of the prediction, in the layout of predict --json (for the data download)
      predJson = {
        file: name,
        model: config.model_name ?? 'model',
        element: proc.element,
        edge: proc.edge,
        e0: proc.result.e0,
        r: ep.r,
        g: ep.g,
        g_std: ep.g_std,
        theta: ep.theta,
        bad: ep.bad,
        bad_std: ep.bad_std,
        density: ep.density,
        density_std: ep.density_std,
        first_shell: ep.first_shell,
        uncertainty: ep.uncertainty,
        local_order: ep.local_order ?? null,
        resimulated: null,
        warnings: [],
      };
      steps.push(`<li>${ensemble.members.length} networks in ${(performance.now() - t1).toFixed(0)} ms</li>`);
      const el = proc.element;
      if (config.tables && el) {
        try {
          const tables = await fetchTables(el, proc.edge ?? 'K');
          if (tables) {
            // one forward check for the view and the numbers predict --json gives (ΔE, S0², 2-/3-body
            // parts); the members' spread (σ column) at its ΔE and S0²
            const fc = forwardCheckOfPrediction(tables, ep, ensemble, p.k, p.chi);
            pred.resimulated = resimulatedViewOf(fc, ensemble, p.chi);
            predJson.resimulated = resimulatedJson(fc);
            resimStd = resimulatedSpread(tables, ep, ensemble, p.k, p.chi, {
              dE: fc.dE,
              s02: fc.s02,
              n: fc.chi.length,
            });
            steps.push(`<li>χ(k) re-simulated (2- and 3-body, ΔE and S0² fitted in R space)</li>`);
            const rw = rFactorWarning(fc.r_factor, fc.r_range);
            if (rw) warnings.push(rw);
          } else resimNote = `Re-simulated χ(k): no γ table for ${el} ${proc.edge ?? 'K'} on the server.`;
        } catch (e) {
          resimNote = `Re-simulated χ(k) failed: ${(e as Error).message}`;
          steps.push(`<li class="fail">re-simulation: ${escapeXml((e as Error).message)}</li>`);
        }
      }
    } catch (e) {
      predError = (e as Error).message;
      steps.push(`<li class="fail">prediction: ${escapeXml(predError)}</li>`);
    }
  } else {
    predError = ensembleError ?? 'no model';
    steps.push(`<li class="skip">prediction skipped: ${escapeXml(predError)}</li>`);
  }
  $('steps').innerHTML = steps.join('');
  $('warnings').innerHTML = warnings.map((w) => `<div class="warn">${escapeXml(w)}</div>`).join('');

  const cards: string[] = [];
  if (pred) {
    const fs = pred.first_shell;
    const peaks = thetaPeaks(pred);
    cards.push(card(`${pm(fs.r, fs.r_std, 3)} Å`, 'first-shell distance R₁ ± σ', 'r1'));
    cards.push(card(pm(fs.cn, fs.cn_std, 1), 'coordination number CN ± σ', 'cn'));
    if (fs.combined)
      cards.push(
        card(
          pm(fs.combined.cn, fs.combined.cn_std, 1),
          'CN of the combined 8 + 6 shell (bcc-like)',
          'cn-combined',
        ),
      );
    cards.push(
      card(peaks.length ? peaks.map((x) => `${x.toFixed(0)}°`).join(', ') : '—', 'N(θ) peaks', 'peaks'),
    );
    if (pred.local_order) cards.push(localOrderCard(pred.local_order));
    if (pred.resimulated)
      cards.push(
        card(
          pred.resimulated.r_factor.toFixed(3),
          `R-factor (${rRangeLabel(pred.resimulated.r_range)}), re-simulated vs data`,
          'rfactor',
        ),
      );
    put('fig-gr', grFigure(pred, fo));
    put('fig-bad', badFigure(pred, fo));
    put('fig-resim', ensemble ? resimFigure(pred, ensemble.kweight, fo) : null, resimNote);
    put('fig-resim-r', ensemble ? resimRFigure(pred, ensemble.kweight, fo) : null);
    $('first-shell-table').innerHTML =
      `<tr><th>quantity</th><th>value</th><th>unit</th></tr>` +
      `<tr><td>R₁</td><td class="num" id="val-r1">${pm(fs.r, fs.r_std, 3)}</td><td>Å</td></tr>` +
      `<tr><td>CN</td><td class="num" id="val-cn">${pm(fs.cn, fs.cn_std, 1)}</td><td></td></tr>` +
      (fs.combined
        ? `<tr><td>CN, combined 8 + 6 shell</td><td class="num" id="val-cn-combined">${pm(fs.combined.cn, fs.combined.cn_std, 1)}</td><td></td></tr>`
        : '') +
      `<tr><td>N(θ) peaks</td><td class="num" id="val-peaks">${peaks.map((x) => x.toFixed(1)).join(', ')}</td><td>degrees</td></tr>` +
      // local order from the model's local_order head (models without it: no rows)
      (pred.local_order ? localOrderRows(pred.local_order, 'val-') : '') +
      // what σ contains, and the one rule for negative values
      `<tr><td colspan="3" class="note" id="sigma-note">${escapeXml(pred.sigma_note ?? '')}. Negative predicted g(r) and N(θ) are plotted as predicted and count as zero in R₁, CN and the peaks.</td></tr>`;
  } else {
    put('fig-gr', null, `g(r): ${predError}`);
    put('fig-bad', null);
    put('fig-resim', null);
    put('fig-resim-r', null);
    $('first-shell-table').innerHTML = '';
  }
  if (Number.isFinite(p.e0)) cards.push(card(`${p.e0.toFixed(1)} eV`, 'edge energy E₀', 'e0'));
  if (Number.isFinite(p.edge_step)) cards.push(card(p.edge_step.toPrecision(3), 'edge step', 'step'));
  $('cards').innerHTML = cards.join('');

  // the same self-contained report as "exafsnn predict --out", built here and saved from memory
  const section: SpectrumReport = {
    file: name,
    element: proc.element ?? undefined,
    edge: proc.edge ?? undefined,
    processing: p,
    prediction: pred ?? undefined,
    warnings,
  };
  if (predJson) predJson.warnings = warnings;
  const item: BatchItem = {
    name,
    text,
    sha256,
    section,
    process: proc.result,
    prediction: predJson,
    resimStd,
  };
  const at = batch.findIndex((x) => x.name === name);
  if (at >= 0) batch[at] = item;
  else batch.push(item);
  showDownloads();

  window.exafsnnResult = {
    file: name,
    e0: p.e0,
    edge_step: p.edge_step,
    first_shell: pred?.first_shell ?? null,
    local_order: pred?.local_order ?? null,
    theta_peaks: pred ? thetaPeaks(pred) : [],
    r_factor: pred?.resimulated?.r_factor ?? null,
    r_range: pred?.resimulated?.r_range ?? null,
    r_factor_k: pred?.resimulated?.r_factor_k ?? null,
    prediction_error: predError,
  };
  if (pred) message(null, '');
  else message('info', `Processed ${name}`, `no structure prediction: ${predError}`);
  setState('done');
}

/**
 * The spectrum of the current drop the page shows (index into inputs; each record of an Athena
 * project is one): the first by default, the picker #record changes it.
 */
let shown = 0;

/** Process, predict and show inputs[i] (its batch entry is replaced in place). */
async function runInput(i: number): Promise<void> {
  const x = inputs[i];
  await run(x.text, x.name, x.sha256, x.source);
}

/** The picker of the spectrum shown: one option per spectrum of the drop; hidden when there is one. */
function showPicker(): void {
  const sel = $<HTMLSelectElement>('record');
  sel.innerHTML = inputs
    .map((x, i) => `<option value="${i}"${i === shown ? ' selected' : ''}>${escapeXml(x.name)}</option>`)
    .join('');
  $('record-pick').hidden = inputs.length < 2;
}

/** SHA-256 of the file's bytes (for the provenance in the downloaded JSON); null where SubtleCrypto is missing. */
async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  try {
    const d = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
    return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

/** Several files at once (a temperature series): each is analysed, then the series table is shown. */
async function handleFiles(files: File[]): Promise<void> {
  batch = [];
  inputs = [];
  shown = 0;
  $('record-pick').hidden = true;
  delete document.body.dataset.batch;
  for (const file of files) {
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const text = await spectrumTextFromBytes(bytes, file.name);
      const sha = await sha256Hex(bytes);
      // an Athena project with several records: each μ(E)/χ(k) record is one spectrum of the batch
      const records = isAthenaProject(text)
        ? parseAthenaProject(text, file.name).filter((r) => r.kind !== 'other')
        : [];
      if (records.length > 1)
        for (const r of records) {
          const source = { file: file.name, group: String(r.index) };
          const name = `${file.name} [${r.label}]`;
          inputs.push({ name, text, sha256: sha, source });
          await run(text, name, sha, source);
        }
      else {
        inputs.push({ name: file.name, text, sha256: sha });
        await run(text, file.name, sha);
      }
    } catch (e) {
      $('results').hidden = true;
      $('download').hidden = true;
      setState('error');
      message('error', `Could not read ${file.name}`, forApp((e as Error).message));
      window.exafsnnResult = { error: forApp((e as Error).message) };
      if (files.length === 1) {
        document.body.dataset.batch = '0';
        return;
      }
    }
  }
  // several spectra (records of an Athena project, files of a series): all are in the series table;
  // the page shows the first, the picker another
  if (inputs.length > 1) {
    showPicker();
    await runInput(shown);
  }
  showSeries();
  // for tests: how many spectra of this drop were analysed
  document.body.dataset.batch = String(batch.length);
}

/** The first-shell table of all spectra analysed together (the report's series table). */
function showSeries(): void {
  const el = $('series');
  const rows = seriesRows(batch.map((b) => ({ ...b.section, temperature: temperatureOf(b.name, b.text) })));
  if (batch.length < 2 || !rows.length) {
    el.hidden = true;
    el.innerHTML = '';
    return;
  }
  el.hidden = false;
  const f = (x: number | null, d: number) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));
  el.innerHTML =
    `<h3>Series: ${rows.length} spectra</h3><table id="series-table"><tr><th>file</th><th>T (K)</th><th>R₁ (Å)</th><th>CN</th><th>N(θ) peaks</th><th>R-factor (R window, Å)</th></tr>` +
    rows
      .map(
        (r) =>
          `<tr><td>${escapeXml(r.file)}</td><td class="num">${f(r.temperature, 0)}</td><td class="num">${pm(r.r1, r.r1_std, 3)}</td>` +
          `<td class="num">${pm(r.cn, r.cn_std, 1)}</td><td class="num">${r.theta_peaks.map((t) => t.toFixed(0)).join(', ')}</td>` +
          `<td class="num">${f(r.r_factor, 3)}${r.r_range ? ` (${r.r_range[0].toFixed(2)}–${r.r_range[1].toFixed(2)})` : ''}</td></tr>`,
      )
      .join('') +
    '</table>';
  (window as unknown as { exafsnnSeries?: unknown }).exafsnnSeries = rows;
}

function save(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The files predict --out writes (CSV per curve with σ, JSON, first_shell.csv) for every spectrum of the batch. */
export function batchExportFiles(): ExportFile[] {
  const m = ensemble?.meta;
  const stems = uniqueStems(batch.map((b) => ({ file: b.name, label: b.process.label })));
  const files: ExportFile[] = [];
  const rows: Array<Record<string, string | number | null>> = [];
  batch.forEach((b, i) => {
    if (!b.prediction) return;
    const ex = predictionExport({
      stem: stems[i],
      process: b.process,
      prediction: b.prediction,
      resimStd: b.resimStd,
      provenance: {
        exafsnn_version: config.version ?? null,
        created: new Date().toISOString(),
        command: 'exafsnn serve (browser app)',
        input: { file: b.name, sha256: b.sha256 },
        model: m
          ? {
              name: config.model_name ?? 'model',
              files_sha256: null,
              version: m.version ?? null,
              created: m.created ?? null,
              members: m.members.length,
              kweight: m.kweight,
              k_range: [m.k[0], m.k[m.k.length - 1]],
            }
          : null,
      },
    });
    files.push(...ex.files);
    rows.push(firstShellRow(b.prediction, { temperature_K: temperatureOf(b.name, b.text) ?? null }));
  });
  if (rows.length) files.push({ name: 'first_shell.csv', text: firstShellCsv(rows) });
  return files;
}

function showDownloads(): void {
  const dl = $<HTMLButtonElement>('download');
  dl.hidden = false;
  dl.onclick = () => {
    const m = ensemble?.meta;
    const rep = renderPredictReport({
      spectra: batch.map((b) => ({ ...b.section, temperature: temperatureOf(b.name, b.text) })),
      model: m
        ? {
            name: config.model_name ?? 'model',
            members: m.members.length,
            kweight: m.kweight,
            k_range: [m.k[0], m.k[m.k.length - 1]],
            trained: m.created,
          }
        : undefined,
      version: config.version ?? undefined,
      command: 'exafsnn serve (browser app)',
    });
    const first = batch.length === 1 ? slug(batch[0].name) : 'exafsnn-series';
    save(`${first}-report.html`, rep.html, 'text/html');
  };
  const dd = $<HTMLButtonElement>('download-data');
  const hasPred = batch.some((b) => b.prediction);
  dd.hidden = !hasPred;
  dd.onclick = () => {
    const files = batchExportFiles();
    const first = batch.length === 1 ? slug(batch[0].name) : 'exafsnn-series';
    save(`${first}-data.zip`, zipFiles(files) as BlobPart, 'application/zip');
  };
}

function init(): void {
  const drop = $('drop');
  const input = $<HTMLInputElement>('file');
  // keyboard: Enter or Space on the drop zone opens the file chooser
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      input.click();
    }
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const fs = Array.from(e.dataTransfer?.files ?? []);
    if (fs.length) void handleFiles(fs);
  });
  // dropping outside the zone must not navigate away from the app
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  input.addEventListener('change', () => {
    const fs = Array.from(input.files ?? []);
    if (fs.length) void handleFiles(fs);
    input.value = '';
  });
  $('settings-form').addEventListener('change', () => {
    void (async () => {
      if (inputs.length > 1) {
        // the one shown last, so that the page shows it with the new settings
        for (let i = 0; i < inputs.length; i++) if (i !== shown) await runInput(i);
        await runInput(shown);
        showSeries();
      } else if (last) await run(last.text, last.name, inputs[0]?.sha256 ?? null);
    })();
  });
  $<HTMLSelectElement>('record').addEventListener('change', (e) => {
    shown = Number((e.target as HTMLSelectElement).value);
    void runInput(shown);
  });
  // the FT fields show the shared defaults (blank = default)
  const form = $<HTMLFormElement>('settings-form');
  (form.elements.namedItem('kmin') as HTMLInputElement).placeholder = String(FT_DEFAULTS.kmin);
  (form.elements.namedItem('kmax') as HTMLInputElement).placeholder = `${FT_DEFAULTS.kmax} (or data end)`;
  ensembleLoading = loadConfigAndModel();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
