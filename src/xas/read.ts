/**
 * One entry point for every spectrum format: given a file's text and its name, recognise the format
 * (XDI, Athena project, χ(k) file, plain columns) and return μ(E) or χ(k) with the element and
 * edge the file states. Browser-safe (text in, arrays out); see node-io.ts for reading files.
 */
import { FileFormatError, UserError } from '../util/errors.js';
import { isXdi, parseXdi } from './xdi.js';
import { parseColumns } from './columns.js';
import {
  isAthenaProject,
  parseAthenaProject,
  pickAthenaRecord,
  athenaParams,
  type AthenaParams,
} from './athena.js';
import { selectMu, energyColumn, findColumn, type ColumnSelection, type ColumnTable } from './table.js';
import { normaliseElement, normaliseEdge } from './constants.js';

export type SpectrumFormat = 'auto' | 'xdi' | 'columns' | 'athena' | 'chi';

export interface ReadOptions extends ColumnSelection {
  /** force a format instead of recognising it (default 'auto') */
  format?: SpectrumFormat;
  /** Athena record label */
  group?: string;
}

interface Common {
  file: string;
  format: 'xdi' | 'columns' | 'athena' | 'chi';
  /** element symbol and edge stated by the file (XDI Element.*, Athena bkg_z), or null */
  element: string | null;
  edge: string | null;
  /** how the signal was formed ("mutrans", "ln(i0/itrans)", "chi", ...) */
  source: string;
  warnings: string[];
}

export interface MuData extends Common {
  kind: 'mu';
  energy: Float64Array;
  mu: Float64Array;
  /** 1-based file line of each point, when known */
  lines: Int32Array | null;
  /** Athena record label and saved processing parameters */
  label?: string;
  athena?: AthenaParams;
}

export interface ChiData extends Common {
  kind: 'chi';
  k: Float64Array;
  chi: Float64Array;
  lines: Int32Array | null;
  label?: string;
}

export type SpectrumData = MuData | ChiData;

const CHI_EXT = /\.(chi|chik|chiq|chi\d)$/i;

function detect(text: string, name: string): Exclude<SpectrumFormat, 'auto'> {
  if (isAthenaProject(text)) return 'athena';
  if (text.charCodeAt(0) === 0x1f && text.charCodeAt(1) === 0x8b)
    throw new UserError(
      `${name}: the file is gzip-compressed; decompress it first (the command line does this itself)`,
    );
  if (isXdi(text)) return 'xdi';
  if (CHI_EXT.test(name)) return 'chi';
  return 'columns';
}

/** Read a spectrum from file text. `name` is used in messages and to recognise .chi/.chik files. */
export function readSpectrum(text: string, name: string, opts: ReadOptions = {}): SpectrumData {
  if (text.trim() === '') throw new FileFormatError(name, null, 'the file is empty');
  const fmt = opts.format && opts.format !== 'auto' ? opts.format : detect(text, name);
  if (fmt === 'athena') return readAthena(text, name, opts);
  const table =
    fmt === 'xdi' || (fmt === 'chi' && isXdi(text)) ? parseXdi(text, name) : parseColumns(text, name);
  const isChi = fmt === 'chi' || /^k$/i.test(table.names[0] ?? '');
  if (isChi) return chiFromTable(table, name, opts);
  if (opts.group !== undefined)
    throw new UserError(
      `--group is for Athena projects; ${name} is ${table.format === 'xdi' ? 'an XDI' : 'a column'} file`,
    );
  const ecol = energyColumn(table);
  const { mu, source } = selectMu(table, opts);
  const element = table.fields.get('element.symbol') ?? null;
  const edge = table.fields.get('element.edge') ?? null;
  const warnings: string[] = [];
  if (table.decimalComma) warnings.push('the file writes decimals with commas; they were read as decimal points');
  const energy = Float64Array.from(table.columns[ecol]);
  if (table.format === 'columns' && energy.length > 0 && Math.max(...energy) < 150) {
    // an absorption edge of interest is above 150 eV: these energies are in keV
    for (let i = 0; i < energy.length; i++) energy[i] *= 1000;
    warnings.push('energies below 150 were taken to be in keV and converted to eV');
  }
  return {
    kind: 'mu',
    file: name,
    format: table.format,
    energy,
    mu,
    lines: table.lines,
    element: element ? (normaliseElement(element) ?? element) : null,
    edge: edge ? (normaliseEdge(edge) ?? edge) : null,
    source,
    warnings,
  };
}

function chiFromTable(t: ColumnTable, name: string, opts: ReadOptions): ChiData {
  if (opts.i0 !== undefined || opts.itrans !== undefined || opts.ifluor !== undefined)
    throw new UserError(
      `${name} holds χ(k); --i0/--itrans/--ifluor apply to μ(E) files only (use --mu COL to pick the χ column)`,
    );
  if (t.columns.length < 2) throw new FileFormatError(name, null, 'a χ(k) file needs two columns: k and χ');
  let ci: number;
  if (opts.mu !== undefined) ci = findColumn(t, opts.mu, 'mu');
  else {
    ci = t.names.findIndex((n) => /^chi$/i.test(n));
    if (ci < 0) ci = 1;
  }
  const k = Float64Array.from(t.columns[0]);
  const chi = Float64Array.from(t.columns[ci]);
  // a k-weighted column (chik, chik2, chik3) is turned back into χ(k)
  const m = /^chik(\d?)$/i.exec(t.names[ci] ?? '');
  const warnings: string[] = [];
  if (t.decimalComma) warnings.push('the file writes decimals with commas; they were read as decimal points');
  if (m) {
    const w = m[1] ? Number(m[1]) : 1;
    for (let i = 0; i < k.length; i++) chi[i] = k[i] > 0 ? chi[i] / Math.pow(k[i], w) : 0;
    warnings.push(`column "${t.names[ci]}" is k^${w}·χ(k); divided by k^${w}`);
  }
  const element = t.fields.get('element.symbol') ?? null;
  const edge = t.fields.get('element.edge') ?? null;
  return {
    kind: 'chi',
    file: name,
    format: 'chi',
    k,
    chi,
    lines: t.lines,
    element: element ? normaliseElement(element) : null,
    edge: edge ? normaliseEdge(edge) : null,
    source: t.names[ci] || `column ${ci + 1}`,
    warnings,
  };
}

function readAthena(text: string, name: string, opts: ReadOptions): SpectrumData {
  if (
    opts.mu !== undefined ||
    opts.i0 !== undefined ||
    opts.itrans !== undefined ||
    opts.ifluor !== undefined
  )
    throw new UserError(
      `${name}: column flags (--mu/--i0/--itrans/--ifluor) do not apply to Athena projects; use --group LABEL`,
    );
  const recs = parseAthenaProject(text, name);
  const rec = pickAthenaRecord(recs, name, opts.group);
  const params = athenaParams(rec);
  const element = params.element ? normaliseElement(params.element) : null;
  const edge = params.edge ? normaliseEdge(params.edge) : null;
  const warnings: string[] = [];
  if (rec.merged) warnings.push(`record "${rec.label}" is a merge of several scans`);
  if (rec.kind === 'mu' && rec.normalised)
    warnings.push(
      `record "${rec.label}" holds normalised μ(E) (Athena's is_nor); processed as μ(E), so the edge step is about 1`,
    );
  if (rec.kind === 'chi')
    return {
      kind: 'chi',
      file: name,
      format: 'athena',
      k: rec.x,
      chi: rec.y,
      lines: null,
      element,
      edge,
      source: `Athena record "${rec.label}" (χ)`,
      warnings,
      label: rec.label,
    };
  return {
    kind: 'mu',
    file: name,
    format: 'athena',
    energy: rec.x,
    mu: rec.y,
    lines: null,
    element,
    edge,
    source: `Athena record "${rec.label}" (${rec.normalised ? 'normalised μ' : 'μ'})`,
    warnings,
    label: rec.label,
    athena: params,
  };
}
