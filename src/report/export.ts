/**
 * Every number back out, as files other tools read (browser-safe: text in memory; Node writes them
 * with exportWrite.ts, the app offers them as downloads):
 *  - `process --out`: column files with commented headers in the style Athena and Larch write
 *    ("# key: value" lines, a "# ----" line, then "#  energy  mu  norm ..." naming the columns):
 *    STEM_mu.dat (energy, μ, normalised μ, pre-edge line, post-edge curve, background),
 *    STEM_chik.dat (k, χ, kχ, k²χ, k³χ), STEM_chir.dat (R, |χ(R)|, Re, Im), and STEM_process.json;
 *  - `predict --out`: one CSV per curve, each with its σ column (STEM_g_r.csv, STEM_n_theta.csv,
 *    STEM_chi_k.csv, STEM_chi_resim.csv, STEM_chi_r.csv; STEM_chi_resim_r.csv, the forward check's
 *    χ(R) of data and re-simulation, has none) and STEM_prediction.json holding every number
 *    with its provenance; first_shell.csv (one row per spectrum) has the columns of `predict --csv`.
 * Numbers are written with the shortest text that reads back to the same double (String(x)), so
 * the files equal the JSON exactly; a missing number is "nan" in the files and null in the JSON.
 */
import type { ProcessResult } from '../xas/process.js';
import { estimateNoise, chirSigma, type NoiseEstimate } from '../xas/noise.js';
import { ftwindow } from '../xas/window.js';
import { forwardCheck, forwardCheckRWindow, shellForTriplets } from '../exafs/resimulate.js';
import type { GammaTables } from '../theory/table.js';

export interface ExportFile {
  name: string;
  text: string;
}

const num = (x: number | null | undefined): string =>
  typeof x === 'number' && Number.isFinite(x) ? String(x) : 'nan';

/** JSON text of any result: typed arrays become arrays, NaN/Inf become null (as `--json` prints). */
export function toJsonText(obj: unknown): string {
  return (
    JSON.stringify(
      obj,
      (_k, v: unknown) => {
        if (ArrayBuffer.isView(v) && !(v instanceof DataView))
          return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
        if (typeof v === 'number') return Number.isFinite(v) ? v : null;
        return v;
      },
      1,
    ) + '\n'
  );
}

/** A column file: "# " comment lines, a dashed line, the column names, then the rows. */
export function columnFile(comments: string[], names: string[], cols: ArrayLike<number>[]): string {
  const n = cols.length ? cols[0].length : 0;
  const out = comments.map((c) => `# ${c}`.trimEnd());
  out.push('# ' + '-'.repeat(71), '#  ' + names.join('  '));
  for (let i = 0; i < n; i++) out.push('  ' + cols.map((c) => num(c[i])).join('  '));
  return out.join('\n') + '\n';
}

function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? num(v) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file (RFC 4180): one header row of column names, then the rows. */
export function csvFile(names: string[], cols: ArrayLike<number>[]): string {
  const n = cols.length ? cols[0].length : 0;
  const out = [names.join(',')];
  for (let i = 0; i < n; i++) out.push(cols.map((c) => num(c[i])).join(','));
  return out.join('\n') + '\n';
}

/** A file-name stem from an input file (and Athena record label). */
export function stemOf(file: string, label?: string): string {
  const base = (file.split(/[\\/]/).pop() ?? file).replace(/\.gz$/i, '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const s = label ? `${base}_${label}` : base;
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'spectrum'
  );
}

/** Stems for several inputs, made unique by a counter where two inputs share a name. */
export function uniqueStems(items: Array<{ file: string; label?: string }>): string[] {
  const seen = new Map<string, number>();
  return items.map((it) => {
    const s = stemOf(it.file, it.label);
    const c = (seen.get(s) ?? 0) + 1;
    seen.set(s, c);
    return c === 1 ? s : `${s}-${c}`;
  });
}

function settingsLines(res: ProcessResult): string[] {
  const p = res.params;
  const g = (k: string) => (p[k] === undefined || p[k] === null ? 'n/a' : String(p[k]));
  const lines = [
    `Element: ${res.element ?? '?'}   Edge: ${res.edge ?? '?'}`,
    `Source: ${res.source}${res.label ? `   Record: ${res.label}` : ''}`,
  ];
  if (res.input === 'mu')
    lines.push(
      `E0: ${num(res.e0)}   Edge step: ${num(res.edge_step)}   Eshift: ${g('eshift')}`,
      `Pre-edge: ${g('pre1')} to ${g('pre2')}   Post-edge: ${g('norm1')} to ${g('norm2')}   nnorm: ${g('nnorm')}`,
      `AUTOBK: rbkg ${g('rbkg')}  kweight ${g('kweight')}  k ${g('kmin')} to ${g('kmax')}  dk ${g('dk')}  window ${g('window')}  nknots ${g('nknots')}  clamps ${g('clamp_lo')}/${g('clamp_hi')}`,
    );
  lines.push(
    `FT: k ${g('ft_kmin')} to ${g('ft_kmax')}  dk ${g('ft_dk')}  window ${g('ft_window')}  kweight ${g('ft_kweight')}`,
  );
  return lines;
}

/** The files of `process --out`: μ(E) family, χ(k), χ(R) and the JSON of the whole result. */
export function processExport(
  res: ProcessResult,
  meta: { version: string; stem?: string; command?: string },
): ExportFile[] {
  const stem = meta.stem ?? stemOf(res.file, res.label);
  const head = (what: string) => [
    `exafsnn ${meta.version} -- ${what} of ${res.file.split(/[\\/]/).pop()}`,
    ...settingsLines(res),
    ...(meta.command ? [`Command: ${meta.command}`] : []),
  ];
  const files: ExportFile[] = [];
  if (res.input === 'mu')
    files.push({
      name: `${stem}_mu.dat`,
      text: columnFile(
        head('μ(E), normalised μ(E), pre-edge line, post-edge curve and AUTOBK background (eV; μ units)'),
        ['energy', 'mu', 'norm', 'pre_edge', 'post_edge', 'bkg'],
        [res.energy, res.mu, res.norm, res.pre_edge, res.post_edge, res.bkg],
      ),
    });
  const kw = (w: number) => Float64Array.from(res.k, (k, i) => Math.pow(k, w) * res.chi[i]);
  files.push(
    {
      name: `${stem}_chik.dat`,
      text: columnFile(
        head('χ(k) (k in Å⁻¹)'),
        ['k', 'chi', 'chik', 'chik2', 'chik3'],
        [res.k, res.chi, kw(1), kw(2), kw(3)],
      ),
    },
    {
      name: `${stem}_chir.dat`,
      text: columnFile(
        head('χ(R), not phase-corrected (R in Å)'),
        ['r', 'chir_mag', 'chir_re', 'chir_im'],
        [res.r, res.chir_mag, res.chir_re, res.chir_im],
      ),
    },
    {
      name: `${stem}_process.json`,
      text: toJsonText({ exafsnn_version: meta.version, command: meta.command ?? null, ...res }),
    },
  );
  return files;
}

/** Measured-χ noise: ε_k per χ(k) point and the matching σ of Re/Im χ(R) for the result's own FT. */
export function measuredNoise(res: ProcessResult): NoiseEstimate & { chir_std: number } {
  const ne = estimateNoise(res.k, res.chi);
  const p = res.params;
  const win = ftwindow(res.k, {
    xmin: Number(p.ft_kmin),
    xmax: Number(p.ft_kmax),
    dx: Number(p.ft_dk),
    window: String(p.ft_window),
  });
  return { ...ne, chir_std: chirSigma(ne.epsilon_k, res.k, win, Number(p.ft_kweight)) };
}

export interface PredictionExportInput {
  /** stem for the file names */
  stem: string;
  process: ProcessResult;
  /** predictionJson() of the prediction: every number predict --json prints (first_shell, local_order, …) */
  prediction: Record<string, unknown>;
  /** σ of the re-simulated χ(k) (ensemble spread), when known */
  resimStd?: ArrayLike<number> | null;
  provenance: Record<string, unknown>;
}

type Curve = { file: string; columns: Record<string, ArrayLike<number>> };

/** The curves of one prediction, each with its σ column, and the JSON holding them and every other number. */
export function predictionExport(inp: PredictionExportInput): {
  files: ExportFile[];
  json: Record<string, unknown>;
} {
  const pr = inp.prediction as Record<string, ArrayLike<number> | unknown>;
  const res = inp.process;
  const noise = measuredNoise(res);
  const arr = (k: string) => (pr[k] as ArrayLike<number> | undefined) ?? new Float64Array(0);
  const filled = (n: number, v: number) => new Float64Array(n).fill(v);
  // the measured χ(k) up to the end of the data (the grid beyond holds no data)
  let nk = 0;
  while (nk < res.k.length && res.k[nk] <= res.kmax_data + 1e-9) nk++;
  const curves: Record<string, Curve> = {
    g_r: { file: `${inp.stem}_g_r.csv`, columns: { r_A: arr('r'), g: arr('g'), g_std: arr('g_std') } },
    n_theta: {
      file: `${inp.stem}_n_theta.csv`,
      columns: { theta_deg: arr('theta'), n_theta: arr('bad'), n_theta_std: arr('bad_std') },
    },
    chi_k: {
      file: `${inp.stem}_chi_k.csv`,
      columns: {
        k_invA: res.k.subarray(0, nk),
        chi: res.chi.subarray(0, nk),
        chi_std: filled(nk, noise.epsilon_k),
      },
    },
    chi_r: {
      file: `${inp.stem}_chi_r.csv`,
      columns: {
        r_A: res.r,
        chir_mag: res.chir_mag,
        chir_re: res.chir_re,
        chir_im: res.chir_im,
        chir_std: filled(res.r.length, noise.chir_std),
      },
    },
  };
  const rs = pr.resimulated as Record<string, ArrayLike<number>> | null | undefined;
  if (rs && rs.k) {
    const n = rs.k.length;
    curves.chi_resim = {
      file: `${inp.stem}_chi_resim.csv`,
      columns: {
        k_invA: rs.k,
        chi: rs.chi,
        chi_std: inp.resimStd && inp.resimStd.length === n ? inp.resimStd : filled(n, NaN),
        chi2: rs.chi2 ?? filled(n, NaN),
        chi3: rs.chi3 ?? filled(n, NaN),
      },
    };
  }
  const cr = (rs as { chir?: Record<string, ArrayLike<number>> } | null | undefined)?.chir;
  if (cr && cr.r) {
    // χ(R) of the forward check (its R-factor's transform): data and re-simulation, no σ of its own
    curves.chi_resim_r = {
      file: `${inp.stem}_chi_resim_r.csv`,
      columns: {
        r_A: cr.r,
        chir_re: cr.data_re,
        chir_im: cr.data_im,
        chir_re_resim: cr.sim_re,
        chir_im_resim: cr.sim_im,
      },
    };
  }
  const files: ExportFile[] = Object.values(curves).map((c) => ({
    name: c.file,
    text: csvFile(Object.keys(c.columns), Object.values(c.columns)),
  }));
  const json: Record<string, unknown> = {
    ...inp.provenance,
    processing: {
      input: res.input,
      format: res.format,
      source: res.source,
      label: res.label ?? null,
      element: res.element,
      edge: res.edge,
      edge_energy: res.edge_energy,
      e0: res.e0,
      edge_step: res.edge_step,
      kmax_data: res.kmax_data,
      settings: res.params,
      warnings: res.warnings,
    },
    noise: {
      method:
        'Larch estimate_noise: high-R (15–30 Å) χ(R) RMS → ε_k by Parseval; χ(R) σ propagated through the FT settings',
      epsilon_k: noise.epsilon_k,
      epsilon_r: noise.epsilon_r,
      chir_std: noise.chir_std,
      settings: noise.settings,
    },
    prediction: inp.prediction,
    curves: Object.fromEntries(Object.entries(curves).map(([k, c]) => [k, { file: c.file, ...c.columns }])),
  };
  files.push({ name: `${inp.stem}_prediction.json`, text: toJsonText(json) });
  return { files, json };
}

/**
 * Scalar numbers of a JSON-like object as flat "a.b" columns (arrays and nested arrays skipped):
 * the first-shell table takes every scalar the prediction has, so new fields (first_shell
 * sub-shells, local_order, S0² heads) appear without changes here.
 */
export function flatScalars(obj: unknown, prefix = '', out: Record<string, string | number | null> = {}) {
  if (obj === null || obj === undefined) return out;
  if (typeof obj !== 'object') {
    if (typeof obj === 'number' || typeof obj === 'string') out[prefix] = obj;
    else if (typeof obj === 'boolean') out[prefix] = obj ? 1 : 0;
    return out;
  }
  if (Array.isArray(obj) || ArrayBuffer.isView(obj)) return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (v === null) out[prefix ? `${prefix}.${k}` : k] = null;
    else flatScalars(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** The keys of a prediction JSON that belong in the one-row-per-spectrum table. */
const ROW_SKIP = /^(warnings|report|resimulated\.(k|chi|chi2|chi3))$/;

/** One row per spectrum: file, element, edge, temperature, E0 and every scalar of the prediction. */
export function firstShellRow(
  prediction: Record<string, unknown>,
  extra: { temperature_K?: number | null; label?: string } = {},
): Record<string, string | number | null> {
  const flat = flatScalars(prediction);
  const base =
    String(prediction.file ?? '')
      .split(/[\\/]/)
      .pop() ?? '';
  const row: Record<string, string | number | null> = {
    file: extra.label ? `${base} [${extra.label}]` : base,
    element: (prediction.element as string | null) ?? null,
    edge: (prediction.edge as string | null) ?? null,
    temperature_K: extra.temperature_K ?? null,
    e0_eV: (prediction.e0 as number | null) ?? null,
  };
  for (const [k, v] of Object.entries(flat)) {
    if (k in row || k === 'e0' || k === 'model' || ROW_SKIP.test(k)) continue;
    row[k] = v;
  }
  // the windows of the forward check's R-factors are arrays [from, to]: two columns each
  const rs = prediction.resimulated as Record<string, unknown> | null | undefined;
  for (const key of ['r_range', 'k_range']) {
    const v = rs?.[key];
    if (Array.isArray(v) && v.length === 2) {
      row[`resimulated.${key}.from`] = v[0] as number;
      row[`resimulated.${key}.to`] = v[1] as number;
    }
  }
  return row;
}

/** The first-shell table as CSV (RFC 4180): `predict --csv FILE` and first_shell.csv of `predict --out`. */
export function firstShellCsv(rows: Array<Record<string, string | number | null>>): string {
  const fixed = ['file', 'element', 'edge', 'temperature_K', 'e0_eV'];
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  // a column no row has a value for (resimulated with --no-resimulate, a head the model lacks) is left out
  for (let i = cols.length - 1; i >= 0; i--)
    if (!fixed.includes(cols[i]) && rows.every((r) => r[cols[i]] === null || r[cols[i]] === undefined))
      cols.splice(i, 1);
  const out = [cols.join(',')];
  for (const r of rows) out.push(cols.map((c) => csvField(r[c] === undefined ? null : r[c])).join(','));
  return out.join('\n') + '\n';
}

/** What the spread of the re-simulated χ(k) needs of a prediction (EnsemblePrediction fits). */
export interface PredictionMembers {
  r: ArrayLike<number>;
  theta: ArrayLike<number>;
  first_shell: { r: number; r_lower: number; cutoff: number };
  members: Array<{ g: ArrayLike<number>; bad: ArrayLike<number>; density: number }>;
}

/**
 * σ of the re-simulated χ(k): the sample standard deviation of χ(k) re-simulated from each member's
 * own g(r), ρ and N(θ), with the ensemble mean's S0² and ΔE (refined within ±0.5 eV in the mean's
 * R window) and the mean's first shell — the networks' disagreement carried through the forward model (src/exafs
 * forwardCheck). Null with fewer than two usable members. Browser-safe (the caller loads the tables).
 */
export function resimulatedSpread(
  tables: GammaTables,
  pred: PredictionMembers,
  model: { k: ArrayLike<number>; kweight: number },
  dataK: ArrayLike<number>,
  dataChi: ArrayLike<number>,
  mean: { dE: number; s02: number; n: number },
): Float64Array | null {
  const shell = shellForTriplets(pred.first_shell);
  const curves: Float64Array[] = [];
  for (const m of pred.members) {
    if (!Number.isFinite(m.density)) continue;
    const fc = forwardCheck(
      { r: pred.r, g: m.g, density: m.density, theta: pred.theta, bad: m.bad, shell },
      tables,
      dataK,
      dataChi,
      {
        kweight: model.kweight,
        kmin: Math.max(model.k[0], 3),
        kmax: model.k[model.k.length - 1],
        rRange: forwardCheckRWindow(pred.first_shell.r, pred.r[pred.r.length - 1]),
        dERange: [mean.dE, mean.dE],
        fitS02: false,
        s02: mean.s02,
      },
    );
    if (fc.chi.length === mean.n) curves.push(fc.chi);
  }
  if (curves.length < 2) return null;
  const out = new Float64Array(mean.n);
  for (let i = 0; i < mean.n; i++) {
    let m = 0;
    for (const c of curves) m += c[i];
    m /= curves.length;
    let v = 0;
    for (const c of curves) v += (c[i] - m) ** 2;
    out[i] = Math.sqrt(v / (curves.length - 1));
  }
  return out;
}
