/**
 * Plain column files: comment lines start with #, !, % or ;; the last comment (or leading
 * non-numeric) line holding as many labels as there are data columns names the columns.
 * Column 1 is energy (or the column named energy), column 2 μ unless flags choose others.
 */
import { splitLines, tokens, isNumberToken, parseRows, rowSplitter } from './text.js';
import type { ColumnTable } from './table.js';
import { FileFormatError } from '../util/errors.js';

export function parseColumns(text: string, file: string): ColumnTable {
  const lines = splitLines(text);
  const header: string[] = [];
  const rows: Array<[number, string]> = [];
  let firstText: [number, string] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    if (/^[#!%;]/.test(t)) {
      if (rows.length === 0) header.push(t.replace(/^[#!%;]+/, ''));
      continue;
    }
    // a leading line that is not numeric (e.g. "energy mu") is a header, not data
    if (rows.length === 0 && !isNumberToken(tokens(t)[0] ?? '')) {
      header.push(t);
      firstText ??= [i + 1, t];
      continue;
    }
    rows.push([i + 1, raw]);
  }
  if (rows.length === 0 && firstText)
    throw new FileFormatError(
      file,
      firstText[0],
      `no lines of numbers: the file holds only text (this line: "${firstText[1].slice(0, 60)}"); expected XDI, columns of numbers, an Athena project or a χ(k) file`,
    );
  const splitter = rowSplitter(rows, file);
  const ncol = rows.length ? splitter.split(rows[0][1]).length : 0;
  let names: string[] = [];
  for (let h = header.length - 1; h >= 0; h--) {
    const tk = tokens(header[h]);
    if (tk.length === ncol && tk.every((s) => !isNumberToken(s))) {
      names = tk;
      break;
    }
  }
  if (names.length !== ncol) names = Array.from({ length: ncol }, (_, c) => `col${c + 1}`);
  const table = parseRows(rows, file, (c) => names[c], splitter);
  const fields = new Map<string, string>();
  return {
    file,
    names,
    units: names.map(() => ''),
    columns: table.columns,
    lines: table.lines,
    fields,
    format: 'columns',
    decimalComma: table.decimalComma,
  };
}
