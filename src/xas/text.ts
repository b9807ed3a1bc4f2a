/**
 * Small text helpers shared by the spectrum readers (browser-safe: no node: imports).
 * Lines may end in LF, CRLF or CR; numbers may be fixed, exponent (1.2E-03) or Fortran (1.2D-03).
 */
import { FileFormatError } from '../util/errors.js';

/** Split file text into lines (LF, CRLF or lone CR), dropping a byte-order mark. */
export function splitLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split(/\r\n|\n|\r/);
}

/** Whitespace/comma/semicolon separated tokens of a data line. */
export function tokens(line: string): string[] {
  const t = line.trim();
  if (t === '') return [];
  return t.split(/[\s,;]+/).filter((s) => s !== '');
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const NONFINITE_RE = /^[+-]?(nan|inf|infinity|1\.#inf|1\.#qnan)$/i;

/** True when a token is a plain decimal number (fixed, E or D exponent). */
export function isNumberToken(tok: string): boolean {
  return NUMBER_RE.test(tok);
}

/**
 * Parse one numeric token. Throws FileFormatError naming file, line and column when the
 * token is text or a non-finite value (NaN/Inf are refused: they poison every later step).
 */
export function parseNumberToken(tok: string, file: string, line: number, column: string): number {
  if (NUMBER_RE.test(tok)) {
    const x = Number(tok.replace(/[dD]/, 'e'));
    if (Number.isFinite(x)) return x;
  }
  if (NONFINITE_RE.test(tok))
    throw new FileFormatError(file, line, `${column}: non-finite value "${tok}" (NaN/Inf are not allowed)`);
  throw new FileFormatError(
    file,
    line,
    `${column}: expected a number, got "${tok.length > 40 ? tok.slice(0, 40) + '…' : tok}"`,
  );
}

/** A numeric table read from a text file: columns of equal length and the source line of each row. */
export interface NumericTable {
  columns: Float64Array[];
  /** 1-based line number in the file of each row (for error messages later on) */
  lines: Int32Array;
  /** the file wrote decimals with commas (read as points) */
  decimalComma?: boolean;
}

/** How the data lines of one file separate columns and mark decimals. */
export interface RowSplitter {
  /** true when the whole file writes decimals with a comma ("8333,5  0,123") */
  decimalComma: boolean;
  split(line: string): string[];
}

/** A number with a decimal comma (or an integer): "8362,8015", "-0,5", "1,2E-03". */
const DEC_COMMA_RE = /^[+-]?(\d+,\d+|\d+|,\d+)([eEdD][+-]?\d+)?$/;

/** A data line without a trailing comment ("8333.0  0.12  # glitch" → "8333.0  0.12"). */
export const dataPart = (line: string) => line.replace(/(^|\s)[#!].*$/, '');

const columnsOf = (line: string) =>
  dataPart(line)
    .trim()
    .split(/[\s;]+/)
    .filter((s) => s !== '');

/**
 * Decide how a file's data lines are split. Commas are column separators (CSV) unless the whole
 * file writes decimals with commas and separates columns with blanks, tabs or semicolons; then the
 * commas are decimal marks. A file that mixes the two (one "8362,8015" among "8333.5" values) is
 * refused with the line and column, since either reading would misplace numbers.
 */
export function rowSplitter(rows: Array<[number, string]>, file: string): RowSplitter {
  const plain: RowSplitter = { decimalComma: false, split: (line) => tokens(dataPart(line)) };
  rows = rows.map(([l, t]) => [l, dataPart(t)]);
  if (!rows.some(([, t]) => t.includes(','))) return plain;
  type Hit = { line: number; token: string; col: number };
  let firstDc: Hit | null = null; // first line written with decimal commas
  let firstPoint: Hit | null = null; // first line with a decimal point (no comma)
  let firstCsv: Hit | null = null; // first line with commas between columns
  let firstStray: Hit | null = null; // a lone "8362,8015" token on a line with blanks between columns
  let dc = 0;
  let point = 0;
  let csv = 0;
  for (const [line, text] of rows) {
    const cols = columnsOf(text);
    if (!text.includes(',')) {
      if (text.includes('.')) {
        point++;
        if (!firstPoint) {
          const col = cols.findIndex((x) => x.includes('.'));
          firstPoint = { line, token: cols[col], col };
        }
      }
      continue;
    }
    if (cols.length >= 2 && cols.every((c) => DEC_COMMA_RE.test(c))) {
      dc++;
      if (!firstDc) {
        const col = cols.findIndex((x) => x.includes(','));
        firstDc = { line, token: cols[col], col };
      }
      continue;
    }
    csv++;
    if (!firstCsv) firstCsv = { line, token: text.trim(), col: 0 };
    // a number with a comma inside, among blank-separated columns: a decimal comma (possibly with a
    // point as thousands separator, "8.333,5") in a file that is neither CSV nor decimal-comma
    const stray =
      cols.length >= 2 ? cols.findIndex((x) => /^[+-]?[\d.]*\d,\d+([eEdD][+-]?\d+)?$/.test(x)) : -1;
    if (stray >= 0 && !firstStray) firstStray = { line, token: cols[stray], col: stray };
  }
  const clip = (t: string) => (t.length > 40 ? t.slice(0, 40) + '…' : t);
  const refuse = (h: Hit, other: Hit, what: string): never => {
    throw new FileFormatError(
      file,
      h.line,
      `column ${h.col + 1}: "${clip(h.token)}" ${what} (line ${other.line})`,
    );
  };
  if (dc > 0 && (point > 0 || csv > 0)) {
    const others = point + csv;
    const other = (firstPoint ?? firstCsv)!;
    if (dc <= others)
      refuse(
        firstDc!,
        other,
        'has a decimal comma, but other lines use decimal points or commas between columns; use one convention in the whole file',
      );
    refuse(
      firstPoint ?? firstCsv!,
      firstDc!,
      'uses a decimal point or commas between columns, but most lines write decimals with a comma; use one convention in the whole file',
    );
  }
  if (dc > 0) return { decimalComma: true, split: (line) => columnsOf(line).map((t) => t.replace(',', '.')) };
  // blanks between columns but a comma inside a number: a decimal comma among points, or a mix
  if (firstStray)
    refuse(
      firstStray,
      firstPoint ?? firstCsv!,
      point > 0
        ? 'has a decimal comma, but other lines use decimal points; write the value with a point'
        : 'has a comma inside a number while blanks separate the columns: neither comma-separated columns nor decimal commas throughout; use one convention in the whole file',
    );
  return plain;
}

/**
 * Parse data rows (already stripped of comment lines) into columns. `rows` holds
 * [lineNumber, text]. Every row must have the same number of values as the first one;
 * a short or long row or text in a numeric column is an error with the line.
 */
export function parseRows(
  rows: Array<[number, string]>,
  file: string,
  columnName: (i: number) => string,
  splitter: RowSplitter = rowSplitter(rows, file),
): NumericTable {
  if (rows.length === 0)
    throw new FileFormatError(file, null, 'no data lines (the file is empty or holds only comments)');
  const split = splitter.split;
  const ncol = split(rows[0][1]).length;
  const cols: number[][] = Array.from({ length: ncol }, () => []);
  const lines: number[] = [];
  for (const [ln, text] of rows) {
    const tk = split(text);
    if (tk.length !== ncol)
      throw new FileFormatError(
        file,
        ln,
        `expected ${ncol} numbers (as on line ${rows[0][0]}), found ${tk.length}` +
          (tk.length > ncol && /\d,\d/.test(text) && !splitter.decimalComma
            ? ' (a decimal comma? commas separate the columns of this file)'
            : ''),
      );
    for (let c = 0; c < ncol; c++)
      cols[c].push(parseNumberToken(tk[c], file, ln, `column ${c + 1} (${columnName(c)})`));
    lines.push(ln);
  }
  return {
    columns: cols.map((c) => Float64Array.from(c)),
    lines: Int32Array.from(lines),
    decimalComma: splitter.decimalComma,
  };
}
