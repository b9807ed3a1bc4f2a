/**
 * Embedded-atom-method potentials (Daw & Baskes, PRB 29, 6443 (1984)):
 *   E = Σ_i F_a(ρ_i) + ½ Σ_{i≠j} φ_ab(r_ij),   ρ_i = Σ_{j≠i} ρ_b(r_ij)
 * read from DYNAMO tabulations — funcfl (`*.eam`, one element) and setfl (`*.eam.alloy`) — and
 * interpolated exactly as LAMMPS pair_style eam/alloy does, so that the same file gives the same
 * energy and forces in both codes: on each interval of the file's uniform grid a cubic whose
 * node slopes come from a 5-point central difference (one-sided/3-point near the ends), i.e.
 * seven coefficients per interval (value cubic + its derivative quadratic, the latter
 * pre-divided by the grid step). setfl tables hold r·φ(r) in eV·Å; funcfl tables hold an
 * effective charge Z(r) with φ_ij = 27.2·0.529·Z_i·Z_j / r (Hartree·bohr, the DYNAMO constant).
 */
import { readFileSync } from 'node:fs';
import { FileFormatError, UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { elementSymbol } from '../util/elements.js';

/** Hartree·bohr in eV·Å as used by DYNAMO/LAMMPS for funcfl files. */
export const HARTREE_BOHR = 27.2 * 0.529;

export interface EamElement {
  symbol: string;
  z: number;
  mass: number;
  /** lattice constant and structure from the file header (informational) */
  lattice: number;
  structure: string;
}

/** Raw tabulation in setfl form (one F and ρ per element, r·φ per unordered pair). */
export interface EamTables {
  /** provenance: file name or "generated" */
  source: string;
  comments: [string, string, string];
  elements: EamElement[];
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  cutoff: number;
  /** F_a(ρ) at ρ = k·drho, k = 0..nrho−1 */
  frho: Float64Array[];
  /** ρ_a(r) at r = k·dr */
  rhor: Float64Array[];
  /** r·φ_ab(r) at r = k·dr, index pairIndex(a, b) */
  z2r: Float64Array[];
}

/** Index of the unordered pair (a, b) in setfl order: (0,0), (1,0), (1,1), (2,0), … */
export function pairIndex(a: number, b: number): number {
  const i = Math.max(a, b);
  const j = Math.min(a, b);
  return (i * (i + 1)) / 2 + j;
}

/** Whitespace tokenizer that remembers the line each token came from. */
class Tokens {
  private toks: string[] = [];
  private lines: Int32Array;
  private k = 0;
  constructor(
    readonly file: string,
    text: string[],
    firstLine: number,
  ) {
    const lineOf: number[] = [];
    for (let l = 0; l < text.length; l++) {
      const parts = text[l].trim().split(/\s+/);
      for (const p of parts) {
        if (p === '') continue;
        this.toks.push(p);
        lineOf.push(firstLine + l);
      }
    }
    this.lines = Int32Array.from(lineOf);
  }
  get line(): number {
    return this.k < this.lines.length
      ? this.lines[this.k]
      : this.lines.length
        ? this.lines[this.lines.length - 1]
        : 0;
  }
  number(what: string): number {
    if (this.k >= this.toks.length)
      throw new FileFormatError(this.file, this.line, `unexpected end of file while reading ${what}`);
    const t = this.toks[this.k];
    const x = Number(t.replace(/[dD]/, 'e'));
    if (!Number.isFinite(x))
      throw new FileFormatError(this.file, this.lines[this.k], `expected a number for ${what}, got "${t}"`);
    this.k++;
    return x;
  }
  int(what: string): number {
    const line = this.line;
    const x = this.number(what);
    if (!Number.isInteger(x))
      throw new FileFormatError(this.file, line, `expected an integer for ${what}, got ${x}`);
    return x;
  }
  word(what: string): string {
    if (this.k >= this.toks.length)
      throw new FileFormatError(this.file, this.line, `unexpected end of file while reading ${what}`);
    return this.toks[this.k++];
  }
  array(n: number, what: string): Float64Array {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = this.number(`${what} value ${i + 1} of ${n}`);
    return a;
  }
  get remaining(): number {
    return this.toks.length - this.k;
  }
}

function readText(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read potential file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return text.split(/\r?\n/);
}

function checkGrid(
  file: string,
  line: number,
  nrho: number,
  drho: number,
  nr: number,
  dr: number,
  cutoff: number,
): void {
  if (nrho < 5 || nr < 5)
    throw new FileFormatError(file, line, `grids need at least 5 points, got Nrho=${nrho} Nr=${nr}`);
  if (!(drho > 0) || !(dr > 0))
    throw new FileFormatError(file, line, `grid steps must be positive, got drho=${drho} dr=${dr}`);
  if (!(cutoff > 0)) throw new FileFormatError(file, line, `cutoff must be positive, got ${cutoff}`);
}

/** Read a setfl (DYNAMO multi-element, LAMMPS eam/alloy) file. */
export function readSetfl(path: string): EamTables {
  const lines = readText(path);
  if (lines.length < 6)
    throw new FileFormatError(
      path,
      lines.length,
      'a setfl file needs 3 comment lines, an element line and a grid line',
    );
  const comments: [string, string, string] = [lines[0], lines[1], lines[2]];
  const el = lines[3].trim().split(/\s+/);
  const ne = Number(el[0]);
  if (!Number.isInteger(ne) || ne < 1)
    throw new FileFormatError(
      path,
      4,
      `expected the number of elements followed by their symbols, got "${lines[3].trim()}"`,
    );
  if (el.length < ne + 1)
    throw new FileFormatError(path, 4, `line says ${ne} elements but names ${el.length - 1}`);
  const symbols = el.slice(1, ne + 1);
  const t = new Tokens(path, lines.slice(4), 5);
  const nrho = t.int('Nrho');
  const drho = t.number('drho');
  const nr = t.int('Nr');
  const dr = t.number('dr');
  const cutoff = t.number('cutoff');
  checkGrid(path, 5, nrho, drho, nr, dr, cutoff);
  const elements: EamElement[] = [];
  const frho: Float64Array[] = [];
  const rhor: Float64Array[] = [];
  for (let e = 0; e < ne; e++) {
    const z = t.number(`atomic number of ${symbols[e]}`);
    const mass = t.number(`mass of ${symbols[e]}`);
    if (!(mass > 0))
      throw new FileFormatError(path, t.line, `mass of ${symbols[e]} must be positive, got ${mass}`);
    const lattice = t.number(`lattice constant of ${symbols[e]}`);
    const structure = t.word(`lattice type of ${symbols[e]}`);
    elements.push({ symbol: symbols[e], z, mass, lattice, structure });
    frho.push(t.array(nrho, `F(rho) of ${symbols[e]}`));
    rhor.push(t.array(nr, `rho(r) of ${symbols[e]}`));
  }
  const z2r: Float64Array[] = [];
  for (let a = 0; a < ne; a++)
    for (let b = 0; b <= a; b++) z2r.push(t.array(nr, `r*phi(r) of ${symbols[a]}-${symbols[b]}`));
  if (t.remaining > 0)
    throw new FileFormatError(path, t.line, `${t.remaining} unexpected extra values after the last table`);
  return { source: path, comments, elements, nrho, drho, nr, dr, cutoff, frho, rhor, z2r };
}

/**
 * Read a funcfl (DYNAMO single-element, LAMMPS pair_style eam) file and convert it to setfl form
 * (r·φ = 27.2·0.529·Z(r)²). LAMMPS' own funcfl path re-grids the tables, so energies from this
 * conversion agree with LAMMPS `pair_style eam` closely but not to the last digit.
 */
export function readFuncfl(path: string, symbol?: string): EamTables {
  const lines = readText(path);
  if (lines.length < 4)
    throw new FileFormatError(
      path,
      lines.length,
      'a funcfl file needs a comment line, an element line and a grid line',
    );
  const t = new Tokens(path, lines.slice(1), 2);
  const z = t.number('atomic number');
  const mass = t.number('mass');
  if (!(mass > 0)) throw new FileFormatError(path, 2, `mass must be positive, got ${mass}`);
  const lattice = t.number('lattice constant');
  const structure = t.word('lattice type');
  const nrho = t.int('Nrho');
  const drho = t.number('drho');
  const nr = t.int('Nr');
  const dr = t.number('dr');
  const cutoff = t.number('cutoff');
  checkGrid(path, 3, nrho, drho, nr, dr, cutoff);
  const frho = t.array(nrho, 'F(rho)');
  const zr = t.array(nr, 'Z(r)');
  const rhor = t.array(nr, 'rho(r)');
  if (t.remaining > 0)
    throw new FileFormatError(path, t.line, `${t.remaining} unexpected extra values after the last table`);
  const z2r = new Float64Array(nr);
  for (let k = 0; k < nr; k++) z2r[k] = HARTREE_BOHR * zr[k] * zr[k];
  const sym = symbol ?? elementSymbol(z) ?? `Z${z}`;
  return {
    source: path,
    comments: [lines[0], `converted from funcfl ${path}`, ''],
    elements: [{ symbol: sym, z, mass, lattice, structure }],
    nrho,
    drho,
    nr,
    dr,
    cutoff,
    frho: [frho],
    rhor: [rhor],
    z2r: [z2r],
  };
}

/**
 * Read a potential file, choosing the format from its name: *.eam → funcfl, otherwise setfl. A
 * Finnis–Sinclair file (*.eam.fs, LAMMPS eam/fs) of one element is read as setfl: with one element
 * its layout (F(ρ), the one ρ(r), r·φ(r)) is exactly setfl's, and so is the energy. With several
 * elements eam/fs has a density function per ordered pair, which setfl cannot hold: refused.
 */
export function readEamFile(path: string): EamTables {
  if (/\.eam$/i.test(path)) return readFuncfl(path);
  if (/\.eam\.fs$/i.test(path)) {
    const ne = Number(readText(path)[3]?.trim().split(/\s+/)[0]);
    if (ne !== 1)
      throw new UserError(
        `${path}: Finnis–Sinclair (eam/fs) files are supported for one element only (this one has ${ne}); use a setfl (*.eam.alloy) or funcfl (*.eam) file`,
      );
  }
  return readSetfl(path);
}

function fmt(x: number): string {
  // 17 significant digits round-trip a double exactly
  return x.toExponential(16);
}

/** Serialise tables in setfl format (5 values a line, full double precision). */
export function formatSetfl(t: EamTables): string {
  const out: string[] = [];
  for (const c of t.comments) out.push(c.replace(/\n/g, ' '));
  out.push(`${t.elements.length} ${t.elements.map((e) => e.symbol).join(' ')}`);
  out.push(`${t.nrho} ${fmt(t.drho)} ${t.nr} ${fmt(t.dr)} ${fmt(t.cutoff)}`);
  const block = (a: Float64Array) => {
    for (let i = 0; i < a.length; i += 5) {
      const row: string[] = [];
      for (let k = i; k < Math.min(a.length, i + 5); k++) row.push(fmt(a[k]));
      out.push(row.join(' '));
    }
  };
  t.elements.forEach((e, i) => {
    out.push(`${e.z} ${e.mass} ${e.lattice} ${e.structure}`);
    block(t.frho[i]);
    block(t.rhor[i]);
  });
  for (const z of t.z2r) block(z);
  return out.join('\n') + '\n';
}

/** Write tables as a setfl file (atomically). */
export function writeSetfl(path: string, t: EamTables): void {
  writeFileAtomic(path, formatSetfl(t));
}

/**
 * Seven-coefficient cubic spline of a uniformly tabulated function, laid out flat as
 * c[7·m + 0..6] for interval m (0-based node m → m+1), following the LAMMPS convention:
 *   value(p)      = ((c3·p + c4)·p + c5)·p + c6
 *   derivative(p) = (c0·p + c1)·p + c2           (already divided by the grid step)
 * with p ∈ [0, 1] the fractional position inside the interval. Node slopes (c5, in units of
 * the step) are 5-point central differences in the interior, 3-point/one-sided at the ends.
 */
export function splineCoefficients(f: Float64Array, delta: number): Float64Array {
  const n = f.length;
  const c = new Float64Array(7 * n);
  for (let m = 0; m < n; m++) c[7 * m + 6] = f[m];
  c[7 * 0 + 5] = f[1] - f[0];
  c[7 * 1 + 5] = 0.5 * (f[2] - f[0]);
  c[7 * (n - 2) + 5] = 0.5 * (f[n - 1] - f[n - 3]);
  c[7 * (n - 1) + 5] = f[n - 1] - f[n - 2];
  for (let m = 2; m < n - 2; m++) c[7 * m + 5] = (f[m - 2] - f[m + 2] + 8 * (f[m + 1] - f[m - 1])) / 12;
  for (let m = 0; m < n - 1; m++) {
    const d = f[m + 1] - f[m];
    c[7 * m + 4] = 3 * d - 2 * c[7 * m + 5] - c[7 * (m + 1) + 5];
    c[7 * m + 3] = c[7 * m + 5] + c[7 * (m + 1) + 5] - 2 * d;
  }
  c[7 * (n - 1) + 4] = 0;
  c[7 * (n - 1) + 3] = 0;
  for (let m = 0; m < n; m++) {
    c[7 * m + 2] = c[7 * m + 5] / delta;
    c[7 * m + 1] = (2 * c[7 * m + 4]) / delta;
    c[7 * m + 0] = (3 * c[7 * m + 3]) / delta;
  }
  return c;
}

/**
 * An EAM potential ready for force evaluation: the tables plus their splines. Interpolation is
 * that of LAMMPS eam/alloy, including the clamp of r to the last interval and the linear
 * extrapolation of F beyond the last ρ node (which conserves energy there).
 */
export class EamPotential {
  readonly tables: EamTables;
  readonly elements: EamElement[];
  readonly cutoff: number;
  readonly nr: number;
  readonly nrho: number;
  readonly rdr: number;
  readonly rdrho: number;
  readonly rhomax: number;
  /** splines, flat: F per element, ρ per element, r·φ per pair (setfl order) */
  readonly fSpline: Float64Array[];
  readonly rhoSpline: Float64Array[];
  readonly z2Spline: Float64Array[];

  constructor(tables: EamTables) {
    this.tables = tables;
    this.elements = tables.elements;
    this.cutoff = tables.cutoff;
    this.nr = tables.nr;
    this.nrho = tables.nrho;
    this.rdr = 1 / tables.dr;
    this.rdrho = 1 / tables.drho;
    this.rhomax = (tables.nrho - 1) * tables.drho;
    this.fSpline = tables.frho.map((a) => splineCoefficients(a, tables.drho));
    this.rhoSpline = tables.rhor.map((a) => splineCoefficients(a, tables.dr));
    this.z2Spline = tables.z2r.map((a) => splineCoefficients(a, tables.dr));
  }

  static fromFile(path: string): EamPotential {
    return new EamPotential(readEamFile(path));
  }

  /** Index of an element in the potential, with a clear error when it is absent. */
  elementIndex(symbol: string): number {
    const k = this.elements.findIndex((e) => e.symbol.toLowerCase() === symbol.toLowerCase());
    if (k < 0) {
      throw new UserError(
        `element "${symbol}" is not in the potential ${this.tables.source} (it has ${this.elements.map((e) => e.symbol).join(', ')})`,
      );
    }
    return k;
  }

  /** [value, derivative] of the r-grid spline c at distance r. */
  private evalR(c: Float64Array, r: number): [number, number] {
    // same floating-point steps as LAMMPS (1-based node m), so results agree to the last bits
    let p = r * this.rdr + 1.0;
    let m = Math.trunc(p);
    if (m > this.nr - 1) m = this.nr - 1;
    p -= m;
    if (p > 1) p = 1;
    const o = 7 * (m - 1);
    return [((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6], (c[o] * p + c[o + 1]) * p + c[o + 2]];
  }

  /** ρ_a(r) and its derivative. */
  rho(a: number, r: number): [number, number] {
    return this.evalR(this.rhoSpline[a], r);
  }

  /** φ_ab(r) and its derivative (from the r·φ table). */
  phi(a: number, b: number, r: number): [number, number] {
    const [z2, z2p] = this.evalR(this.z2Spline[pairIndex(a, b)], r);
    const phi = z2 / r;
    return [phi, (z2p - phi) / r];
  }

  /** F_a(ρ) and F'_a(ρ), with LAMMPS' linear extrapolation past the table. */
  embed(a: number, rho: number): [number, number] {
    const c = this.fSpline[a];
    let p = rho * this.rdrho + 1.0;
    let m = Math.trunc(p);
    if (m > this.nrho - 1) m = this.nrho - 1;
    if (m < 1) m = 1;
    p -= m;
    if (p > 1) p = 1;
    const o = 7 * (m - 1);
    const fp = (c[o] * p + c[o + 1]) * p + c[o + 2];
    let f = ((c[o + 3] * p + c[o + 4]) * p + c[o + 5]) * p + c[o + 6];
    if (rho > this.rhomax) f += fp * (rho - this.rhomax);
    return [f, fp];
  }
}
