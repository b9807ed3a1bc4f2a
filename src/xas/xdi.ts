/**
 * XDI 1.0 reader (https://github.com/XraySpectroscopy/XAS-Data-Interchange, spec 1.0):
 * "# XDI/1.0" version line, "# Namespace.tag: value" fields (Column.N, Element.symbol,
 * Element.edge, ...), "# ///" ending the fields, free comments, an optional "#----" line and a
 * column-label line, then whitespace-separated numbers. Energies in keV (Column units) become eV.
 */
import { FileFormatError } from '../util/errors.js';
import { splitLines, tokens, parseRows, rowSplitter } from './text.js';
import type { ColumnTable } from './table.js';

const FIELD_RE = /^#\s*([A-Za-z][\w-]*)\.([\w-]+)\s*:\s*(.*?)\s*$/;

export function isXdi(text: string): boolean {
  return /^\uFEFF?#\s*XDI\/1\./i.test(text.slice(0, 64));
}

export function parseXdi(text: string, file: string): ColumnTable {
  const lines = splitLines(text);
  if (!isXdi(text))
    throw new FileFormatError(file, 1, 'not an XDI file (first line must start with "# XDI/1.")');
  const fields = new Map<string, string>();
  const colNames = new Map<number, { name: string; units: string }>();
  let inFields = true;
  let lastComment = '';
  const rows: Array<[number, string]> = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    if (t.startsWith('#')) {
      if (rows.length > 0) continue; // comments after data start: ignore
      if (/^#\s*\/\/\//.test(t)) {
        inFields = false;
        continue;
      }
      if (inFields) {
        const m = FIELD_RE.exec(t);
        if (m) {
          const key = `${m[1]}.${m[2]}`.toLowerCase();
          fields.set(key, m[3]);
          const cm = /^column\.(\d+)$/.exec(key);
          if (cm) {
            const tk = m[3].split(/\s+/).filter(Boolean);
            colNames.set(Number(cm[1]), { name: tk[0] ?? '', units: tk.slice(1).join(' ') });
          }
          continue;
        }
      }
      if (!/^#\s*-{3,}/.test(t)) lastComment = t.replace(/^#+/, '');
      continue;
    }
    rows.push([i + 1, raw]);
  }
  const splitter = rowSplitter(rows, file);
  const firstRowCols = rows.length ? splitter.split(rows[0][1]).length : 0;
  const labels = tokens(lastComment);
  const names: string[] = [];
  const units: string[] = [];
  for (let c = 0; c < firstRowCols; c++) {
    const cn = colNames.get(c + 1);
    names.push(cn?.name || (labels.length === firstRowCols ? labels[c] : `col${c + 1}`));
    units.push(cn?.units ?? '');
  }
  const table = parseRows(rows, file, (c) => names[c] ?? `col${c + 1}`, splitter);
  const out: ColumnTable = {
    file,
    names,
    units,
    columns: table.columns,
    lines: table.lines,
    fields,
    format: 'xdi',
    decimalComma: table.decimalComma,
  };
  // energy in keV → eV
  for (let c = 0; c < names.length; c++) {
    if (/^(energy|e)$/i.test(names[c]) && /^kev$/i.test(units[c].trim())) {
      const col = out.columns[c];
      for (let i = 0; i < col.length; i++) col[i] *= 1000;
      units[c] = 'eV';
    }
  }
  return out;
}
