/**
 * FEFF 8.5 files: the inputs we write (feff.inp for the reference solid, paths.dat for our own
 * scattering paths) and the outputs we read (feffNNNN.dat, one path each; FEFF 8 documentation
 * for the columns). No process is run here (that is feffRun.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { FileFormatError } from '../util/errors.js';
import { checkElement, referenceCluster, type FeffSettings } from './feffSolid.js';

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

export function pathsDat(paths: PathSpec[]): string {
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
    throw new FileFormatError(file, null, 'not a FEFF feffNNNN.dat file (no path header or column line)');
  const rows: number[][] = [];
  for (i++; i < lines.length; i++) {
    const f = lines[i].trim();
    if (!f) continue;
    const v = f.split(/\s+/).map(Number);
    if (v.length < 6 || v.some((x) => !Number.isFinite(x)))
      throw new FileFormatError(file, i + 1, `expected 7 numbers, got "${f}"`);
    rows.push(v);
  }
  const col = (c: number) => Float64Array.from(rows, (r) => r[c]);
  const k = col(0);
  k[0] = Math.abs(k[0]);
  return { nleg, deg, reff, k, phc2: col(1), mag: col(2), phase: col(3), red: col(4), lambda: col(5) };
}

/** Set "critcw" to 0 in a FEFF JSON settings file (FEFF writes it one key per line). */
export function zeroCritcw(file: string): void {
  const txt = readFileSync(file, 'utf8');
  const out = txt.replace(/"critcw":\s*[^,\n}]+/g, '"critcw": 0.0000000000000000E+000');
  writeFileSync(file, out);
}
