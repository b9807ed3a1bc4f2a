/**
 * Running FEFF 8.5 (Debian package feff85exafs: `feff8l_rdinp`, `_pot`, `_xsph`, `_genfmt`, `_ff2x`).
 *
 * 1. `preparePotentials`: writes feff.inp for the element's reference solid (absorber at the
 *    origin), runs rdinp + pot + xsph once (self-consistent muffin-tin potentials, ~30 s) and
 *    caches phase.pad and FEFF's JSON settings in a work folder (reused when the inputs match).
 * 2. `runPaths`: any list of scattering paths (our own geometry, absorber at the origin) is
 *    written as paths.dat and pushed through genfmt + ff2x in batches of ≤ 9999 (FEFF's path
 *    index has four digits), with the curved-wave importance filter switched off
 *    (critcw = 0: otherwise weak paths are dropped silently). feffNNNN.dat files are parsed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  mkdtempSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { FeffSettings } from './feffSolid.js';
import { feffInput, pathsDat, parseFeffDat, zeroCritcw, type FeffPath, type PathSpec } from './feffFiles.js';

const STAGES = ['feff8l_rdinp', 'feff8l_pot', 'feff8l_xsph', 'feff8l_genfmt', 'feff8l_ff2x'];

/** Throws a UserError unless the FEFF 8.5 stage programs are on PATH. */
export function checkFeffInstalled(bin = process.env.EXAFSNN_FEFF_BIN): void {
  for (const s of STAGES) {
    const exe = bin ? join(bin, s) : s;
    const r = spawnSync('sh', ['-c', `command -v "${exe}"`], { encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout.trim()) {
      throw new UserError(
        `FEFF 8.5 is not installed: "${exe}" was not found on PATH` +
          (bin ? ` (EXAFSNN_FEFF_BIN=${bin})` : '') +
          `; install it with "apt-get install feff85exafs"`,
      );
    }
  }
}

export function feffAvailable(): boolean {
  try {
    checkFeffInstalled();
    return true;
  } catch {
    return false;
  }
}

function exe(name: string): string {
  const bin = process.env.EXAFSNN_FEFF_BIN;
  return bin ? join(bin, name) : name;
}

function runStage(name: string, cwd: string): void {
  try {
    execFileSync(exe(name), [], { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    const tail = `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`
      .split('\n')
      .slice(-8)
      .join('\n');
    throw new UserError(`FEFF stage ${name} failed in ${cwd}: ${err.message}\n${tail}`, { cause: e });
  }
}

export interface FeffPotentials {
  dir: string;
  settings: FeffSettings;
  /** FEFF's own version strings, e.g. "Feff8L (EXAFS) 0.1" */
  version: string;
  /** Debian package version when dpkg knows it */
  packageVersion: string | null;
}

const POT_FILES = ['phase.pad', 'global.json', 'genfmt.json', 'ff2x.json', 'xsect.json'];

function packageVersion(): string | null {
  try {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'feff85exafs'], { encoding: 'utf8' });
    return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
  } catch {
    return null;
  }
}

/**
 * Self-consistent potentials and phase shifts of the reference solid, cached in `workDir`
 * (reused when settings.json there matches). Returns where phase.pad lives.
 */
export function preparePotentials(
  s: FeffSettings,
  workDir: string,
  log: (m: string) => void = () => {},
): FeffPotentials {
  checkFeffInstalled();
  mkdirSync(workDir, { recursive: true });
  const settingsFile = join(workDir, 'exafsnn-settings.json');
  const key = JSON.stringify(s);
  // compare parsed settings, so a re-formatted settings file (e.g. by a formatter) still matches
  const sameSettings = (): boolean => {
    try {
      return JSON.stringify(JSON.parse(readFileSync(settingsFile, 'utf8'))) === key;
    } catch {
      return false;
    }
  };
  const cached =
    existsSync(settingsFile) && sameSettings() && POT_FILES.every((f) => existsSync(join(workDir, f)));
  if (!cached) {
    for (const f of [...POT_FILES, settingsFile]) if (existsSync(join(workDir, f))) rmSync(join(workDir, f));
    writeFileSync(join(workDir, 'feff.inp'), feffInput(s));
    const t0 = Date.now();
    log(
      `FEFF: self-consistent potentials for ${s.element} ${s.edge} (a = ${s.lattice} Å, SCF ${s.scfRadius} Å) in ${workDir} …`,
    );
    for (const st of ['feff8l_rdinp', 'feff8l_pot', 'feff8l_xsph']) runStage(st, workDir);
    for (const f of POT_FILES) {
      if (!existsSync(join(workDir, f)))
        throw new UserError(`FEFF did not write ${f} in ${workDir}; see the logs there`);
    }
    zeroCritcw(join(workDir, 'genfmt.json'));
    zeroCritcw(join(workDir, 'ff2x.json'));
    writeFileAtomic(settingsFile, key);
    log(`FEFF: potentials done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const g = JSON.parse(readFileSync(join(workDir, 'global.json'), 'utf8')) as {
    vfeff?: string;
    vf85e?: string;
  };
  return {
    dir: workDir,
    settings: s,
    version: `${(g.vfeff ?? 'Feff8L').trim()} ${(g.vf85e ?? '').trim()}`.trim(),
    packageVersion: packageVersion(),
  };
}

/**
 * Run genfmt + ff2x on our own paths (batches of ≤ `batch` paths). Results come back in the
 * order of `paths`; a path FEFF skipped is an error (it must not vanish silently).
 */
export function runPaths(
  pots: FeffPotentials,
  paths: PathSpec[],
  opts: { batch?: number; onProgress?: (done: number, total: number) => void; keepDir?: string } = {},
): FeffPath[] {
  const batch = Math.min(9999, opts.batch ?? 4000);
  const dir = opts.keepDir ?? mkdtempSync(join(tmpdir(), 'exafsnn-feff-'));
  mkdirSync(dir, { recursive: true });
  for (const f of POT_FILES) copyFileSync(join(pots.dir, f), join(dir, f));
  const out: FeffPath[] = [];
  try {
    for (let s = 0; s < paths.length; s += batch) {
      for (const f of readdirSync(dir))
        if (/^feff\d{4}\.dat$/.test(f) || f === 'feff.pad' || f === 'list.dat') rmSync(join(dir, f));
      const part = paths.slice(s, s + batch);
      writeFileSync(join(dir, 'paths.dat'), pathsDat(part));
      runStage('feff8l_genfmt', dir);
      runStage('feff8l_ff2x', dir);
      for (let i = 0; i < part.length; i++) {
        const f = join(dir, `feff${String(i + 1).padStart(4, '0')}.dat`);
        if (!existsSync(f))
          throw new UserError(
            `FEFF wrote no ${f} for path ${s + i + 1} (nleg ${part[i].atoms.length + 1}); check the path geometry`,
          );
        out.push(parseFeffDat(readFileSync(f, 'utf8'), f));
      }
      opts.onProgress?.(Math.min(paths.length, s + batch), paths.length);
    }
  } finally {
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** The default cache folder for FEFF potentials of one element/edge/lattice. */
export function defaultWorkDir(s: FeffSettings): string {
  const base = process.env.EXAFSNN_CACHE ?? join(tmpdir(), `exafsnn-feff-cache-${process.getuid?.() ?? 0}`);
  return join(base, `${s.element}-${s.edge}-a${s.lattice}-scf${s.scfRadius}`);
}
