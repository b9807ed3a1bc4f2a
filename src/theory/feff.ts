/**
 * FEFF 8.5 driver (Debian package feff85exafs: `feff8l_rdinp`, `_pot`, `_xsph`, `_genfmt`, `_ff2x`).
 *
 * 1. `preparePotentials`: writes feff.inp for the element's reference solid (absorber at the
 *    origin), runs rdinp + pot + xsph once (self-consistent muffin-tin potentials, ~30 s) and
 *    caches phase.pad and FEFF's JSON settings in a work folder (reused when the inputs match).
 * 2. `runPaths`: any list of scattering paths (our own geometry, absorber at the origin) is
 *    written as paths.dat and pushed through genfmt + ff2x in batches of ≤ 9999 (FEFF's path
 *    index has four digits), with the curved-wave importance filter switched off
 *    (critcw = 0: otherwise weak paths are dropped silently). feffNNNN.dat files are parsed.
 *
 * The EXAFS of one path (FEFF 8 documentation, feffNNNN.dat columns):
 *   χ(k) = Im{ S0²·deg·mag·red / (k·reff²) · e^(−2reff/λ) · e^(i(2k·reff + phase + 2phc)) }
 * where the file's second column already holds 2·phc.
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
import { splineInterp } from './spline.js';

export interface ReferenceSolid {
  element: string;
  z: number;
  structure: 'fcc' | 'bcc' | 'hcp';
  /** lattice constant a in Å (room temperature) */
  a: number;
  /** hcp c in Å */
  c?: number;
  source: string;
}

/** Reference solids whose self-consistent potentials are used for every geometry of the element. */
export const REFERENCE_SOLIDS: Record<string, ReferenceSolid> = {
  Ni: {
    element: 'Ni',
    z: 28,
    structure: 'fcc',
    a: 3.524,
    source: 'Wyckoff, Crystal Structures (1963), 293 K',
  },
  Cu: {
    element: 'Cu',
    z: 29,
    structure: 'fcc',
    a: 3.615,
    source: 'Wyckoff, Crystal Structures (1963), 293 K',
  },
  Co: {
    element: 'Co',
    z: 27,
    structure: 'hcp',
    a: 2.507,
    c: 4.069,
    source: 'Wyckoff, Crystal Structures (1963), hcp α-Co, 293 K',
  },
  Fe: {
    element: 'Fe',
    z: 26,
    structure: 'bcc',
    a: 2.8665,
    source: 'Wyckoff, Crystal Structures (1963), α-Fe, 293 K',
  },
};

export const FEFF_EDGES = ['K', 'L1', 'L2', 'L3'] as const;

/** Canonical element symbol, or a UserError listing the supported ones. */
export function checkElement(element: string): ReferenceSolid {
  const key = Object.keys(REFERENCE_SOLIDS).find((e) => e.toLowerCase() === String(element).toLowerCase());
  if (!key) {
    throw new UserError(
      `unknown element "${element}": γ tables can be built for ${Object.keys(REFERENCE_SOLIDS).join(', ')} (reference solids with known lattices)`,
    );
  }
  return REFERENCE_SOLIDS[key];
}

export function checkEdge(edge: string): string {
  const e = String(edge).toUpperCase();
  if (!(FEFF_EDGES as readonly string[]).includes(e)) {
    throw new UserError(`unknown edge "${edge}": expected one of ${FEFF_EDGES.join(', ')}`);
  }
  return e;
}

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
    throw new Error(`FEFF stage ${name} failed in ${cwd}: ${err.message}\n${tail}`, { cause: e });
  }
}

export interface FeffSettings {
  element: string;
  edge: string;
  /** lattice constant a of the reference solid (Å) */
  lattice: number;
  /** hcp c (Å); scaled with a when only a is given */
  c?: number;
  /** radius of the self-consistency cluster (FEFF SCF card), Å */
  scfRadius: number;
  /** radius of the cluster written to feff.inp, Å */
  clusterRadius: number;
}

export function defaultSettings(element: string, edge = 'K', lattice?: number): FeffSettings {
  const ref = checkElement(element);
  const a = lattice ?? ref.a;
  if (!(a > 1 && a < 10))
    throw new UserError(`--lattice: expected a lattice constant in Å between 1 and 10, got ${lattice}`);
  return {
    element: ref.element,
    edge: checkEdge(edge),
    lattice: a,
    c: ref.c !== undefined ? (ref.c * a) / ref.a : undefined,
    scfRadius: 4.5,
    clusterRadius: 7.0,
  };
}

/** Atoms of the reference solid within `radius` of an atom at the origin, sorted by distance. */
export function referenceCluster(s: FeffSettings): number[][] {
  const ref = checkElement(s.element);
  const a = s.lattice;
  let cellVecs: number[][];
  let basis: number[][];
  if (ref.structure === 'fcc' || ref.structure === 'bcc') {
    cellVecs = [
      [a, 0, 0],
      [0, a, 0],
      [0, 0, a],
    ];
    basis =
      ref.structure === 'fcc'
        ? [
            [0, 0, 0],
            [0.5, 0.5, 0],
            [0.5, 0, 0.5],
            [0, 0.5, 0.5],
          ]
        : [
            [0, 0, 0],
            [0.5, 0.5, 0.5],
          ];
  } else {
    const c = s.c ?? a * 1.633;
    cellVecs = [
      [a, 0, 0],
      [-a / 2, (a * Math.sqrt(3)) / 2, 0],
      [0, 0, c],
    ];
    basis = [
      [0, 0, 0],
      [1 / 3, 2 / 3, 0.5],
    ];
  }
  const R = s.clusterRadius;
  const nmax = Math.ceil(R / Math.min(a, s.c ?? a)) + 2;
  const out: number[][] = [];
  for (let i = -nmax; i <= nmax; i++)
    for (let j = -nmax; j <= nmax; j++)
      for (let k = -nmax; k <= nmax; k++)
        for (const b of basis) {
          const f = [i + b[0], j + b[1], k + b[2]];
          const x = f[0] * cellVecs[0][0] + f[1] * cellVecs[1][0] + f[2] * cellVecs[2][0];
          const y = f[0] * cellVecs[0][1] + f[1] * cellVecs[1][1] + f[2] * cellVecs[2][1];
          const z = f[0] * cellVecs[0][2] + f[1] * cellVecs[1][2] + f[2] * cellVecs[2][2];
          const r = Math.hypot(x, y, z);
          if (r <= R + 1e-9) out.push([x, y, z, r]);
        }
  out.sort((p, q) => p[3] - q[3]);
  return out;
}

/** The feff.inp text for the reference solid (absorber = the atom at the origin). */
export function feffInput(s: FeffSettings): string {
  const ref = checkElement(s.element);
  const atoms = referenceCluster(s);
  const lines = [
    `TITLE exafsnn reference solid ${ref.element} ${ref.structure} a=${s.lattice}${s.c ? ` c=${s.c.toFixed(4)}` : ''}`,
    `EDGE ${s.edge}`,
    'S02 1.0',
    'CONTROL 1 1 1 1 1 1',
    'PRINT 1 0 0 0 0 3',
    `SCF ${s.scfRadius}`,
    'RPATH 3.0',
    'CRITERIA 0 0',
    'POTENTIALS',
    ` 0 ${ref.z} ${ref.element}`,
    ` 1 ${ref.z} ${ref.element}`,
    'ATOMS',
  ];
  atoms.forEach((p, i) => {
    lines.push(
      ` ${p[0].toFixed(5).padStart(11)} ${p[1].toFixed(5).padStart(11)} ${p[2].toFixed(5).padStart(11)} ${i === 0 ? 0 : 1}  ${ref.element} ${p[3].toFixed(5)}`,
    );
  });
  lines.push('END', '');
  return lines.join('\n');
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

/** Set "critcw" to 0 in a FEFF JSON settings file (FEFF writes it one key per line). */
function zeroCritcw(file: string): void {
  const txt = readFileSync(file, 'utf8');
  const out = txt.replace(/"critcw":\s*[^,\n}]+/g, '"critcw": 0.0000000000000000E+000');
  writeFileSync(file, out);
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
        throw new Error(`FEFF did not write ${f} in ${workDir}; see the logs there`);
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

/** One scattering atom of a path: position (Å, absorber at the origin) and FEFF potential index. */
export interface PathAtom {
  x: number;
  y: number;
  z: number;
  /** 0: the absorber (as an intermediate scatterer), 1: the element's scatterer */
  ipot: number;
}

/** A path: the atoms visited after leaving the absorber (the final return to the absorber is implied). */
export interface PathSpec {
  atoms: PathAtom[];
  deg: number;
}

/** One parsed feffNNNN.dat. */
export interface FeffPath {
  nleg: number;
  deg: number;
  reff: number;
  k: Float64Array;
  /** 2·phc (central-atom phase, already doubled by FEFF) */
  phc2: Float64Array;
  mag: Float64Array;
  phase: Float64Array;
  red: Float64Array;
  lambda: Float64Array;
}

function pathsDat(paths: PathSpec[]): string {
  const out = [' exafsnn paths', ' -----------------------------------------------------------------------'];
  paths.forEach((p, i) => {
    const pts = [...p.atoms, { x: 0, y: 0, z: 0, ipot: 0 }];
    let prev = pts[pts.length - 1];
    let L = 0;
    for (const a of pts) {
      L += Math.hypot(a.x - prev.x, a.y - prev.y, a.z - prev.z);
      prev = a;
    }
    out.push(
      `${String(i + 1).padStart(6)}${String(pts.length).padStart(5)}${p.deg.toFixed(3).padStart(8)}  index, nleg, degeneracy, r= ${(L / 2).toFixed(4)}`,
    );
    out.push('      x           y           z     ipot  label      rleg      beta        eta');
    for (const a of pts) {
      out.push(
        `${a.x.toFixed(6).padStart(12)}${a.y.toFixed(6).padStart(12)}${a.z.toFixed(6).padStart(12)}${String(a.ipot).padStart(4)} 'X     '`,
      );
    }
  });
  return out.join('\n') + '\n';
}

/** Parse a feffNNNN.dat file. */
export function parseFeffDat(text: string, file = 'feffNNNN.dat'): FeffPath {
  const lines = text.split('\n');
  let nleg = 0,
    deg = 0,
    reff = 0,
    i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l.includes('nleg, deg, reff')) {
      const f = l.trim().split(/\s+/);
      nleg = Number(f[0]);
      deg = Number(f[1]);
      reff = Number(f[2]);
    }
    if (/^\s*k\s+real\[2\*phc\]/.test(l)) break;
  }
  if (i >= lines.length || !(reff > 0))
    throw new Error(`${file}: not a FEFF feffNNNN.dat file (no path header or column line)`);
  const rows: number[][] = [];
  for (i++; i < lines.length; i++) {
    const f = lines[i].trim();
    if (!f) continue;
    const v = f.split(/\s+/).map(Number);
    if (v.length < 6 || v.some((x) => !Number.isFinite(x)))
      throw new Error(`${file}:${i + 1}: expected 7 numbers, got "${f}"`);
    rows.push(v);
  }
  const col = (c: number) => Float64Array.from(rows, (r) => r[c]);
  const k = col(0);
  k[0] = Math.abs(k[0]);
  return { nleg, deg, reff, k, phc2: col(1), mag: col(2), phase: col(3), red: col(4), lambda: col(5) };
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
          throw new Error(
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

/**
 * Complex reduced amplitude of a path on FEFF's k grid, with the fast 2k·reff removed:
 *   C(k) = deg·mag·red/(k·reff²)·e^(−2reff/λ)·e^(i(phase + 2phc)),   χ(k) = Im{C(k)·e^(2ik·reff)}.
 * At k = 0 (where FEFF's mag = 0 and 1/k diverges) C is extrapolated linearly from the next two points.
 */
export function pathReducedAmplitude(p: FeffPath, deg = p.deg): { re: Float64Array; im: Float64Array } {
  const n = p.k.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = p.k[i];
    if (k <= 0) continue;
    const a = (deg * p.mag[i] * p.red[i] * Math.exp((-2 * p.reff) / p.lambda[i])) / (k * p.reff * p.reff);
    const ph = p.phase[i] + p.phc2[i];
    re[i] = a * Math.cos(ph);
    im[i] = a * Math.sin(ph);
  }
  if (p.k[0] <= 0 && n > 2) {
    const t = (p.k[0] - p.k[1]) / (p.k[2] - p.k[1]);
    re[0] = re[1] + t * (re[2] - re[1]);
    im[0] = im[1] + t * (im[2] - im[1]);
  }
  return { re, im };
}

/**
 * χ(k) of one path on any k grid, the way FEFF/Larch do it: amplitude and (unwrapped) phase
 * interpolated from FEFF's grid with cubic splines. Reference for the table tests and bench.
 */
export function pathChi(p: FeffPath, kOut: ArrayLike<number>, deg = p.deg): Float64Array {
  const n = p.k.length;
  const amp = new Float64Array(n);
  const ph = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = p.k[i];
    amp[i] =
      k > 0 ? (deg * p.mag[i] * p.red[i] * Math.exp((-2 * p.reff) / p.lambda[i])) / (k * p.reff * p.reff) : 0;
    ph[i] = p.phase[i] + p.phc2[i];
  }
  if (p.k[0] <= 0 && n > 2) amp[0] = 2 * amp[1] - amp[2];
  for (let i = 1; i < n; i++) ph[i] -= 2 * Math.PI * Math.round((ph[i] - ph[i - 1]) / (2 * Math.PI));
  const A = splineInterp(p.k, amp, kOut);
  const P = splineInterp(p.k, ph, kOut);
  const out = new Float64Array(kOut.length);
  for (let i = 0; i < kOut.length; i++) out[i] = A[i] * Math.sin(2 * kOut[i] * p.reff + P[i]);
  return out;
}

/** The default cache folder for FEFF potentials of one element/edge/lattice. */
export function defaultWorkDir(s: FeffSettings): string {
  const base = process.env.EXAFSNN_CACHE ?? join(tmpdir(), `exafsnn-feff-cache-${process.getuid?.() ?? 0}`);
  return join(base, `${s.element}-${s.edge}-a${s.lattice}-scf${s.scfRadius}`);
}
