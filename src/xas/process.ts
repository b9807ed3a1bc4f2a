/**
 * The whole measured-spectrum pipeline: read → clean (sort, merge) → E0, pre-edge line, post-edge
 * normalisation, edge step → AUTOBK χ(k) on a 0.05 Å⁻¹ grid → |χ(R)|; with the element/edge
 * cross-check and clear errors for data that cannot give χ(k). χ(k) files skip the background step.
 * Browser-safe: text in, typed arrays out.
 */
import { UserError } from '../util/errors.js';
import { readSpectrum, type ReadOptions, type SpectrumData, type MuData, type ChiData } from './read.js';
import { prepareMu } from './prepare.js';
import { preEdge, findE0, derivative } from './preedge.js';
import { autobk } from './autobk.js';
import { xftf, type XftfOptions } from './ft.js';
import { resolveFt } from './ftDefaults.js';
import {
  edgeEnergy,
  guessEdge,
  normaliseEdge,
  normaliseElement,
  EDGE_NAMES,
  ETOK,
  type EdgeName,
} from './constants.js';
import { interp } from './numeric.js';

export interface ProcessOptions extends ReadOptions {
  element?: string;
  edge?: string;
  /** E0 in eV (snapped to the nearest energy point, as Larch does); default: maximum of dμ/dE */
  e0?: number;
  /** E0 rule when not given: 'derivative' (Larch 0.9.58 find_e0; default) or 'smooth' (Gaussian-smoothed dμ/dE, σ 0.5 eV) */
  e0Method?: 'derivative' | 'smooth';
  /** AUTOBK settings (defaults rbkg 1 Å, kweight 2, dk 0.1, hanning, kstep 0.05, nclamp 3, clamp_lo 0, clamp_hi 1) */
  rbkg?: number;
  kweight?: number;
  dk?: number;
  window?: string;
  kstep?: number;
  nknots?: number;
  /** spline k range (default 0 to the end of the data) */
  kmin?: number;
  kmax?: number;
  nclamp?: number;
  clamp_lo?: number;
  clamp_hi?: number;
  /** pre-edge / normalisation ranges relative to E0 (eV) and post-edge polynomial degree */
  pre1?: number;
  pre2?: number;
  norm1?: number;
  norm2?: number;
  nnorm?: number;
  /** use an Athena record's saved E0, energy shift, background and normalisation settings */
  athenaParams?: boolean;
  /** energies closer than this (eV) are merged (default 0.01) */
  mergeTol?: number;
  /** check E0 against the tabulated edge of the element (default true) and the tolerance in eV (default max(30, 0.4 % of the edge)) */
  checkEdge?: boolean;
  edgeTolerance?: number;
  /** settings of the χ(R) transform in the result (defaults: FT_DEFAULTS in ftDefaults.ts, kmax lowered to the data) */
  ft?: XftfOptions;
}

export interface ProcessResult {
  file: string;
  format: string;
  /** 'mu' when the background was removed here, 'chi' when the file already held χ(k) */
  input: 'mu' | 'chi';
  source: string;
  label?: string;
  element: string | null;
  edge: string | null;
  /** tabulated energy of that edge (eV) */
  edge_energy: number | null;
  e0: number | null;
  edge_step: number | null;
  energy: Float64Array;
  mu: Float64Array;
  norm: Float64Array;
  pre_edge: Float64Array;
  post_edge: Float64Array;
  bkg: Float64Array;
  k: Float64Array;
  chi: Float64Array;
  /** largest k reached by the data (Å⁻¹) */
  kmax_data: number;
  r: Float64Array;
  chir_mag: Float64Array;
  chir_re: Float64Array;
  chir_im: Float64Array;
  /** the settings actually used (defaults filled in) */
  params: Record<string, number | string | null>;
  warnings: string[];
}

const EMPTY = new Float64Array(0);

/** Read and process a spectrum file's text (see module comment). */
export function processSpectrum(text: string, name: string, opts: ProcessOptions = {}): ProcessResult {
  return processData(readSpectrum(text, name, opts), opts);
}

/** Process μ(E) arrays directly (e.g. from an app that already holds them). */
export function processMu(
  energy: ArrayLike<number>,
  mu: ArrayLike<number>,
  opts: ProcessOptions & { name?: string } = {},
): ProcessResult {
  const data: MuData = {
    kind: 'mu',
    file: opts.name ?? 'spectrum',
    format: 'columns',
    energy: Float64Array.from(energy),
    mu: Float64Array.from(mu),
    lines: null,
    element: null,
    edge: null,
    source: 'arrays',
    warnings: [],
  };
  return processData(data, opts);
}

export function processData(data: SpectrumData, opts: ProcessOptions = {}): ProcessResult {
  return data.kind === 'chi' ? processChi(data, opts) : processMuData(data, opts);
}

function resolveElement(
  data: SpectrumData,
  opts: ProcessOptions,
): { element: string | null; edge: EdgeName | null } {
  let element: string | null = null;
  if (opts.element !== undefined) {
    element = normaliseElement(opts.element);
    if (!element)
      throw new UserError(`--element ${opts.element}: unknown element symbol (expected K … U, e.g. Ni)`);
  } else if (data.element) element = normaliseElement(data.element);
  let edge: EdgeName | null = null;
  if (opts.edge !== undefined) {
    edge = normaliseEdge(opts.edge);
    if (!edge) throw new UserError(`--edge ${opts.edge}: expected one of ${EDGE_NAMES.join(', ')}`);
  } else if (data.edge) edge = normaliseEdge(data.edge);
  if (
    element &&
    data.element &&
    opts.element !== undefined &&
    normaliseElement(data.element) &&
    normaliseElement(data.element) !== element
  )
    data.warnings.push(`the file says element ${data.element}; using --element ${element}`);
  return { element, edge };
}

function processMuData(data: MuData, opts: ProcessOptions): ProcessResult {
  const file = data.file;
  const warnings = [...data.warnings];
  const ath = opts.athenaParams ? data.athena : undefined;
  if (opts.athenaParams && !data.athena)
    warnings.push('--athena-params ignored: the input is not an Athena project');
  let energy = data.energy;
  if (ath?.eshift) energy = energy.map((e) => e + ath.eshift!);
  const prep = prepareMu(energy, data.mu, file, { mergeTol: opts.mergeTol, lines: data.lines ?? undefined });
  warnings.push(...prep.warnings);
  const E = prep.energy;
  const mu = prep.mu;
  const n = E.length;
  if (n < 20)
    throw new UserError(
      `${file}: only ${n} distinct energy points; a μ(E) spectrum needs many more (tens below and hundreds above the edge)`,
    );
  const emin = E[0];
  const emax = E[n - 1];

  const { element, edge: edgeIn } = resolveElement(data, opts);
  let edge = edgeIn;
  const e0Given = opts.e0 ?? (ath?.e0 !== undefined && ath.e0 > 0 ? ath.e0 : undefined);
  if (e0Given !== undefined && !(e0Given > emin && e0Given < emax))
    throw new UserError(
      `${file}: --e0 ${e0Given} eV lies outside the data range ${emin.toFixed(1)}–${emax.toFixed(1)} eV`,
    );
  // element given, edge not: the edge of that element inside the data range
  if (element && !edge) {
    const inRange = EDGE_NAMES.filter((e) => {
      const en = edgeEnergy(element, e)!;
      return en > emin && en < emax;
    });
    edge = inRange.length ? inRange[0] : 'K';
  }
  const check = opts.checkEdge !== false;
  let tab = element && edge ? edgeEnergy(element, edge) : null;
  const tolOf = (en: number) => opts.edgeTolerance ?? Math.max(30, 0.004 * en);
  if (check && tab !== null && (tab < emin - tolOf(tab) || tab > emax + tolOf(tab))) {
    const ef = findE0(E, mu);
    const g = guessEdge(ef);
    const hint =
      Math.abs(g.energy - ef) < tolOf(g.energy)
        ? `; the edge in the data, at ${ef.toFixed(1)} eV, looks like ${g.element} ${g.edge} (${g.energy} eV)`
        : '';
    throw new UserError(
      `${file}: no ${element} ${edge} edge in range: it lies at ${tab} eV but the data cover ${emin.toFixed(1)}–${emax.toFixed(1)} eV${hint}`,
    );
  }

  const pre = preEdge(E, mu, {
    e0: e0Given,
    e0Method: opts.e0Method,
    pre1: opts.pre1 ?? ath?.pre1,
    pre2: opts.pre2 ?? ath?.pre2,
    norm1: opts.norm1 ?? ath?.norm1,
    norm2: opts.norm2 ?? ath?.norm2,
    nnorm: opts.nnorm ?? ath?.nnorm,
  });
  const e0 = pre.e0;

  // is there an edge at all? step against the scatter of μ about the pre-edge line
  let ss = 0;
  let cnt = 0;
  for (let i = 0; i < n && E[i] <= e0 + pre.pre2; i++) {
    if (E[i] < e0 + pre.pre1) continue;
    ss += (mu[i] - pre.pre_edge[i]) ** 2;
    cnt++;
  }
  const scatter = cnt > 2 ? Math.sqrt(ss / cnt) : 0;
  // ... and the derivative at E0 against its typical size (an edge is a sharp rise, not a wiggle)
  const d = derivative(E, mu);
  const away: number[] = [];
  for (let i = 0; i < n; i++) if (Math.abs(E[i] - e0) > 30) away.push(Math.abs(d[i]));
  away.sort((x, y) => x - y);
  const sharp =
    away.length >= 10 ? Math.abs(d[pre.ie0]) / Math.max(away[away.length >> 1], 1e-300) : Infinity;
  if (
    !(pre.edge_step > 0) ||
    (scatter > 0 && pre.edge_step < 10 * scatter) ||
    sharp < 10 ||
    pre.ie0 < 3 ||
    pre.ie0 > n - 4
  )
    throw new UserError(
      `${file}: no absorption edge found in ${emin.toFixed(1)}–${emax.toFixed(1)} eV (the largest dμ/dE, at ${e0.toFixed(1)} eV, is ${sharp.toFixed(1)}× its median more than 30 eV away, and gives an edge step ${pre.edge_step.toPrecision(3)} against a pre-edge scatter ${scatter.toPrecision(3)})`,
    );
  const guess = guessEdge(e0, !element && edge ? [edge] : undefined);
  if (check && element && edge && tab !== null) {
    if (Math.abs(e0 - tab) > tolOf(tab))
      throw new UserError(
        `${file}: the edge found at E0 = ${e0.toFixed(1)} eV is not the ${element} ${edge} edge (${tab} eV)${Math.abs(guess.energy - e0) < tolOf(guess.energy) ? `; it looks like ${guess.element} ${guess.edge} (${guess.energy} eV)` : ''}. Check --element/--edge, or give --e0`,
      );
  }
  let el = element;
  if (!el) {
    if (Math.abs(guess.energy - e0) < tolOf(guess.energy)) {
      el = guess.element;
      edge = guess.edge;
      tab = guess.energy;
      warnings.push(`element not given; E0 = ${e0.toFixed(1)} eV suggests ${el} ${edge} (${tab} eV)`);
    } else
      warnings.push(`element not given and E0 = ${e0.toFixed(1)} eV is not near a tabulated K or L3 edge`);
  }
  const kmaxData = Math.sqrt(ETOK * (emax - e0));
  if (kmaxData < 3)
    throw new UserError(
      `${file}: the data end ${(emax - e0).toFixed(1)} eV above E0 (k = ${kmaxData.toFixed(2)} Å⁻¹); at least k = 3 Å⁻¹ is needed for χ(k)`,
    );

  const kweight = opts.kweight ?? ath?.kweight ?? 2;
  const bk = autobk(E, mu, e0, pre.edge_step, {
    rbkg: opts.rbkg ?? ath?.rbkg ?? 1,
    kweight,
    dk: opts.dk ?? ath?.dk ?? 0.1,
    window: opts.window ?? ath?.window ?? 'hanning',
    kstep: opts.kstep ?? 0.05,
    nknots: opts.nknots,
    kmin: opts.kmin ?? ath?.kmin,
    kmax: opts.kmax ?? ath?.kmax,
    nclamp: opts.nclamp,
    clamp_lo: opts.clamp_lo ?? ath?.clamp_lo,
    clamp_hi: opts.clamp_hi ?? ath?.clamp_hi,
  });
  if (bk.kmax < 3)
    throw new UserError(
      `${file}: --kmax ${bk.kmax}: χ(k) would end at ${bk.kmax} Å⁻¹; at least 3 Å⁻¹ is needed`,
    );
  const ft = defaultFt(bk.k, bk.chi, Math.min(kmaxData, bk.kmax), opts.ft);
  return {
    file,
    format: data.format,
    input: 'mu',
    source: data.source,
    label: data.label,
    element: el,
    edge,
    edge_energy: tab,
    e0,
    edge_step: pre.edge_step,
    energy: E,
    mu,
    norm: pre.norm,
    pre_edge: pre.pre_edge,
    post_edge: pre.post_edge,
    bkg: bk.bkg,
    k: bk.k,
    chi: bk.chi,
    kmax_data: kmaxData,
    ...ft.out,
    params: {
      pre1: pre.pre1,
      pre2: pre.pre2,
      norm1: pre.norm1,
      norm2: pre.norm2,
      nnorm: pre.nnorm,
      rbkg: opts.rbkg ?? ath?.rbkg ?? 1,
      kweight,
      dk: opts.dk ?? ath?.dk ?? 0.1,
      window: opts.window ?? ath?.window ?? 'hanning',
      kstep: opts.kstep ?? 0.05,
      nknots: bk.nspl,
      kmin: bk.kmin,
      kmax: bk.kmax,
      nclamp: opts.nclamp ?? 3,
      clamp_lo: opts.clamp_lo ?? ath?.clamp_lo ?? 0,
      clamp_hi: opts.clamp_hi ?? ath?.clamp_hi ?? 1,
      eshift: ath?.eshift ?? 0,
      ...ft.params,
    },
    warnings,
  };
}

/** χ(R) of the result with the shared FT defaults (ftDefaults.ts) for every setting not given. */
function defaultFt(k: Float64Array, chi: Float64Array, kmaxData: number, o: XftfOptions = {}) {
  const s = resolveFt({ kmin: o.kmin, kmax: o.kmax, dk: o.dk, window: o.window, kweight: o.kweight }, kmaxData);
  const f = xftf(k, chi, { ...s, rmax_out: o.rmax_out ?? 10 });
  return {
    out: { r: f.r, chir_mag: f.chir_mag, chir_re: f.chir_re, chir_im: f.chir_im },
    params: { ft_kmin: s.kmin, ft_kmax: s.kmax, ft_dk: s.dk, ft_window: s.window, ft_kweight: s.kweight },
  };
}

function processChi(data: ChiData, opts: ProcessOptions): ProcessResult {
  const file = data.file;
  const warnings = [...data.warnings];
  const n = data.k.length;
  if (n < 10) throw new UserError(`${file}: only ${n} χ(k) points`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data.k[i]) || !Number.isFinite(data.chi[i]))
      throw new UserError(
        `${file}: non-finite k or χ at point ${i + 1}${data.lines ? ` (line ${data.lines[i]})` : ''}`,
      );
    if (i > 0 && !(data.k[i] > data.k[i - 1]))
      throw new UserError(
        `${file}${data.lines ? `:${data.lines[i]}` : ''}: k must increase (k = ${data.k[i]} after ${data.k[i - 1]})`,
      );
  }
  if (opts.e0 !== undefined || opts.rbkg !== undefined)
    warnings.push('the input is already χ(k): --e0/--rbkg are not used');
  const { element, edge } = resolveElement(data, opts);
  const kstep = opts.kstep ?? 0.05;
  const kmaxData = data.k[n - 1];
  const nout = Math.trunc(1.01 + kmaxData / kstep);
  const k = new Float64Array(nout);
  for (let i = 0; i < nout; i++) k[i] = kstep * i;
  const chi = interp(k, data.k, data.chi);
  for (let i = 0; i < nout && k[i] < data.k[0] - 1e-9; i++) chi[i] = 0;
  const kweight = opts.kweight ?? 2;
  const ft = defaultFt(k, chi, kmaxData, opts.ft);
  return {
    file,
    format: data.format,
    input: 'chi',
    source: data.source,
    label: data.label,
    element,
    edge,
    edge_energy: element && edge ? edgeEnergy(element, edge) : null,
    e0: null,
    edge_step: null,
    energy: EMPTY,
    mu: EMPTY,
    norm: EMPTY,
    pre_edge: EMPTY,
    post_edge: EMPTY,
    bkg: EMPTY,
    k,
    chi,
    kmax_data: kmaxData,
    ...ft.out,
    params: { kstep, kweight, ...ft.params },
    warnings,
  };
}
