/**
 * Athena project files, every generation Larch reads (larch/io/athena_project.py), gzipped or plain
 * (decompress first: node-io.ts in Node, `spectrumTextFromBytes` in the browser):
 *  - Perl text (Athena 0.8.0xx, 2006–2012, and Demeter ≥ 0.9): a first line
 *    "# Athena project file -- Athena version 0.8.056" (or "-- Demeter version 0.9.26"), then per record
 *      $old_group = 'abcde';
 *      @args = ('label','Ni foil','bkg_e0','8333.0','is_xmu','1', ...);
 *      @x = ('8133.07', ...);   @y = (...);   [optional @i0, @signal, @stddev]
 *      [record] # create object
 *    Statements end with ';' and may span lines (a title with a newline inside its quotes).
 *    Athena 0.8 marks what a record holds with flags: is_xmu (μ(E), the default), is_chi (χ(k)),
 *    is_nor (normalised μ(E)), is_xmudat/is_bkg/is_diff/is_proj/is_pixel/is_rsp/is_qsp (not data);
 *    Demeter ≥ 0.9 also writes datatype (xmu, chi, xanes, xmudat, detector, background).
 *    A merged record carries @stddev (and is_merge).
 *  - JSON (Larch's later writer): {"_____header1": "# Athena project file -- …", "_____order": [names],
 *    name: {"args": {...}, "x": [...], "y": [...]}}.
 * Records are found by the label Athena shows; the group name, Larch's variable name of the label or
 * the 1-based record number also work, and a miss lists the labels.
 */
import { FileFormatError, UserError } from '../util/errors.js';

export interface AthenaRecord {
  /** Athena's group label (what the user sees), falling back to the group name */
  label: string;
  group: string;
  /** 1-based position in the project (the order Athena lists the records) */
  index: number;
  /** @x: energy (eV) for μ(E) records, k (Å⁻¹) for χ(k) records */
  x: Float64Array;
  y: Float64Array;
  /** @stddev of a merged record, @i0 when saved */
  stddev?: Float64Array;
  i0?: Float64Array;
  args: Record<string, string>;
  /** 'mu' for μ(E) records (normalised or not), 'chi' for χ(k), 'other' for what we cannot process */
  kind: 'mu' | 'chi' | 'other';
  /** the μ(E) record holds normalised μ(E) (Athena's is_nor) */
  normalised: boolean;
  /** a merge of several scans (is_merge, or @stddev present) */
  merged: boolean;
  /** for 'other': what the record holds, in Athena's words */
  what: string;
  /** line of the record's $old_group statement (null in JSON projects) */
  line: number | null;
}

/** Athena's named clamp strengths (Demeter: None 0, Slight 3, Weak 6, Medium 12, Strong 24, Rigid 96). */
const CLAMPS: Record<string, number> = { none: 0, slight: 3, weak: 6, medium: 12, strong: 24, rigid: 96 };

export function isAthenaProject(text: string): boolean {
  const head = text.slice(0, 500);
  return (
    /^\uFEFF?\s*#\s*Athena project file/i.test(head) ||
    (/^\uFEFF?\s*\{/.test(head) && /Athena project file -- /.test(head))
  );
}

/** Perl string escapes: single quotes know only \\ and \'; double quotes also \n, \t, \x{263a}, \$, \@. */
function unescapePerl(body: string, double: boolean): string {
  if (!double) return body.replace(/\\([\\'])/g, '$1');
  return body.replace(
    /\\(x\{([0-9a-fA-F]+)\}|x([0-9a-fA-F]{1,2})|.)/g,
    (_m, e: string, hx?: string, h2?: string) => {
      if (hx) return String.fromCodePoint(parseInt(hx, 16));
      if (h2) return String.fromCharCode(parseInt(h2, 16));
      return e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
    },
  );
}

/** Perl's \x{e4} in single-quoted text written by Athena for non-ASCII characters (as Larch decodes it). */
function decodeHexEscapes(s: string): string {
  return s.replace(/\\x\{([0-9a-fA-F]+)\}/g, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)));
}

/**
 * Items of a Perl list "(a, 'b', ...)" after the '=' of a statement: quoted strings (unescaped),
 * bare words (undef is ''), and nested [...] / {...} groups kept whole as one item (Demeter writes
 * e.g. 'titles',['a','b'] — one value, so the key/value pairs stay aligned as in Larch's reading).
 */
function perlList(stmt: string): string[] {
  const eq = stmt.indexOf('=');
  const open = stmt.indexOf('(', eq);
  const close = stmt.lastIndexOf(')');
  if (open < 0 || close < open) return [];
  const body = stmt.slice(open + 1, close);
  const out: string[] = [];
  const n = body.length;
  let i = 0;
  const endOfQuote = (from: number, q: string) => {
    let j = from + 1;
    while (j < n && body[j] !== q) j += body[j] === '\\' ? 2 : 1;
    return j;
  };
  while (i < n) {
    const c = body[i];
    if (c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '=' && body[i + 1] === '>') {
      i += 2;
    } else if (c === "'" || c === '"') {
      const j = endOfQuote(i, c);
      const raw = body.slice(i + 1, j);
      out.push(c === "'" ? decodeHexEscapes(unescapePerl(raw, false)) : unescapePerl(raw, true));
      i = j + 1;
    } else if (c === '[' || c === '{' || c === '(') {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        const d = body[j];
        if (d === "'" || d === '"') j = endOfQuote(j, d);
        else if (d === '[' || d === '{' || d === '(') depth++;
        else if ((d === ']' || d === '}' || d === ')') && --depth === 0) break;
      }
      out.push(body.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < n && !/[\s,]/.test(body[j]) && !(body[j] === '=' && body[j + 1] === '>')) j++;
      const tok = body.slice(i, j);
      out.push(tok === 'undef' ? '' : tok);
      i = j;
    }
  }
  return out;
}

function numbers(items: ArrayLike<unknown>, file: string, line: number | null, what: string): Float64Array {
  const out = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
    const x = Number(s.replace(/[dD]/, 'e'));
    if (s === '' || !Number.isFinite(x))
      throw new FileFormatError(file, line, `@${what}[${i}]: expected a finite number, got "${String(v)}"`);
    out[i] = x;
  }
  return out;
}

interface Statement {
  text: string;
  line: number;
}

const NEXT_STATEMENT = /^\s*(@\w+\s*=|\$old_group\s*=|\[record\])/;

/** Split Perl project text into statements ending with ';' (quotes and newlines inside respected). */
function statements(text: string, file: string): Statement[] {
  const out: Statement[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '#' || text.startsWith('[record]', i)) {
      if (c !== '#') out.push({ text: '[record]', line });
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const startLine = line;
    let quote = '';
    const unterminated = () =>
      new FileFormatError(
        file,
        startLine,
        `statement "${text.slice(start, start + 30).split('\n')[0]}…" is not terminated by ';' (the file is cut short or damaged?)`,
      );
    while (i < n) {
      const d = text[i];
      if (d === '\n') {
        line++;
        // outside quotes, a new statement at the start of a line means this one lost its ';'
        if (!quote && NEXT_STATEMENT.test(text.slice(i + 1, i + 40))) throw unterminated();
      }
      if (quote) {
        if (d === '\\') i++;
        else if (d === quote) quote = '';
      } else if (d === "'" || d === '"') quote = d;
      else if (d === ';') break;
      i++;
    }
    if (i >= n) throw unterminated();
    out.push({ text: text.slice(start, i), line: startLine });
    i++;
  }
  return out;
}

/** A 0/1 flag of the args: a non-zero number (or yes/true) is on; '', 'None', '0' are off. */
const flagOn = (a: Record<string, string>, k: string) => {
  const v = (a[k] ?? '').trim().toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  const x = Number(v);
  return v !== '' && Number.isFinite(x) && x !== 0;
};

/** What a record holds, after Demeter's datatype and Athena 0.8's flags (the rules Larch applies). */
function classify(a: Record<string, string>): Pick<AthenaRecord, 'kind' | 'normalised' | 'what'> {
  const dt = (a.datatype ?? '').trim().toLowerCase();
  const normalised = flagOn(a, 'is_nor');
  if (dt === 'chi') return { kind: 'chi', normalised: false, what: 'χ(k)' };
  if (dt === 'xmu' || dt === 'xanes' || dt === 'norm')
    return { kind: 'mu', normalised: normalised || dt === 'norm', what: 'μ(E)' };
  if (dt) return { kind: 'other', normalised: false, what: `datatype ${dt}` };
  if (flagOn(a, 'is_chi')) return { kind: 'chi', normalised: false, what: 'χ(k)' };
  const not = ['is_xmudat', 'is_bkg', 'is_diff', 'is_proj', 'is_pixel', 'is_rsp', 'is_qsp'].find((k) =>
    flagOn(a, k),
  );
  if (not) return { kind: 'other', normalised: false, what: `${not} = ${a[not]}` };
  if (normalised) return { kind: 'mu', normalised: true, what: 'normalised μ(E)' };
  // is_xmu is Athena's default: a record without flags is μ(E), as in Larch; so is an Athena 0.8
  // XANES record (is_xanes) and one with is_xmu 0 and no other flag (Larch returns it as energy, μ)
  return { kind: 'mu', normalised: false, what: 'μ(E)' };
}

function makeRecord(
  file: string,
  line: number | null,
  index: number,
  group: string,
  args: Record<string, string>,
  arrays: Map<string, Float64Array>,
): AthenaRecord {
  const label = (args.label ?? args.name ?? '').trim() || group || `record ${index}`;
  const x = arrays.get('x');
  const y = arrays.get('y');
  if (!x || !y) throw new FileFormatError(file, line, `record "${label}" has no @x/@y arrays`);
  if (x.length !== y.length)
    throw new FileFormatError(file, line, `record "${label}": @x has ${x.length} values, @y ${y.length}`);
  const stddev = arrays.get('stddev');
  const i0 = arrays.get('i0');
  return {
    label,
    group,
    index,
    x,
    y,
    ...(stddev && stddev.length === x.length ? { stddev } : {}),
    ...(i0 && i0.length === x.length ? { i0 } : {}),
    args,
    ...classify(args),
    merged: flagOn(args, 'is_merge') || (stddev !== undefined && stddev.length === x.length),
    line,
  };
}

/** Parse the (decompressed) text of an Athena project into its records. */
export function parseAthenaProject(text: string, file: string): AthenaRecord[] {
  if (!isAthenaProject(text))
    throw new FileFormatError(
      file,
      1,
      'not an Athena project (first line must be "# Athena project file -- ..."); a gzipped project must be decompressed first',
    );
  const recs = /^\uFEFF?\s*\{/.test(text) ? parseJsonProject(text, file) : parsePerlProject(text, file);
  if (recs.length === 0) throw new FileFormatError(file, null, 'the Athena project holds no data records');
  return recs;
}

function parsePerlProject(text: string, file: string): AthenaRecord[] {
  const recs: AthenaRecord[] = [];
  let group = '';
  let groupLine: number | null = null;
  let args: Record<string, string> = {};
  let arrays = new Map<string, Float64Array>();
  let open = false;
  for (const st of statements(text, file)) {
    const t = st.text;
    let m: RegExpExecArray | null;
    if (t === '[record]') {
      if (!open) continue;
      recs.push(makeRecord(file, groupLine, recs.length + 1, group, args, arrays));
      group = '';
      args = {};
      arrays = new Map();
      open = false;
      groupLine = null;
    } else if ((m = /^\$old_group\s*=\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/s.exec(t))) {
      if (open && arrays.size > 0)
        throw new FileFormatError(
          file,
          st.line,
          `record "${args.label ?? group}" (line ${groupLine}) has no [record] line`,
        );
      group = m[1] !== undefined ? unescapePerl(m[1], false) : unescapePerl(m[2], true);
      groupLine = st.line;
      open = true;
    } else if ((m = /^[@%](\w+)\s*=/.exec(t))) {
      const key = m[1];
      if (key === 'journal') continue;
      if (!open) {
        open = true;
        groupLine = st.line;
      }
      if (key === 'args') {
        const items = perlList(t);
        for (let j = 0; j + 1 < items.length; j += 2) args[items[j]] = items[j + 1];
      } else if (['x', 'y', 'i0', 'signal', 'stddev'].includes(key)) {
        arrays.set(key, numbers(perlList(t), file, st.line, key));
      }
    }
  }
  return recs;
}

function parseJsonProject(text: string, file: string): AthenaRecord[] {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (e) {
    throw new FileFormatError(file, null, `JSON Athena project does not parse: ${(e as Error).message}`);
  }
  const orderKey = Object.keys(doc).find((k) => k.startsWith('_____order'));
  const names =
    orderKey && Array.isArray(doc[orderKey])
      ? (doc[orderKey] as string[])
      : Object.keys(doc).filter((k) => !k.startsWith('_____'));
  const recs: AthenaRecord[] = [];
  for (const name of names) {
    const r = doc[name] as Record<string, unknown> | undefined;
    if (!r || typeof r !== 'object')
      throw new FileFormatError(file, null, `record "${name}" is listed but missing`);
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries((r.args as Record<string, unknown>) ?? {}))
      args[k] = v === null || v === undefined ? '' : String(v);
    const arrays = new Map<string, Float64Array>();
    for (const k of ['x', 'y', 'i0', 'signal', 'stddev'])
      if (Array.isArray(r[k])) arrays.set(k, numbers(r[k] as unknown[], file, null, `${name}.${k}`));
    recs.push(makeRecord(file, null, recs.length + 1, name, args, arrays));
  }
  return recs;
}

/** Larch's group name for a label (larch.utils.strutils.fix_varname, simplified). */
function varname(label: string): string {
  let s = label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  if (/^[0-9]/.test(s)) s = '_' + s;
  return s.replace(/_+$/, '');
}

function describe(r: AthenaRecord): string {
  const what =
    r.kind === 'other'
      ? `not data: ${r.what}`
      : r.kind === 'chi'
        ? 'χ(k)'
        : r.normalised
          ? 'normalised μ(E)'
          : 'μ(E)';
  return `${r.index}: ${JSON.stringify(r.label)} (${what}${r.merged ? ', merged' : ''})`;
}

/** The records of a project, one per line, for error messages and `process --list`. */
export function listAthenaRecords(recs: AthenaRecord[]): string {
  return recs.map(describe).join('; ');
}

/** Pick a record by the label Athena shows (exact, then case- and blank-insensitive, then Larch's name), group name or number. */
export function pickAthenaRecord(recs: AthenaRecord[], file: string, label?: string): AthenaRecord {
  const usable = recs.filter((r) => r.kind !== 'other');
  if (label === undefined) {
    if (usable.length === 1) return usable[0];
    throw new UserError(
      usable.length === 0
        ? `${file}: the project holds no μ(E) or χ(k) record (records: ${listAthenaRecords(recs)})`
        : `${file}: the project holds ${usable.length} records; choose one with --group LABEL (or its number): ${listAthenaRecords(recs)}`,
    );
  }
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  const tries: Array<(r: AthenaRecord) => boolean> = [
    (r) => r.label === label,
    (r) => norm(r.label) === norm(label),
    (r) => varname(r.label) === varname(label) && varname(label) !== '',
    (r) => r.group === label,
  ];
  let hit: AthenaRecord | undefined;
  for (const t of tries) {
    const found = recs.filter(t);
    if (found.length > 1)
      throw new UserError(
        `${file}: ${found.length} records are labelled "${label}" (numbers ${found.map((r) => r.index).join(', ')}); choose one by number with --group N`,
      );
    if (found.length === 1) {
      hit = found[0];
      break;
    }
  }
  if (!hit && /^#?\d+$/.test(label.trim())) {
    const n = Number(label.trim().replace('#', ''));
    hit = recs.find((r) => r.index === n);
  }
  if (!hit)
    throw new UserError(`${file}: no record labelled "${label}"; the records are ${listAthenaRecords(recs)}`);
  if (hit.kind === 'other')
    throw new UserError(
      `${file}: record "${hit.label}" is not μ(E) or χ(k) data (${hit.what}); the records are ${listAthenaRecords(recs)}`,
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
