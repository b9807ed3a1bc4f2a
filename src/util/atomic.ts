/**
 * Atomic file writes: write to a temporary name in the same folder, fsync, then rename,
 * so a reader never sees a half-written file and an interrupted write leaves the old file intact.
 * writeFileSetAtomic does the same for a set of files in one folder (a report and its figures).
 */
import {
  openSync,
  writeSync,
  fsyncSync,
  closeSync,
  renameSync,
  unlinkSync,
  existsSync,
  linkSync,
  lstatSync,
} from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { UserError } from './errors.js';

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (existsSync(tmp)) unlinkSync(tmp);
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot write ${path}: ${err.code ?? ''} ${err.message}`.trim(), { cause: e });
  }
}

function writeSynced(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const errText = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Write a set of files into one existing folder so that the folder shows either the whole new set
 * or the old files, never a mix (a report whose figures belong to another run):
 *  1. every target must be absent or a regular file (checked before anything is written);
 *  2. every file is written and fsynced under a temporary name; a failure removes the temporaries;
 *  3. each existing target is hard-linked to a backup, then the temporaries are renamed into place
 *     in the given order (put the index file, e.g. report.html, last); a failed rename puts every
 *     backup back and removes the files that were new, then the backups are removed.
 * Only a crash inside step 3 (renames, microseconds) can leave a mix. A folder is not renamed
 * as a whole because --out may name a folder holding other files (`--out .`).
 * `label` starts the error messages (e.g. "--out results"). `rename` is for tests (a failing rename).
 */
export function writeFileSetAtomic(
  dir: string,
  files: ReadonlyArray<readonly [name: string, data: string | Uint8Array]>,
  label: string,
  rename: (from: string, to: string) => void = renameSync,
): string[] {
  const targets = files.map(([name]) => join(dir, name));
  if (new Set(targets).size !== targets.length) throw new Error(`writeFileSetAtomic: a file name twice in ${dir}`);
  for (const t of targets) {
    let st;
    try {
      st = lstatSync(t);
    } catch {
      continue;
    }
    if (!st.isFile())
      throw new UserError(`${label}: cannot write ${basename(t)}: a folder or other non-file is in the way; nothing was written`);
  }
  const temps: string[] = [];
  try {
    files.forEach(([, data], i) => {
      const tmp = tempPathFor(targets[i]);
      temps.push(tmp);
      writeSynced(tmp, data);
    });
  } catch (e) {
    for (const tmp of temps) if (existsSync(tmp)) unlinkSync(tmp);
    throw new UserError(`${label}: cannot write (${errText(e)}); nothing was written`, { cause: e });
  }
  // backups of the files the set replaces (a hard link: no copy; null where the target is new)
  const backups = targets.map((t) => {
    if (!existsSync(t)) return null;
    const bak = `${tempPathFor(t)}.bak`;
    try {
      linkSync(t, bak);
      return bak;
    } catch {
      return undefined; // no hard links here: this file cannot be restored
    }
  });
  let done = 0;
  try {
    for (; done < targets.length; done++) rename(temps[done], targets[done]);
  } catch (e) {
    const lost: string[] = [];
    for (let j = 0; j < done; j++) {
      const b = backups[j];
      try {
        if (b) renameSync(b, targets[j]);
        else if (b === null) unlinkSync(targets[j]);
        else lost.push(basename(targets[j]));
      } catch {
        lost.push(basename(targets[j]));
      }
    }
    for (let j = done; j < targets.length; j++) {
      if (existsSync(temps[j])) unlinkSync(temps[j]);
      const b = backups[j];
      if (b && existsSync(b)) unlinkSync(b);
    }
    throw new UserError(
      `${label}: cannot write ${basename(targets[done])} (${errText(e)}); ` +
        (lost.length ? `the new ${lost.join(', ')} could not be taken back, the other files are as they were` : 'the folder is as it was'),
      { cause: e },
    );
  }
  for (const b of backups) if (b && existsSync(b)) unlinkSync(b);
  return targets;
}
