/**
 * Athena project files (.prj, Demeter ≥ 0.9): Perl Data::Dumper-like text, usually gzip-compressed
 * (decompress first: node-io.ts in Node, `spectrumTextFromBytes` in the browser). Each record is
 *   $old_group = 'abcde';
 *   @args = ('label','Ni foil','bkg_e0','8333.0','bkg_rbkg','1.0', ...);
 *   @x = ('8133.07','8138.02', ...);   @y = (...);   [optional @i0, @signal, @stddev]
 *   [record] # create object
 * We read @x/@y and the args; which arrays mean what follows the args (is_xmu, is_chi, datatype).
 */
import { FileFormatError, UserError } from '../util/errors.js';
import { splitLines } from './text.js';

export interface AthenaRecord {
  /** Athena's group label (what the user sees), falling back to the group name */
  label: string;
  group: string;
  /** @x: energy (eV) for μ(E) records, k (Å⁻¹) for χ(k) records */
  x: Float64Array;
  y: Float64Array;
  args: Record<string, string>;
  /** 'mu' for μ(E) records, 'chi' for χ(k) records, 'other' for what we cannot process (xanes derivatives...) */
  kind: 'mu' | 'chi' | 'other';
  /** line of the record's $old_group statement */
  line: number;
}

/** Athena's named clamp strengths (Demeter: None 0, Slight 3, Weak 6, Medium 12, Strong 24, Rigid 96). */
const CLAMPS: Record<string, number> = { none: 0, slight: 3, weak: 6, medium: 12, strong: 24, rigid: 96 };

export function isAthenaProject(text: string): boolean {
  return /^\uFEFF?#\s*Athena project file/i.test(text.slice(0, 80));
}

const ITEM_RE = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^\s,()'"]+)/g;

/** Items of a Perl list "(a, 'b', ...)" after the '=' of a statement. */
function perlList(stmt: string): string[] {
  const open = stmt.indexOf('(');
  const close = stmt.lastIndexOf(')');
  if (open < 0 || close < open) return [];
  const body = stmt.slice(open + 1, close);
  const out: string[] = [];
  ITEM_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ITEM_RE.exec(body)) !== null) {
    const v = m[1] ?? m[2] ?? m[3];
    if (m[3] === '=>') continue;
    out.push(v.replace(/\\(.)/g, '$1'));
  }
  return out;
}

function numbers(items: string[], file: string, line: number, what: string): Float64Array {
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const x = Number(items[i].trim().replace(/[dD]/, 'e'));
    if (items[i].trim() === '' || !Number.isFinite(x))
      throw new FileFormatError(file, line, `@${what}[${i}]: expected a finite number, got "${items[i]}"`);
    out[i] = x;
  }
  return out;
}

/** Parse the (decompressed) text of an Athena project into its records. */
export function parseAthenaProject(text: string, file: string): AthenaRecord[] {
  if (!isAthenaProject(text))
    throw new FileFormatError(
      file,
      1,
      'not an Athena project (first line must be "# Athena project file -- ..."); a gzipped project must be decompressed first',
    );
  const lines = splitLines(text);
  const recs: AthenaRecord[] = [];
  interface Partial {
    group: string;
    line: number;
    args: Record<string, string>;
    arrays: Map<string, Float64Array>;
  }
  let cur: Partial | null = null;
  const start = (ln: number, group = ''): Partial => (cur = { group, line: ln, args: {}, arrays: new Map() });
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    const ln = i + 1;
    let m: RegExpExecArray | null;
    if ((m = /^\$old_group\s*=\s*'([^']*)'/.exec(t))) {
      start(ln, m[1]);
    } else if ((m = /^@(\w+)\s*=/.exec(t))) {
      const key = m[1];
      if (key === 'journal') continue;
      const c = cur ?? start(ln);
      if (key === 'args') {
        const items = perlList(t);
        for (let j = 0; j + 1 < items.length; j += 2) c.args[items[j]] = items[j + 1];
      } else if (['x', 'y', 'i0', 'signal', 'stddev'].includes(key)) {
        c.arrays.set(key, numbers(perlList(t), file, ln, key));
      }
    } else if (t.startsWith('[record]')) {
      if (!cur) continue;
      const c: Partial = cur;
      const x = c.arrays.get('x');
      const y = c.arrays.get('y');
      if (!x || !y)
        throw new FileFormatError(file, c.line, `record "${c.args.label ?? c.group}" has no @x/@y arrays`);
      if (x.length !== y.length)
        throw new FileFormatError(
          file,
          c.line,
          `record "${c.args.label ?? c.group}": @x has ${x.length} values, @y ${y.length}`,
        );
      const a = c.args;
      const flag = (k: string) => a[k] !== undefined && Number(a[k]) !== 0;
      let kind: AthenaRecord['kind'] = 'mu';
      if (flag('is_chi') || /^chi$/i.test(a.datatype ?? '')) kind = 'chi';
      else if (
        ['is_xmudat', 'is_bkg', 'is_diff', 'is_proj', 'is_pixel', 'is_rsp', 'is_nor'].some(flag) ||
        /^(xanes|detector|background)$/i.test(a.datatype ?? '')
      )
        kind = 'other';
      if (a.datatype && /^xanes$/i.test(a.datatype)) kind = 'mu';
      recs.push({ label: a.label ?? c.group, group: c.group, x, y, args: a, kind, line: c.line });
      cur = null;
    }
  }
  if (recs.length === 0) throw new FileFormatError(file, null, 'the Athena project holds no data records');
  return recs;
}

/** Pick a record by label (exact, then case-insensitive), or the only one. */
export function pickAthenaRecord(recs: AthenaRecord[], file: string, label?: string): AthenaRecord {
  const usable = recs.filter((r) => r.kind !== 'other');
  if (label === undefined) {
    if (usable.length === 1) return usable[0];
    throw new UserError(
      `${file}: the project holds ${usable.length} records; choose one with --group LABEL: ${usable.map((r) => JSON.stringify(r.label)).join(', ')}`,
    );
  }
  const hit =
    recs.find((r) => r.label === label) ??
    recs.find((r) => r.label.toLowerCase() === label.toLowerCase()) ??
    recs.find((r) => r.group === label);
  if (!hit)
    throw new UserError(
      `${file}: no record labelled "${label}"; records are ${recs.map((r) => JSON.stringify(r.label)).join(', ')}`,
    );
  if (hit.kind === 'other')
    throw new UserError(
      `${file}: record "${label}" is not μ(E) or χ(k) data (datatype ${hit.args.datatype ?? '?'})`,
    );
  return hit;
}

/** Processing parameters saved by Athena in a record (only those present and finite). */
export interface AthenaParams {
  e0?: number;
  eshift?: number;
  rbkg?: number;
  kweight?: number;
  pre1?: number;
  pre2?: number;
  norm1?: number;
  norm2?: number;
  /** polynomial degree (Athena stores the number of terms: 1 constant, 2 linear, 3 quadratic) */
  nnorm?: number;
  kmin?: number;
  kmax?: number;
  dk?: number;
  window?: string;
  clamp_lo?: number;
  clamp_hi?: number;
  element?: string;
  edge?: string;
}

export function athenaParams(rec: AthenaRecord): AthenaParams {
  const a = rec.args;
  const num = (k: string): number | undefined => {
    if (a[k] === undefined || a[k].trim() === '') return undefined;
    const x = Number(a[k]);
    return Number.isFinite(x) ? x : undefined;
  };
  const clamp = (k: string): number | undefined => {
    if (a[k] === undefined) return undefined;
    const named = CLAMPS[a[k].trim().toLowerCase()];
    return named !== undefined ? named : num(k);
  };
  const p: AthenaParams = {
    e0: num('bkg_e0'),
    eshift: num('bkg_eshift'),
    rbkg: num('bkg_rbkg'),
    kweight: num('bkg_kw'),
    pre1: num('bkg_pre1'),
    pre2: num('bkg_pre2'),
    norm1: num('bkg_nor1'),
    norm2: num('bkg_nor2'),
    nnorm: num('bkg_nnorm') !== undefined ? Math.max(0, Math.min(3, num('bkg_nnorm')! - 1)) : undefined,
    kmin: num('bkg_spl1'),
    kmax: num('bkg_spl2'),
    dk: num('bkg_dk'),
    window: a.bkg_kwindow,
    clamp_lo: clamp('bkg_clamp1'),
    clamp_hi: clamp('bkg_clamp2'),
    element: a.bkg_z ?? a.atsym,
    edge: a.fft_edge ?? a.edge,
  };
  for (const k of Object.keys(p) as Array<keyof AthenaParams>) if (p[k] === undefined) delete p[k];
  return p;
}
