/**
 * Writing exported files (export.ts) into a folder, Node only: all or none (src/util/atomic.ts
 * writeFileSetAtomic), so an error leaves no half-written set. Also the provenance numbers:
 * SHA-256 of an input file, a hash of a model folder's files, the package version.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { writeFileSetAtomic } from '../util/atomic.js';
import { packageRoot } from '../util/packagePaths.js';
import type { ExportFile } from './export.js';

/** Create `dir` (with parents) or fail with a UserError naming the option. */
export function ensureOutDir(dir: string, flag = '--out'): string {
  const out = resolve(dir);
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new UserError(
      `${flag} ${dir}: cannot create the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (!statSync(out).isDirectory()) throw new UserError(`${flag} ${dir}: exists and is not a folder`);
  return out;
}

/** Write all files or none (src/util/atomic.ts writeFileSetAtomic). Returns the paths written. */
export function writeFilesAtomic(dir: string, files: ExportFile[], flag = '--out'): string[] {
  const out = ensureOutDir(dir, flag);
  return writeFileSetAtomic(
    out,
    files.map((f) => [f.name, f.text] as const),
    `${flag} ${dir}`,
  );
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): string {
  return sha256Hex(readFileSync(path));
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * A hash of a model folder: SHA-256 over the lines "relative/path  sha256-of-file" of every file,
 * sorted by path (the same files give the same hash wherever the folder lies).
 */
export function modelFilesHash(dir: string): { sha256: string; files: number } {
  const files = listFiles(dir);
  const lines = files.map((f) => `${relative(dir, f).split('\\').join('/')}  ${sha256File(f)}\n`);
  return { sha256: sha256Hex(lines.join('')), files: files.length };
}

export function packageVersion(): string {
  try {
    return String(
      (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version,
    );
  } catch {
    return 'unknown';
  }
}
