/**
 * Base for trajectory writers that append frames: frames go to a temporary file in the same
 * folder; `close()` syncs and renames it over the target, so a reader never sees a half-written
 * file and an interrupted run leaves any previous file intact. `abort()` discards the temporary file.
 */
import { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, existsSync } from 'node:fs';
import type { Configuration } from './types.js';
import { tempPathFor } from '../util/atomic.js';
import { UserError } from '../util/errors.js';

export abstract class FrameFileWriter {
  private fd: number | null = null;
  private tmp = '';
  private finished = false;
  /** frames appended so far */
  frames = 0;

  constructor(readonly path: string) {}

  /** Text of one frame (the frame index is 0-based). */
  protected abstract format(conf: Configuration, frame: number): string;

  open(): this {
    if (this.fd !== null) return this;
    if (this.finished) throw new Error(`${this.path}: writer already closed`);
    this.tmp = tempPathFor(this.path);
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new UserError(`cannot write ${this.path}: ${(e as Error).message}`);
    }
    return this;
  }

  append(conf: Configuration): void {
    if (this.fd === null) this.open();
    const buf = Buffer.from(this.format(conf, this.frames), 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd!, buf, off, buf.length - off);
    this.frames++;
  }

  /** Finish: sync and atomically rename the temporary file onto the target path. */
  close(): void {
    if (this.finished) return;
    if (this.fd === null) this.open();
    fsyncSync(this.fd!);
    closeSync(this.fd!);
    this.fd = null;
    this.finished = true;
    try {
      renameSync(this.tmp, this.path);
    } catch (e) {
      if (existsSync(this.tmp)) unlinkSync(this.tmp);
      throw new UserError(`cannot write ${this.path}: ${(e as Error).message}`);
    }
  }

  /** Discard everything written (the target file is left as it was). */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.finished = true;
    if (this.tmp && existsSync(this.tmp)) unlinkSync(this.tmp);
  }

  /** Write all frames and close; aborts on error. */
  writeAll(confs: Configuration | Iterable<Configuration>): void {
    this.open();
    try {
      for (const c of isConfiguration(confs) ? [confs] : confs) this.append(c);
      this.close();
    } catch (e) {
      this.abort();
      throw e;
    }
  }
}

export function isConfiguration(x: unknown): x is Configuration {
  return typeof x === 'object' && x !== null && 'positions' in x && 'box' in x && 'n' in x;
}
