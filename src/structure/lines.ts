/**
 * Line-by-line reading of a text file (for trajectory readers), with 1-based line numbers.
 * The file is read in 1 MiB blocks, so only one block and the current frame are in memory.
 * Reads are synchronous (much faster per line than readline's promise per line); the readers
 * built on it are async generators that yield one frame at a time.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FileFormatError, UserError } from '../util/errors.js';

/** A cursor over the lines of a file that remembers the current line number. */
export class LineCursor {
  /** bytes read per block (1 MiB; tests lower it to exercise block boundaries) */
  static blockSize = 1 << 20;
  private fd: number | null;
  private buf = Buffer.allocUnsafe(LineCursor.blockSize);
  private decoder = new StringDecoder('utf8');
  private lines: string[] = [];
  private pos = 0;
  private rest = '';
  private eof = false;
  /** 1-based number of the last line returned by next() (0 before the first). */
  lineNo = 0;

  constructor(readonly file: string) {
    let st;
    try {
      st = statSync(file);
    } catch (e) {
      throw new UserError(
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    if (st.isDirectory())
      throw new UserError(`cannot read ${file}: it is a directory, expected a configuration file`);
    try {
      this.fd = openSync(file, 'r');
    } catch (e) {
      throw new UserError(
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }

  /** Refill the line buffer; returns false at the end of the file. */
  private fill(): boolean {
    while (this.pos >= this.lines.length) {
      if (this.eof || this.fd === null) return false;
      const got = readSync(this.fd, this.buf, 0, this.buf.length, null);
      let text: string;
      if (got === 0) {
        this.eof = true;
        text = this.rest + this.decoder.end();
        this.rest = '';
        if (text === '') return false;
        this.lines = [text.endsWith('\r') ? text.slice(0, -1) : text];
        this.pos = 0;
        return true;
      }
      text = this.rest + this.decoder.write(this.buf.subarray(0, got));
      const parts = text.split('\n');
      this.rest = parts.pop() ?? '';
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k];
        if (p.endsWith('\r')) parts[k] = p.slice(0, -1);
      }
      this.lines = parts;
      this.pos = 0;
    }
    return true;
  }

  /** The next line (without the line ending), or null at the end of the file. */
  next(): string | null {
    if (!this.fill()) return null;
    this.lineNo++;
    return this.lines[this.pos++];
  }

  /** Look at the next line without consuming it. */
  peek(): string | null {
    return this.fill() ? this.lines[this.pos] : null;
  }

  /** Skip blank lines; returns false at the end of the file. */
  skipBlank(): boolean {
    for (;;) {
      const p = this.peek();
      if (p === null) return false;
      if (p.trim() !== '') return true;
      this.next();
    }
  }

  error(detail: string, line: number | null = this.lineNo): FileFormatError {
    return new FileFormatError(this.file, line, detail);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.lines = [];
  }
}

/** Split a line on whitespace (no empty fields). */
export function fields(line: string): string[] {
  // fast path: single-space separated (what LAMMPS and most writers produce)
  if (
    line.length > 0 &&
    line.charCodeAt(0) > 32 &&
    line.charCodeAt(line.length - 1) > 32 &&
    !/\s\s|\t/.test(line)
  )
    return line.split(' ');
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Parse a finite number or throw a located error naming the field. */
export function parseNum(cur: LineCursor, s: string | undefined, what: string): number {
  if (s === undefined) throw cur.error(`missing ${what}`);
  const x = Number(s);
  if (s.trim() === '' || !Number.isFinite(x)) throw cur.error(`${what}: expected a number, got "${s}"`);
  return x;
}

/** First non-blank line of a file (for format detection), or null for an empty file. */
export function firstNonBlankLine(file: string): { line: string; lineNo: number } | null {
  const cur = new LineCursor(file);
  try {
    for (;;) {
      const l = cur.next();
      if (l === null) return null;
      if (l.trim() !== '') return { line: l, lineNo: cur.lineNo };
    }
  } finally {
    cur.close();
  }
}
