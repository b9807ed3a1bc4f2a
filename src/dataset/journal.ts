/**
 * The generation journal: an append-only file beside the output (FILE.h5.partial) holding a
 * header (spec, grids, record size) and fixed-size sample records, each written and fsynced as
 * soon as a worker finishes it. A killed run (kill -9, power cut) loses at most the samples in
 * flight; on resume, intact records are kept, a torn last record is cut off, and a sample seen
 * twice (same task and snapshot) counts once.
 */
import {
  openSync,
  closeSync,
  writeSync,
  fsyncSync,
  readSync,
  fstatSync,
  ftruncateSync,
  existsSync,
  unlinkSync,
} from 'node:fs';
import { UserError, FileFormatError } from '../util/errors.js';
import { checkRecord, recordLayout, type RecordLayout } from './record.js';

const HEADER_MAGIC = 'EXAFSNN-JOURNAL-1\n';
const HEADER_SIZE = 65536;

/** What identifies a run; stored in the journal header. */
export interface JournalHeader {
  spec_hash: string;
  spec: unknown;
  shard: { index: number; count: number } | null;
  nk: number;
  nr: number;
  nt: number;
  record_size: number;
  /** identity of the sampler (engine, tables, potential) */
  identity: Record<string, string>;
  created: string;
}

/** File operations the journal uses (tests inject failures such as ENOSPC here). */
export interface JournalIO {
  writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number;
  fsyncSync(fd: number): void;
}

const nodeIO: JournalIO = {
  writeSync: (fd, buf, off, len, pos) => writeSync(fd, buf, off, len, pos),
  fsyncSync: (fd) => fsyncSync(fd),
};

/** Key of a (task, snapshot) pair. */
export function sampleKey(task: number, snapshot: number): number {
  return task * 65536 + snapshot;
}

export interface JournalEntry {
  task: number;
  snapshot: number;
  refused: boolean;
  /** byte offset of the record */
  offset: number;
}

export class Journal {
  readonly layout: RecordLayout;
  /** intact records by sampleKey (first occurrence wins) */
  readonly entries = new Map<number, JournalEntry>();
  /** records that failed their checksum (skipped) */
  corrupt = 0;
  /** bytes cut off a torn tail when opened */
  tornBytes = 0;
  private end: number;

  private constructor(
    readonly path: string,
    private fd: number | null,
    readonly header: JournalHeader,
    private readonly io: JournalIO,
  ) {
    this.layout = recordLayout(header.nk, header.nr, header.nt);
    if (this.layout.size !== header.record_size)
      throw new FileFormatError(
        path,
        null,
        `record size ${header.record_size} does not match the grids (${this.layout.size})`,
      );
    this.end = HEADER_SIZE;
  }

  /** Create a new journal (fails if one exists). */
  static create(path: string, header: Omit<JournalHeader, 'record_size'>, io: JournalIO = nodeIO): Journal {
    if (existsSync(path))
      throw new UserError(
        `${path} exists: a previous run was interrupted; add --resume to continue it, or delete the file to start over`,
      );
    const full: JournalHeader = {
      ...header,
      record_size: recordLayout(header.nk, header.nr, header.nt).size,
    };
    const text = HEADER_MAGIC + JSON.stringify(full) + '\n';
    const bytes = Buffer.alloc(HEADER_SIZE, 0x20);
    if (Buffer.byteLength(text) > HEADER_SIZE - 1)
      throw new UserError('spec too large for the journal header (64 KiB)');
    bytes.write(text, 0, 'utf8');
    bytes[HEADER_SIZE - 1] = 0x0a;
    let fd: number;
    try {
      fd = openSync(path, 'wx+');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new UserError(`cannot create ${path}: ${err.code ?? err.message}`);
    }
    const j = new Journal(path, fd, full, io);
    try {
      j.writeAt(bytes, 0);
      io.fsyncSync(fd);
    } catch (e) {
      j.close();
      try {
        unlinkSync(path);
      } catch {
        /* ignore */
      }
      throw j.ioError(e, 'creating the journal');
    }
    return j;
  }

  /**
   * Record the sampler identity (tables, potential, engine) in the header, once, before any sample
   * is committed; later sessions must report the same identity (see checkIdentity).
   */
  setIdentity(identity: Record<string, string>): void {
    if (this.fd === null) throw new Error('journal closed');
    if (this.count > 0 || Object.keys(this.header.identity).length > 0)
      throw new Error('journal identity is already fixed');
    this.header.identity = identity;
    const text = HEADER_MAGIC + JSON.stringify(this.header) + '\n';
    if (Buffer.byteLength(text) > HEADER_SIZE - 1)
      throw new UserError('spec too large for the journal header (64 KiB)');
    const bytes = Buffer.alloc(HEADER_SIZE, 0x20);
    bytes.write(text, 0, 'utf8');
    bytes[HEADER_SIZE - 1] = 0x0a;
    try {
      this.writeAt(bytes, 0);
      this.io.fsyncSync(this.fd);
    } catch (e) {
      throw this.ioError(e, 'writing the journal header');
    }
  }

  /** Read a journal's header without opening it for writing. */
  static readHeader(path: string): JournalHeader {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(HEADER_SIZE);
      const got = readSync(fd, buf, 0, HEADER_SIZE, 0);
      const text = buf.subarray(0, got).toString('utf8');
      if (got < HEADER_SIZE || !text.startsWith(HEADER_MAGIC))
        throw new FileFormatError(path, 1, 'not an exafsnn generation journal (bad header)');
      const line = text.slice(HEADER_MAGIC.length).split('\n')[0];
      try {
        return JSON.parse(line) as JournalHeader;
      } catch {
        throw new FileFormatError(path, 2, 'journal header is not valid JSON');
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Open an existing journal for resuming: index intact records, cut a torn tail. */
  static open(path: string, io: JournalIO = nodeIO, opts: { readOnly?: boolean } = {}): Journal {
    const header = Journal.readHeader(path);
    const fd = openSync(path, opts.readOnly ? 'r' : 'r+');
    const j = new Journal(path, fd, header, io);
    const size = fstatSync(fd).size;
    const L = j.layout;
    const batch = Math.max(1, Math.floor((4 << 20) / L.size));
    const buf = new Uint8Array(batch * L.size);
    let off = HEADER_SIZE;
    let lastGood = HEADER_SIZE;
    while (off + L.size <= size) {
      const want = Math.min(batch, Math.floor((size - off) / L.size)) * L.size;
      const got = readSync(fd, buf, 0, want, off);
      for (let p = 0; p + L.size <= got; p += L.size) {
        const h = checkRecord(L, buf, p);
        if (h) {
          const key = sampleKey(h.task, h.snapshot);
          if (!j.entries.has(key)) j.entries.set(key, { ...h, offset: off + p });
          lastGood = off + p + L.size;
        } else j.corrupt++;
      }
      off += got;
      if (got === 0) break;
    }
    // a torn tail: bytes after the last intact record (including trailing garbage) are cut off
    j.tornBytes = size - lastGood;
    if (j.tornBytes > 0 && !opts.readOnly) {
      ftruncateSync(fd, lastGood);
      fsyncSync(fd);
      // a corrupt record counted inside the cut tail is not "corrupt", it is torn
      j.corrupt = Math.max(0, j.corrupt - Math.floor(j.tornBytes / L.size));
    }
    j.end = lastGood;
    return j;
  }

  /** Number of distinct samples recorded (refused ones included). */
  get count(): number {
    return this.entries.size;
  }

  has(task: number, snapshot: number): boolean {
    return this.entries.has(sampleKey(task, snapshot));
  }

  private writeAt(buf: Uint8Array, pos: number): void {
    if (this.fd === null) throw new Error('journal closed');
    let done = 0;
    while (done < buf.length) {
      const n = this.io.writeSync(this.fd, buf, done, buf.length - done, pos + done);
      if (n <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
      done += n;
    }
  }

  private ioError(e: unknown, what: string): UserError {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOSPC'
        ? 'the disk is full'
        : err.code === 'EDQUOT'
          ? 'the disk quota is exceeded'
          : `${err.code ?? ''} ${err.message}`.trim();
    return new UserError(
      `${this.path}: write failed while ${what}: ${why}. The ${this.count} samples committed so far are safe; ` +
        `free space, then rerun with --resume`,
    );
  }

  /**
   * Append one record and make it durable (fsync). Duplicates (a sample already recorded) are
   * ignored. On a failed write the file is cut back to its last intact record.
   */
  append(task: number, snapshot: number, refused: boolean, record: Uint8Array): boolean {
    if (record.length !== this.layout.size)
      throw new Error(`record of ${record.length} bytes, expected ${this.layout.size}`);
    const key = sampleKey(task, snapshot);
    if (this.entries.has(key)) return false;
    const pos = this.end;
    try {
      this.writeAt(record, pos);
      this.io.fsyncSync(this.fd as number);
    } catch (e) {
      try {
        ftruncateSync(this.fd as number, pos);
      } catch {
        /* the torn tail is cut on resume anyway */
      }
      throw this.ioError(e, `committing sample ${snapshot} of task ${task}`);
    }
    this.end = pos + record.length;
    this.entries.set(key, { task, snapshot, refused, offset: pos });
    return true;
  }

  /** Read the record of an entry into `buf` at `at`. */
  readRecord(entry: JournalEntry, buf: Uint8Array, at = 0): void {
    if (this.fd === null) throw new Error('journal closed');
    const got = readSync(this.fd, buf, at, this.layout.size, entry.offset);
    if (got !== this.layout.size)
      throw new FileFormatError(this.path, null, `record at byte ${entry.offset} is truncated`);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
