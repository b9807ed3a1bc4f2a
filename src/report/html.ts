/**
 * Self-contained HTML reports: one page with inline SVG plots and inline CSS, no external
 * asset or link that a browser would fetch. Pure string building (works in Node and the browser);
 * writing to disk is in ./write.ts.
 */
import { escapeXml } from './plot.js';
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
  seriesR1Figure,
  worstMseFigure,
  calibrationFigure,
  exampleGrFigure,
  exampleBadFigure,
} from './figures.js';
import type {
  LocalOrderView,
  PredictReportInput,
  EvaluateReportInput,
  NamedPlot,
  SeriesRow,
  SpectrumReport,
  ModelView,
} from './types.js';

export interface RenderedReport {
  html: string;
  plots: NamedPlot[];
  /** temperature-series / multi-file table as CSV (always present; one row per predicted file) */
  csv: string | null;
  rows: SeriesRow[];
}

const CSS = `
:root{--fg:#1d1d1f;--muted:#666;--line:#d9d9de;--accent:#0072B2;--bg:#fafafa}
*{box-sizing:border-box}
body{font-family:'DejaVu Sans','Liberation Sans',Arial,Helvetica,sans-serif;color:var(--fg);background:var(--bg);margin:0;line-height:1.45}
header{background:#fff;border-bottom:1px solid var(--line);padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}
header .sub{color:var(--muted);font-size:13px}
main{padding:10px 28px 40px;max-width:1400px}
h2{font-size:18px;margin:28px 0 10px;border-bottom:2px solid var(--accent);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 8px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:14px}
figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:6px;padding:6px}
figure svg{width:100%;height:auto;display:block}
figcaption{font-size:12px;color:var(--muted);padding:2px 6px 4px}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:6px 0 12px}
th,td{border:1px solid var(--line);padding:5px 10px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.key{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
.key .card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:170px}
.key .card .v{font-size:20px;font-weight:600}
.key .card .l{font-size:12px;color:var(--muted)}
.warn{background:#fff4e5;border:1px solid #f0b45a;border-radius:6px;padding:8px 12px;margin:8px 0;font-size:13px}
.note{font-size:12px;color:var(--muted)}
footer{font-size:12px;color:var(--muted);border-top:1px solid var(--line);padding:12px 28px;background:#fff}
code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:12px}
`;

/** "2.491 ± 0.012" with digits chosen from σ (two significant digits of σ, at least `min`). */
/**
 * value ± σ rounded to what σ supports (the Particle Data Group rule: σ keeps two significant
 * digits when its first three are 100–354, else one; the value is rounded to the same decimal).
 * Without a σ the value is shown with max(minDigits, 3) decimals, followed by "± ?" when σ is
 * unknown (NaN: e.g. fewer than two members found a first shell).
 */
export function pm(x: number, s: number, minDigits = 1): string {
  if (!Number.isFinite(x)) return '—';
  if (Number.isNaN(s)) return `${x.toFixed(Math.max(minDigits, 3))} ± ?`;
  if (!Number.isFinite(s) || s <= 0) return x.toFixed(Math.max(minDigits, 3));
  let e = Math.floor(Math.log10(s));
  let lead = Math.round(s / 10 ** (e - 2));
  if (lead >= 1000) {
    e += 1;
    lead = Math.round(lead / 10);
  }
  const sig = lead <= 354 ? 2 : lead < 950 ? 1 : 2;
  const sr = lead >= 950 ? 10 ** (e + 1) : s;
  const q = lead >= 950 ? e + 1 - sig + 1 : e - sig + 1;
  const d = Math.min(6, Math.max(0, -q));
  const round = (v: number) => Math.round(v / 10 ** q) * 10 ** q;
  return `${round(x).toFixed(d)} ± ${round(sr).toFixed(d)}`;
}

function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

/** A file-name-safe stem. */
export function slug(s: string): string {
  return (
    baseName(s)
      .replace(/\.[A-Za-z0-9]+$/, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'spectrum'
  );
}

/** First-shell table rows, one per spectrum with a prediction. */
export function seriesRows(spectra: SpectrumReport[]): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const s of spectra) {
    if (!s.prediction) continue;
    const fs = s.prediction.first_shell;
    rows.push({
      file: s.label ?? baseName(s.file),
      temperature: s.temperature ?? null,
      r1: fs.r,
      r1_std: fs.r_std,
      cn: fs.cn,
      cn_std: fs.cn_std,
      theta_peaks: thetaPeaks(s.prediction),
      r_factor: s.prediction.resimulated ? s.prediction.resimulated.r_factor : null,
      r_range: s.prediction.resimulated?.r_range ?? null,
    });
  }
  // a temperature series reads best in temperature order; files without T keep their order at the end
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.temperature ?? Infinity) - (b.r.temperature ?? Infinity) || a.i - b.i)
    .map((x) => x.r);
}

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The first-shell table as CSV (RFC 4180), units in the header. */
export function seriesCsv(rows: SeriesRow[]): string {
  // r_factor: R-space, over [r_factor_rmin_A, r_factor_rmax_A] (src/exafs/resimulate.ts forwardCheck)
  const head = [
    'file',
    'temperature_K',
    'R1_A',
    'R1_std_A',
    'CN',
    'CN_std',
    'theta_peaks_deg',
    'r_factor',
    'r_factor_rmin_A',
    'r_factor_rmax_A',
  ];
  const lines = [head.join(',')];
  for (const r of rows)
    lines.push(
      [
        r.file,
        r.temperature,
        r.r1,
        r.r1_std,
        r.cn,
        r.cn_std,
        r.theta_peaks.map((t) => t.toFixed(1)).join(' '),
        r.r_factor,
        r.r_range ? r.r_range[0] : null,
        r.r_range ? r.r_range[1] : null,
      ]
        .map(csvField)
        .join(','),
    );
  return lines.join('\r\n') + '\r\n';
}

function figure(svg: string, caption: string, file?: string): string {
  // inline SVG in HTML needs no namespace declaration; dropping it keeps the page free of URLs
  const inline = svg.replace(' xmlns="http://www.w3.org/2000/svg"', '');
  return `<figure>${inline}<figcaption>${escapeXml(caption)}${file ? ` — <span class="file">${escapeXml(file)}</span>` : ''}</figcaption></figure>`;
}

function kvTable(obj: Record<string, unknown>): string {
  const rows = Object.entries(obj)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) =>
        `<tr><th>${escapeXml(k)}</th><td>${escapeXml(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))}</td></tr>`,
    );
  return `<table class="kv">${rows.join('')}</table>`;
}

function modelTable(m: ModelView | undefined): string {
  if (!m) return '<p class="note">No model: processing only.</p>';
  return kvTable({
    name: m.name,
    path: m.path,
    version: m.version,
    'ensemble members': m.members,
    'element / edge': m.element ? `${m.element} ${m.edge ?? ''}`.trim() : undefined,
    'k-weight of the input': m.kweight,
    'k range of the input (Å⁻¹)': m.k_range ? `${m.k_range[0]} – ${m.k_range[1]}` : undefined,
    dataset: m.dataset,
    trained: m.trained,
    ...(m.metrics ? Object.fromEntries(Object.entries(m.metrics).map(([k, v]) => [`test ${k}`, v])) : {}),
  });
}

function page(title: string, sub: string, body: string, footer: string, data: unknown): string {
  // machine-readable copy of the numbers; '<' escaped so the JSON can never close the script element
  const json = JSON.stringify(data, (_k, v) =>
    ArrayBuffer.isView(v)
      ? Array.from(v as unknown as ArrayLike<number>)
      : typeof v === 'number' && !Number.isFinite(v)
        ? null
        : v,
  ).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeXml(title)}</h1><div class="sub">${sub}</div></header>
<main>
${body}
</main>
<footer>${footer}</footer>
<script type="application/json" id="exafsnn-data">${json}</script>
</body>
</html>
`;
}

/** The report of `predict` for one or several spectra. */
export function renderPredictReport(input: PredictReportInput): RenderedReport {
  const generated = input.generated ?? new Date().toISOString();
  const plots: NamedPlot[] = [];
  const multi = input.spectra.length > 1;
  const used = new Set<string>();
  const sections: string[] = [];
  const rows = seriesRows(input.spectra);

  if (multi && rows.length) {
    sections.push(
      `<h2 id="series">First shell of all files${new Set(rows.filter((r) => r.temperature !== null).map((r) => r.temperature)).size >= 2 ? ' (temperature series)' : ''}</h2>`,
    );
    sections.push(seriesTable(rows));
    sections.push(`<p class="note">Also in <code>first_shell.csv</code>.</p>`);
    const withT = rows.filter((r) => r.temperature !== null);
    if (new Set(withT.map((r) => r.temperature)).size >= 2) {
      const svg = seriesR1Figure(rows);
      plots.push({ name: 'series_r1', title: 'R1 vs temperature', svg });
      sections.push(
        `<div class="grid">${figure(svg, 'R₁ ± σ against the sample temperature', 'series_r1.svg')}</div>`,
      );
    }
  }

  input.spectra.forEach((s, si) => {
    let stem = slug(s.label ?? s.file);
    while (used.has(stem)) stem += `_${si}`;
    used.add(stem);
    const pre = multi ? `${stem}_` : '';
    const id = `s${si}`;
    const label = s.label ?? baseName(s.file);
    const p = s.processing;
    const pr = s.prediction;
    const out: string[] = [];
    out.push(`<h2 id="${id}">${escapeXml(label)}</h2>`);
    const warns = [...(s.warnings ?? [])];
    const mEl = input.model?.element;
    if (pr && mEl && s.element && mEl.toLowerCase() !== s.element.toLowerCase())
      warns.unshift(
        `The model was trained for ${mEl}${input.model?.edge ? ` ${input.model.edge}` : ''}; this spectrum is ${s.element}${s.edge ? ` ${s.edge}` : ''}. ` +
          `The prediction carries the difference between the elements (scattering amplitudes and phases, bond lengths): treat it as an estimate.`,
      );
    for (const w of warns) out.push(`<div class="warn">${escapeXml(w)}</div>`);

    // key numbers first: what a scientist looks for
    const cards: string[] = [];
    if (pr) {
      const fs = pr.first_shell;
      cards.push(card(`${pm(fs.r, fs.r_std, 3)} Å`, 'first-shell distance R₁ ± σ', 'r1'));
      cards.push(card(pm(fs.cn, fs.cn_std, 1), 'coordination number CN ± σ', 'cn'));
      if (fs.combined)
        cards.push(card(pm(fs.combined.cn, fs.combined.cn_std, 1), 'CN of the combined 8 + 6 shell (bcc-like)', 'cn-combined'));
      const peaks = thetaPeaks(pr);
      cards.push(
        card(peaks.length ? peaks.map((x) => `${x.toFixed(0)}°`).join(', ') : '—', 'N(θ) peaks', 'peaks'),
      );
      if (pr.local_order) cards.push(localOrderCard(pr.local_order));
      if (pr.resimulated)
        cards.push(
          card(
            Number.isFinite(pr.resimulated.r_factor) ? pr.resimulated.r_factor.toFixed(4) : '—',
            `R-factor (${rRangeLabel(pr.resimulated.r_range)}), re-simulated vs data`,
            'rfactor',
          ),
        );
    }
    cards.push(card(`${p.e0.toFixed(2)} eV`, 'edge energy E₀', 'e0'));
    cards.push(card(p.edge_step.toPrecision(4), 'edge step', 'step'));
    out.push(`<div class="key">${cards.join('')}</div>`);

    const figs: string[] = [];
    const add = (name: string, title: string, svg: string | null, caption: string) => {
      if (!svg) return;
      plots.push({ name: pre + name, title, svg });
      figs.push(figure(svg, caption, `${pre + name}.svg`));
    };
    const fo = { id };
    add(
      'mu_e',
      'μ(E)',
      muFigure(p, fo),
      'Measured μ(E) with the pre-edge line, post-edge normalisation curve and AUTOBK background',
    );
    add('chi_k', 'χ(k)', chikFigure(p, fo), `k-weighted EXAFS (k-weight ${p.kweight})`);
    add(
      'chi_r',
      '|χ(R)|',
      chirFigure(p, fo),
      'Magnitude of the Fourier transform (window as in the settings)',
    );
    if (pr) {
      add('g_r', 'g(r)', grFigure(pr, fo), 'Predicted radial distribution function, ensemble mean ± 1σ');
      add(
        'n_theta',
        'N(θ)',
        badFigure(pr, fo),
        'Predicted nearest-neighbour bond-angle distribution, ensemble mean ± 1σ',
      );
      // the re-simulation is compared over the model's k range: show that range unless told otherwise
      const kr = input.model?.k_range;
      const prShown =
        pr.resimulated && !pr.resimulated.k_range && kr
          ? {
              ...pr,
              resimulated: { ...pr.resimulated, k_range: [Math.max(3, kr[0]), kr[1]] as [number, number] },
            }
          : pr;
      add(
        'chi_resim',
        're-simulated χ(k)',
        resimFigure(prShown, input.model?.kweight ?? p.kweight, fo),
        pr.resimulated?.note ?? 'χ(k) re-simulated from the predicted structure',
      );
      add(
        'chi_resim_r',
        're-simulated χ(R)',
        resimRFigure(pr, input.model?.kweight ?? p.kweight, fo),
        `The forward check in R space: its R-factor is taken over ${rRangeLabel(pr.resimulated?.r_range)} (marked), where the ` +
          '2- and 3-body theory holds every path; above it come the 4-body paths and the shells beyond the g(r) grid it lacks',
      );
    }
    out.push(`<div class="grid">${figs.join('')}</div>`);

    if (pr) {
      const fs = pr.first_shell;
      const peaks = thetaPeaks(pr);
      out.push('<h3>First shell</h3>');
      out.push(
        `<table class="first-shell"><tr><th>quantity</th><th>value</th><th>unit</th></tr>` +
          `<tr><td>R₁ (first-shell distance)</td><td class="num">${pm(fs.r, fs.r_std, 3)}</td><td>Å</td></tr>` +
          `<tr><td>CN (coordination number)</td><td class="num">${pm(fs.cn, fs.cn_std, 1)}</td><td></td></tr>` +
          (fs.combined
            ? `<tr><td>R₁ of the combined shell (bcc-like 8 + 6 sub-shells)</td><td class="num">${pm(fs.combined.r, fs.combined.r_std, 3)}</td><td>Å</td></tr>` +
              `<tr><td>CN of the combined shell</td><td class="num">${pm(fs.combined.cn, fs.combined.cn_std, 1)}</td><td></td></tr>`
            : '') +
          `<tr><td>N(θ) peak positions</td><td class="num">${(pr.bad_peaks ? pr.bad_peaks.map((p) => pm(p.theta, p.theta_std, 1)) : peaks.map((x) => x.toFixed(1))).join(', ') || '—'}</td><td>degrees</td></tr>` +
          (pr.resimulated
            ? `<tr><td>R-factor, re-simulated vs data: χ(R) over ${escapeXml(rRangeLabel(pr.resimulated.r_range))}</td><td class="num">${fmt4(pr.resimulated.r_factor)}</td><td></td></tr>` +
              (pr.resimulated.r_factor_k !== undefined
                ? `<tr><td>R-factor on k-weighted χ(k)${pr.resimulated.k_range ? `, k ${pr.resimulated.k_range[0]}–${pr.resimulated.k_range[1]} Å⁻¹` : ''} (all shells, incl. those the theory lacks)</td><td class="num">${fmt4(pr.resimulated.r_factor_k)}</td><td></td></tr>`
                : '')
            : '') +
          `</table>`,
      );
      out.push(
        `<p class="note">${escapeXml(pr.sigma_note ?? 'σ is the spread of the ensemble members.')} ` +
          `R₁ is the centroid of 4πr²ρg(r) over the first shell and CN its integral (src/analysis/firstShell.ts)` +
          (fs.combined ? '; the shell is split as in bcc: the numbers above are the first sub-shell, the combined shell is given too' : '') +
          `. Negative values of the predicted g(r) and N(θ) (a network's output can dip below zero) are plotted as predicted ` +
          `and counted as zero in every derived number.</p>`,
      );
      if (pr.local_order) {
        out.push('<h3>Local order</h3>');
        out.push(
          `<table class="local-order"><tr><th>quantity</th><th>value</th><th>unit</th></tr>${localOrderRows(pr.local_order)}</table>` +
            `<p class="note">From the model's local_order head: shares of first-shell pairs with the Honeycutt–Andersen ` +
            `common-neighbour signatures (1551: five common neighbours in a 5-ring, the icosahedral bond; 1421: fcc; 1422: hcp) ` +
            `and fractions of atoms by conventional common-neighbour analysis, ensemble mean ± σ.</p>`,
        );
      }
    }
    out.push('<h3>Processing</h3>');
    out.push(
      kvTable({
        file: s.file,
        'element / edge': s.element ? `${s.element} ${s.edge ?? ''}`.trim() : undefined,
        'temperature (K)': s.temperature,
        'E₀ (eV)': p.e0.toFixed(2),
        'edge step': p.edge_step.toPrecision(4),
        'k range of χ(k) (Å⁻¹)': p.k.length
          ? `${(+p.k[0]).toFixed(2)} – ${(+p.k[p.k.length - 1]).toFixed(2)}`
          : undefined,
        ...(p.settings ?? {}),
      }),
    );
    sections.push(out.join('\n'));
  });

  sections.push('<h2 id="model">Model</h2>' + modelTable(input.model));
  sections.push(
    '<h2 id="method">Method</h2><p class="note">χ(k) from μ(E) by pre-edge subtraction, post-edge normalisation and an AUTOBK-style spline background; ' +
      'g(r) and N(θ) from an ensemble of dense neural networks trained on χ(k) computed from molecular-dynamics configurations ' +
      'with 2-body and 3-body multiple-scattering signals (after Iesari, Setoyama &amp; Okajima 2021). The band is ±1 standard deviation ' +
      'across the ensemble members. R₁ and CN are read from the predicted g(r): CN = ∫4πr²ρ g(r) dr over the first shell.</p>',
  );
  const attribution = (input.attribution ?? []).map((a) => `<div>${escapeXml(a)}</div>`).join('');
  const footer =
    `Generated by exafsnn${input.version ? ` ${escapeXml(input.version)}` : ''} on ${escapeXml(generated)}` +
    (input.command ? `<div><code>${escapeXml(input.command)}</code></div>` : '') +
    (attribution ? `<div class="attribution"><b>Data:</b> ${attribution}</div>` : '');
  const title =
    input.title ??
    (multi
      ? `EXAFS structure report — ${input.spectra.length} spectra`
      : `EXAFS structure report — ${input.spectra[0] ? escapeXml(input.spectra[0].label ?? baseName(input.spectra[0].file)) : ''}`);
  const sub = `${input.model ? `model <b>${escapeXml(input.model.name)}</b> · ` : ''}${escapeXml(generated)}`;
  const data = {
    generated,
    model: input.model ?? null,
    first_shell: rows,
    spectra: input.spectra.map((s) => ({
      file: s.file,
      e0: s.processing.e0,
      edge_step: s.processing.edge_step,
      first_shell: s.prediction?.first_shell ?? null,
      local_order: s.prediction?.local_order ?? null,
    })),
  };
  const html = page(title.replace(/&amp;/g, '&'), sub, sections.join('\n'), footer, data);
  return { html, plots, csv: rows.length ? seriesCsv(rows) : null, rows };
}

/** Percent with σ: 0.157 ± 0.021 → "15.7 ± 2.1 %". */
export function pmPercent(v: { mean: number; std: number }): string {
  return `${pm(100 * v.mean, 100 * v.std, 1)} %`;
}

/**
 * Rows (<tr>…</tr>) of the local-order table: the shares of first-shell pairs with signatures
 * 1551 / 1421 / 1422 and the conventional-CNA atom fractions, mean ± σ in percent. Shared by the
 * report and the browser app; `idPrefix` gives each value cell an id (val-1551, …).
 */
export function localOrderRows(lo: LocalOrderView, idPrefix = ''): string {
  const row = (what: string, v: { mean: number; std: number }, id: string) =>
    `<tr><td>${what}</td><td class="num"${idPrefix ? ` id="${idPrefix}${id}"` : ''}>${escapeXml(pm(100 * v.mean, 100 * v.std, 1))}</td><td>%</td></tr>`;
  return (
    row('first-shell pairs 1551 (icosahedral, 5-fold)', lo.pairs_1551, '1551') +
    row('first-shell pairs 1421 (fcc-like)', lo.pairs_1421, '1421') +
    row('first-shell pairs 1422 (hcp-like)', lo.pairs_1422, '1422') +
    row('atoms fcc (CNA)', lo.atoms.fcc, 'fcc') +
    row('atoms hcp (CNA)', lo.atoms.hcp, 'hcp') +
    row('atoms bcc (CNA)', lo.atoms.bcc, 'bcc') +
    row('atoms icosahedral (CNA)', lo.atoms.ico, 'ico') +
    row('atoms other (CNA)', lo.atoms.other, 'other')
  );
}

/** The local-order card: the 1551 share, the headline number for icosahedral order. */
export function localOrderCard(lo: LocalOrderView): string {
  return card(pmPercent(lo.pairs_1551), 'icosahedral (1551) first-shell pairs ± σ', 'ico');
}

const fmt4 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(4) : '—');

function card(value: string, label: string, cls: string): string {
  return `<div class="card ${cls}"><div class="v">${escapeXml(value)}</div><div class="l">${escapeXml(label)}</div></div>`;
}

function seriesTable(rows: SeriesRow[]): string {
  const head =
    '<tr><th>file</th><th>T (K)</th><th>R₁ (Å)</th><th>CN</th><th>N(θ) peaks (°)</th><th>R-factor (R window, Å)</th></tr>';
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeXml(r.file)}</td><td class="num">${r.temperature ?? '—'}</td><td class="num">${pm(r.r1, r.r1_std, 3)}</td><td class="num">${pm(r.cn, r.cn_std, 1)}</td>` +
        `<td class="num">${r.theta_peaks.map((t) => t.toFixed(0)).join(', ') || '—'}</td><td class="num">${r.r_factor === null ? '—' : `${fmt4(r.r_factor)}${r.r_range ? ` (${r.r_range[0].toFixed(2)}–${r.r_range[1].toFixed(2)})` : ''}`}</td></tr>`,
    )
    .join('');
  return `<table class="series">${head}${body}</table>`;
}

/** The report of `evaluate`: test errors per head and class, worst samples, examples, calibration. */
export function renderEvaluateReport(input: EvaluateReportInput): RenderedReport {
  const generated = input.generated ?? new Date().toISOString();
  const plots: NamedPlot[] = [];
  const out: string[] = [];
  const figs: string[] = [];
  const add = (name: string, title: string, svg: string, caption: string) => {
    plots.push({ name, title, svg });
    figs.push(figure(svg, caption, `${name}.svg`));
  };

  out.push('<h2 id="summary">Test error per head</h2>');
  out.push(
    `<table class="heads"><tr><th>head</th><th>test MSE</th><th>baseline MSE (predict the mean)</th><th>skill (1 − MSE/baseline)</th></tr>` +
      input.heads
        .map(
          (h) =>
            `<tr><td>${escapeXml(h.name)}</td><td class="num">${h.mse.toExponential(3)}</td><td class="num">${h.baseline_mse !== undefined ? h.baseline_mse.toExponential(3) : '—'}</td>` +
            `<td class="num">${h.baseline_mse ? (1 - h.mse / h.baseline_mse).toFixed(3) : '—'}</td></tr>`,
        )
        .join('') +
      '</table>',
  );
  if (input.classes?.length) {
    const heads = input.heads.map((h) => h.name);
    out.push('<h2 id="classes">Test error per structure class</h2>');
    out.push(
      `<table class="classes"><tr><th>class</th><th>n</th>${heads.map((h) => `<th>MSE ${escapeXml(h)}</th>`).join('')}</tr>` +
        input.classes
          .map(
            (c) =>
              `<tr><td>${escapeXml(c.name)}</td><td class="num">${c.n}</td>${heads.map((h) => `<td class="num">${c.mse[h] !== undefined ? c.mse[h].toExponential(3) : '—'}</td>`).join('')}</tr>`,
          )
          .join('') +
        '</table>',
    );
  }
  if (input.phases?.length) {
    const heads = input.heads.map((h) => h.name);
    const tol = input.tolerance ?? 0.05;
    const pc = (x: number) => `${(100 * x).toFixed(1)} %`;
    out.push('<h2 id="phases">Test error per phase</h2>');
    out.push(
      `<table class="phases"><tr><th>phase</th><th>n</th><th>T (K)</th>${heads.map((h) => `<th>MSE ${escapeXml(h)}</th>`).join('')}` +
        `<th>1551 share: truth</th><th>predicted</th><th>mean |Δ|</th><th>max |Δ|</th><th>within ±${tol}</th></tr>` +
        input.phases
          .map((p) => {
            const f = p.pairs_1551;
            return (
              `<tr><td>${escapeXml(p.name)}</td><td class="num">${p.n}</td><td class="num">${p.temperature[0].toFixed(0)}–${p.temperature[1].toFixed(0)}</td>` +
              heads
                .map(
                  (h) => `<td class="num">${p.mse[h] !== undefined ? p.mse[h].toExponential(3) : '—'}</td>`,
                )
                .join('') +
              (f
                ? `<td class="num">${pc(f.mean_true)}</td><td class="num">${pc(f.mean_pred)}</td><td class="num">${f.mae.toFixed(4)}</td><td class="num">${f.max_abs.toFixed(4)}</td><td class="num">${pc(f.within_tolerance)}</td>`
                : '<td>—</td><td>—</td><td>—</td><td>—</td><td>—</td>') +
              '</tr>'
            );
          })
          .join('') +
        '</table>' +
        `<p class="note">crystal: fcc, hcp, bcc, diamond; liquid: ${
          input.melting_point != null
            ? `at or above the potential's melting point Tm = ${input.melting_point} K; undercooled: liquid below Tm`
            : 'any temperature (no melting point given: undercooled not separated)'
        }. 1551 share: fraction of first-shell pairs with the icosahedral common-neighbour signature.</p>`,
    );
  }
  if (input.worst?.labels?.length) {
    const top = Math.min(10, input.worst.labels.length, input.worst.mse.length);
    out.push('<h2 id="worst">Worst test samples</h2>');
    out.push(
      `<table class="worst"><tr><th>rank</th><th>sample</th><th>MSE</th></tr>` +
        Array.from(
          { length: top },
          (_, i) =>
            `<tr><td class="num">${i + 1}</td><td>${escapeXml(input.worst!.labels![i])}</td><td class="num">${input.worst!.mse[i].toExponential(3)}</td></tr>`,
        ).join('') +
        `</table>` +
        (input.worst.mse.length > top
          ? `<p class="note">The first ${top} of ${input.worst.mse.length}; all are in the plot below.</p>`
          : ''),
    );
  }
  if (input.worst && input.worst.mse.length) {
    const n = input.worst.mse.length;
    add(
      'worst_mse',
      'worst test samples',
      worstMseFigure(input.worst.mse),
      `The ${n} test samples with the largest error, in descending order`,
    );
  }
  for (const c of input.calibration ?? []) {
    add(
      `calibration${c.head ? `_${slug(c.head)}` : ''}`,
      'calibration',
      calibrationFigure(c),
      'Above the dashed line: σ is conservative; below: over-confident',
    );
  }
  (input.examples ?? []).forEach((e, i) => {
    add(
      `example${i + 1}_g_r`,
      `example ${i + 1} g(r)`,
      exampleGrFigure(e, i),
      `Example ${i + 1}: ${e.label}`,
    );
    add(
      `example${i + 1}_n_theta`,
      `example ${i + 1} N(θ)`,
      exampleBadFigure(e, i),
      `Example ${i + 1}: ${e.label}`,
    );
  });
  if (figs.length) out.push(`<h2 id="figures">Figures</h2><div class="grid">${figs.join('')}</div>`);
  out.push('<h2 id="model">Model</h2>' + modelTable(input.model));
  if (input.dataset || input.n_test !== undefined)
    out.push(kvTable({ 'test data': input.dataset, 'test samples': input.n_test }));
  const footer =
    `Generated by exafsnn${input.version ? ` ${escapeXml(input.version)}` : ''} on ${escapeXml(generated)}` +
    (input.command ? `<div><code>${escapeXml(input.command)}</code></div>` : '');
  const title = input.title ?? `Model evaluation — ${input.model.name}`;
  const html = page(title, escapeXml(generated), out.join('\n'), footer, {
    generated,
    model: input.model,
    heads: input.heads,
    classes: input.classes ?? [],
  });
  return { html, plots, csv: null, rows: [] };
}
