/**
 * Column tables read from XDI and plain column files, and the rules that turn their columns into
 * μ(E) (docs/design.md, "Command line"): --mu COL, ln(I0/It) from --i0/--itrans, If/I0 from --i0/--ifluor;
 * COL is a 1-based column number or a header column name (case-insensitive).
 */
import { FileFormatError, UserError } from '../util/errors.js';

export interface ColumnTable {
  /** file name used in messages */
  file: string;
  /** column names (as in the file; matched case-insensitively), one per column */
  names: string[];
  /** units per column ('' when not given) */
  units: string[];
  columns: Float64Array[];
  /** 1-based line number of each row */
  lines: Int32Array;
  /** header fields such as Element.symbol (XDI), lower-case keys */
  fields: Map<string, string>;
  format: 'xdi' | 'columns';
  /** the data were written with decimal commas (read as decimal points) */
  decimalComma?: boolean;
}

/** How to form μ(E) from the columns of a file. */
export interface ColumnSelection {
  /** column holding μ(E) (or χ for a χ(k) file) */
  mu?: string | number;
  /** incident intensity I0 */
  i0?: string | number;
  /** transmitted intensity It: μ = ln(I0/It) */
  itrans?: string | number;
  /** fluorescence intensity If: μ = If/I0 */
  ifluor?: string | number;
}

/** Resolve a column given by 1-based number or name; error names the flag and the choices. */
export function findColumn(t: ColumnTable, col: string | number, flag: string): number {
  const s = String(col).trim();
  if (/^\d+$/.test(s)) {
    const i = Number(s) - 1;
    if (i < 0 || i >= t.columns.length)
      throw new UserError(
        `${t.file}: --${flag} ${s}: the file has ${t.columns.length} columns (numbered from 1)`,
      );
    return i;
  }
  const i = t.names.findIndex((n) => n.toLowerCase() === s.toLowerCase());
  if (i < 0)
    throw new UserError(`${t.file}: --${flag} ${s}: no such column; columns are ${describeColumns(t)}`);
  return i;
}

export function describeColumns(t: ColumnTable): string {
  return t.columns.map((_, i) => `${i + 1}:${t.names[i] || '?'}`).join(', ');
}

function named(t: ColumnTable, ...names: string[]): number {
  for (const n of names) {
    const i = t.names.findIndex((x) => x.toLowerCase() === n);
    if (i >= 0) return i;
  }
  return -1;
}

/** Index of the energy column: one named energy/e/energy_ev, else column 1. */
export function energyColumn(t: ColumnTable): number {
  const i = named(t, 'energy', 'e', 'energy_ev', 'energy(ev)', 'ene');
  return i >= 0 ? i : 0;
}

/** μ(E) from the table, following the selection flags or the format's default order. */
export function selectMu(t: ColumnTable, sel: ColumnSelection): { mu: Float64Array; source: string } {
  const n = t.lines.length;
  const ratio = (
    num: number,
    den: number,
    log: boolean,
    label: string,
  ): { mu: Float64Array; source: string } => {
    const out = new Float64Array(n);
    const a = t.columns[num];
    const b = t.columns[den];
    for (let i = 0; i < n; i++) {
      if (log) {
        if (!(a[i] > 0) || !(b[i] > 0))
          throw new FileFormatError(
            t.file,
            t.lines[i],
            `${label}: intensities must be positive for the logarithm (got ${t.names[num] || num + 1}=${a[i]}, ${t.names[den] || den + 1}=${b[i]})`,
          );
        out[i] = Math.log(a[i] / b[i]);
      } else {
        if (b[i] === 0) throw new FileFormatError(t.file, t.lines[i], `${label}: I0 is zero`);
        out[i] = a[i] / b[i];
      }
      if (!Number.isFinite(out[i])) throw new FileFormatError(t.file, t.lines[i], `${label} is not finite`);
    }
    return { mu: out, source: label };
  };
  if (sel.mu !== undefined) {
    if (sel.i0 !== undefined || sel.itrans !== undefined || sel.ifluor !== undefined)
      throw new UserError('give either --mu COL or --i0 COL with --itrans/--ifluor COL, not both');
    const i = findColumn(t, sel.mu, 'mu');
    return { mu: Float64Array.from(t.columns[i]), source: t.names[i] || `column ${i + 1}` };
  }
  if (sel.itrans !== undefined || sel.ifluor !== undefined || sel.i0 !== undefined) {
    if (sel.i0 === undefined) throw new UserError('--itrans/--ifluor need --i0 COL as well');
    if ((sel.itrans === undefined) === (sel.ifluor === undefined))
      throw new UserError('with --i0 give exactly one of --itrans COL or --ifluor COL');
    const i0 = findColumn(t, sel.i0, 'i0');
    if (sel.itrans !== undefined) {
      const it = findColumn(t, sel.itrans, 'itrans');
      return ratio(i0, it, true, `ln(${t.names[i0] || 'col' + (i0 + 1)}/${t.names[it] || 'col' + (it + 1)})`);
    }
    const f = findColumn(t, sel.ifluor!, 'ifluor');
    return ratio(f, i0, false, `${t.names[f] || 'col' + (f + 1)}/${t.names[i0] || 'col' + (i0 + 1)}`);
  }
  // defaults: XDI mutrans, ln(i0/itrans), mufluor, ifluor/i0; plain files column 2.
  const mt = named(t, 'mutrans', 'mu', 'xmu');
  if (mt >= 0) return { mu: Float64Array.from(t.columns[mt]), source: t.names[mt] };
  const i0 = named(t, 'i0');
  const it = named(t, 'itrans', 'it', 'i1');
  if (i0 >= 0 && it >= 0) return ratio(i0, it, true, `ln(${t.names[i0]}/${t.names[it]})`);
  const mf = named(t, 'mufluor');
  if (mf >= 0) return { mu: Float64Array.from(t.columns[mf]), source: t.names[mf] };
  const fl = named(t, 'ifluor', 'if');
  if (i0 >= 0 && fl >= 0) return ratio(fl, i0, false, `${t.names[fl]}/${t.names[i0]}`);
  if (t.format === 'xdi' && t.columns.length > 2)
    throw new UserError(
      `${t.file}: no mutrans, i0+itrans, mufluor or i0+ifluor column; choose with --mu COL or --i0 COL --itrans COL (columns: ${describeColumns(t)})`,
    );
  if (t.columns.length < 2)
    throw new FileFormatError(t.file, null, 'need at least two columns (energy and μ)');
  const e = energyColumn(t);
  const c = e === 1 ? 0 : 1;
  return { mu: Float64Array.from(t.columns[c]), source: t.names[c] || `column ${c + 1}` };
}
