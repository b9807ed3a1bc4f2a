/**
 * Node-only file access for src/xas (the rest of the folder is browser-safe): read a spectrum file,
 * inflating gzip (Athena .prj) with zlib, with a clear message for missing or unreadable files.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../util/errors.js';
import { decodeText, isGzip } from './bytes.js';
import { processSpectrum, type ProcessOptions, type ProcessResult } from './process.js';
import { readSpectrum, type ReadOptions, type SpectrumData } from './read.js';
import { isAthenaProject, parseAthenaProject } from './athena.js';

export function readSpectrumText(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(
      `${path}: cannot read the file (${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : (err.code ?? err.message)})`,
    );
  }
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new UserError(`${path}: looks gzip-compressed but does not inflate (${(e as Error).message})`);
    }
  }
  return decodeText(bytes, path);
}

export function readSpectrumFile(path: string, opts: ReadOptions = {}): SpectrumData {
  return readSpectrum(readSpectrumText(path), path, opts);
}

export function processSpectrumFile(path: string, opts: ProcessOptions = {}): ProcessResult {
  return processSpectrum(readSpectrumText(path), path, opts);
}

/**
 * The record numbers (as strings, for --group) of every μ(E) and χ(k) record of an Athena project,
 * for `--group all`; a file that is not an Athena project is refused with that reason.
 */
export function athenaRecordLabels(path: string): string[] {
  const text = readSpectrumText(path);
  if (!isAthenaProject(text)) throw new UserError(`--group all: ${path} is not an Athena project`);
  const recs = parseAthenaProject(text, path).filter((r) => r.kind !== 'other');
  if (!recs.length) throw new UserError(`${path}: the project holds no μ(E) or χ(k) record`);
  return recs.map((r) => String(r.index));
}
