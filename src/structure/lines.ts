/**
 * Line-by-line streaming of a text file (for trajectory readers), with 1-based line numbers.
 * Only one chunk of the file is held in memory at a time.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { FileFormatError, UserError } from '../util/errors.js';

/** A cursor over the lines of a file that remembers the current line number. */
export class LineCursor {
  private it: AsyncIterator<string>;
  private stream: ReturnType<typeof createReadStream>;
  private peeked: string | null | undefined = undefined;
  /** 1-based number of the last line returned by next() (0 before the first). */
  lineNo = 0;

  constructor(readonly file: string) {
    let st;
    try {
      st = statSync(file);
    } catch (e) {
      throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (st.isDirectory()) throw new UserError(`cannot read ${file}: it is a directory, expected a configuration file`);
    this.stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const rl = createInterface({ input: this.stream, crlfDelay: Infinity });
    this.it = rl[Symbol.asyncIterator]();
  }

  /** The next line (without the line ending), or null at the end of the file. */
  async next(): Promise<string | null> {
    if (this.peeked !== undefined) {
      const p = this.peeked;
      this.peeked = undefined;
      if (p !== null) this.lineNo++;
      return p;
    }
    const r = await this.it.next();
    if (r.done) return null;
    this.lineNo++;
    return r.value;
  }

  /** Look at the next line without consuming it. */
  async peek(): Promise<string | null> {
    if (this.peeked === undefined) {
      const r = await this.it.next();
      this.peeked = r.done ? null : r.value;
    }
    return this.peeked;
  }

  /** Skip blank lines; returns false at the end of the file. */
  async skipBlank(): Promise<boolean> {
    for (;;) {
      const p = await this.peek();
      if (p === null) return false;
      if (p.trim() !== '') return true;
      await this.next();
    }
  }

  error(detail: string, line: number | null = this.lineNo): FileFormatError {
    return new FileFormatError(this.file, line, detail);
  }

  async close(): Promise<void> {
    if (this.it.return) await this.it.return();
    this.stream.destroy();
  }
}

/** Split a line on whitespace (no empty fields). */
export function fields(line: string): string[] {
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
export async function firstNonBlankLine(file: string): Promise<{ line: string; lineNo: number } | null> {
  const cur = new LineCursor(file);
  try {
    for (;;) {
      const l = await cur.next();
      if (l === null) return null;
      if (l.trim() !== '') return { line: l, lineNo: cur.lineNo };
    }
  } finally {
    await cur.close();
  }
}
