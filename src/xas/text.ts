/**
 * Small text helpers shared by the spectrum readers (browser-safe: no node: imports).
 * Lines may end in LF, CRLF or CR; numbers may be fixed, exponent (1.2E-03) or Fortran (1.2D-03).
 */
import { FileFormatError } from '../util/errors.js';

/** Split file text into lines (LF, CRLF or lone CR), dropping a UTF-8 BOM. */
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
}

/**
 * Parse data rows (already stripped of comment lines) into columns. `rows` holds
 * [lineNumber, text]. Every row must have the same number of values as the first one
 * (or at least `minColumns`); a short row or text in a numeric column is an error with the line.
 */
export function parseRows(
  rows: Array<[number, string]>,
  file: string,
  columnName: (i: number) => string,
): NumericTable {
  if (rows.length === 0)
    throw new FileFormatError(file, null, 'no data lines (the file is empty or holds only comments)');
  const ncol = tokens(rows[0][1]).length;
  const cols: number[][] = Array.from({ length: ncol }, () => []);
  const lines: number[] = [];
  for (const [ln, text] of rows) {
    const tk = tokens(text);
    if (tk.length < ncol)
      throw new FileFormatError(
        file,
        ln,
        `expected ${ncol} numbers (as on line ${rows[0][0]}), found ${tk.length}`,
      );
    for (let c = 0; c < ncol; c++)
      cols[c].push(parseNumberToken(tk[c], file, ln, `column ${c + 1} (${columnName(c)})`));
    lines.push(ln);
  }
  return { columns: cols.map((c) => Float64Array.from(c)), lines: Int32Array.from(lines) };
}
