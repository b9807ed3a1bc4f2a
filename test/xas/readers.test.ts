import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
  parseXdi,
  parseColumns,
  readSpectrum,
  parseAthenaProject,
  athenaParams,
  spectrumTextFromBytes,
  processSpectrum,
} from '../../src/xas/index.js';
import { readSpectrumText } from '../../src/xas/node-io.js';
import { FileFormatError } from '../../src/util/errors.js';
import { fixture, fixtureText, REPO } from './helpers.js';

test('XDI: CRLF lines, header fields, column names and units, mixed number formats', () => {
  const t = parseXdi(fixtureText('Ni_foil_LISA_300K.xdi'), 'ni.xdi');
  assert.deepEqual(t.names, ['energy', 'mutrans']);
  assert.deepEqual(t.units, ['eV', '']);
  assert.equal(t.fields.get('element.symbol'), 'Ni');
  assert.equal(t.fields.get('element.edge'), 'K');
  assert.equal(t.fields.get('mono.d_spacing'), '3.134692');
  assert.equal(t.columns[0].length, 965);
  assert.equal(t.columns[0][0], 8133.0739);
  assert.equal(t.columns[1][0], -0.42110699);
  assert.equal(t.lines[0], 20); // first data line of the file
  // the same numbers written in E / D exponent notation and LF endings read identically
  const alt =
    '# XDI/1.0\n# Column.1: energy keV\n# Column.2: i0\n# Column.3: itrans\n# Element.symbol: cu\n# Element.edge: k\n# ///\n#---\n#  energy i0 itrans\n8.9790E+00 1.0D+05 5.0e4\n8.98 100000 50000\n';
  const a = parseXdi(alt, 'alt.xdi');
  assert.deepEqual(Array.from(a.columns[0]), [8979, 8980]); // keV → eV
  assert.equal(a.columns[1][0], 1e5);
  const d = readSpectrum(alt, 'alt.xdi');
  assert.equal(d.kind, 'mu');
  if (d.kind === 'mu') {
    assert.equal(d.source, 'ln(i0/itrans)');
    assert.ok(Math.abs(d.mu[0] - Math.log(2)) < 1e-15);
    assert.equal(d.element, 'Cu');
    assert.equal(d.edge, 'K');
  }
});

test('XDI defaults: mutrans, then ln(i0/itrans), then mufluor, then ifluor/i0', () => {
  const mk = (cols: string[], row: string) =>
    [
      '# XDI/1.0',
      ...cols.map((c, i) => `# Column.${i + 1}: ${c}`),
      '# ///',
      row,
      row.replace(/^\S+/, '8001'),
    ].join('\n');
  const src = (cols: string[], row: string) =>
    (readSpectrum(mk(cols, row), 'x.xdi') as { source: string }).source;
  assert.equal(src(['energy', 'i0', 'itrans', 'mutrans'], '8000 10 5 0.3'), 'mutrans');
  assert.equal(src(['energy', 'i0', 'itrans', 'mufluor'], '8000 10 5 0.3'), 'ln(i0/itrans)');
  assert.equal(src(['energy', 'i0', 'ifluor', 'mufluor'], '8000 10 5 0.3'), 'mufluor');
  assert.equal(src(['energy', 'i0', 'ifluor'], '8000 10 5'), 'ifluor/i0');
  assert.throws(
    () => readSpectrum(mk(['energy', 'a', 'b'], '8000 1 2'), 'x.xdi'),
    /no mutrans, i0\+itrans, mufluor or i0\+ifluor column; choose with --mu COL/,
  );
  // ln(I0/It) needs positive intensities: the line is named
  assert.throws(
    () => readSpectrum(mk(['energy', 'i0', 'itrans'], '8000 10 -5'), 'x.xdi'),
    (e: Error) =>
      e instanceof FileFormatError &&
      /x\.xdi:6: ln\(i0\/itrans\): intensities must be positive/.test(e.message),
  );
});

test('plain columns: comment styles, header line without comment mark, keV heuristic', () => {
  const t = parseColumns('! my scan\n% energy  mu\n7000 0.1\n7001 0.2\n', 'a.dat');
  assert.deepEqual(t.names, ['energy', 'mu']);
  const u = parseColumns('E I0 I1\n7000 1 2\n7001 1 2\n', 'b.dat');
  assert.deepEqual(u.names, ['E', 'I0', 'I1']);
  assert.equal(u.lines[0], 2);
  const d = readSpectrum('7.000 0.1\n7.001 0.2\n', 'kev.dat');
  assert.ok(d.kind === 'mu' && d.energy[0] === 7000 && d.warnings.some((w) => /keV/.test(w)));
  assert.throws(() => parseColumns('# nothing here\n', 'c.dat'), /c\.dat: no data lines/);
  assert.throws(
    () => parseColumns('1 2\n3 x4\n', 'd.dat'),
    /d\.dat:2: column 2 \(col2\): expected a number, got "x4"/,
  );
});

test('Athena text: records, quoted args with escapes, named clamps, χ records', () => {
  const prj = [
    '# Athena project file -- Demeter version 0.9.26',
    '# This file created at ...',
    '',
    "$old_group = 'abcde';",
    "@args = ('label','Pt L3 \\'sample\\'','bkg_e0','11564.5','bkg_clamp1','Slight','bkg_clamp2','Strong','bkg_nnorm','3','bkg_kw','2','bkg_z','Pt','fft_edge','l3','is_xmu','1','bkg_eshift','-1.5');",
    "@x = ('11400','11401.5','11403');",
    "@y = ('0.1','0.2','1.2E-1');",
    '[record] # create object',
    '',
    "$old_group = 'fghij';",
    "@args = ('label','my chi','is_chi','1','is_xmu','0');",
    "@x = ('0','0.05','0.1');",
    "@y = ('0','0.01','0.02');",
    '[record] # create object',
    '',
    '@journal = {};',
    '1;',
  ].join('\n');
  const recs = parseAthenaProject(prj, 'p.prj');
  assert.equal(recs.length, 2);
  assert.equal(recs[0].label, "Pt L3 'sample'");
  assert.equal(recs[0].kind, 'mu');
  assert.deepEqual(Array.from(recs[0].y), [0.1, 0.2, 0.12]);
  const p = athenaParams(recs[0]);
  assert.deepEqual(p, {
    e0: 11564.5,
    eshift: -1.5,
    kweight: 2,
    nnorm: 2,
    clamp_lo: 3,
    clamp_hi: 24,
    element: 'Pt',
    edge: 'l3',
  });
  assert.equal(recs[1].kind, 'chi');
  const chi = readSpectrum(prj, 'p.prj', { group: 'my chi' });
  assert.equal(chi.kind, 'chi');
  assert.throws(() => parseAthenaProject('hello', 'x.prj'), /x\.prj:1: not an Athena project/);
  assert.throws(
    () => parseAthenaProject(prj.replace("'1.2E-1'", "'oops'"), 'p.prj'),
    /p\.prj:7: @y\[2\]: expected a finite number, got "oops"/,
  );
});

test('gzipped projects: zlib in Node and DecompressionStream (browser path) give the same text', async () => {
  const bytes = readFileSync(fixture('ni_cu_project.prj'));
  assert.equal(bytes[0], 0x1f);
  const viaStream = await spectrumTextFromBytes(new Uint8Array(bytes));
  assert.equal(viaStream, readSpectrumText(fixture('ni_cu_project.prj')));
  assert.match(viaStream, /^# Athena project file/);
  const plain = await spectrumTextFromBytes(new Uint8Array(gzipSync(Buffer.from('# k chi\n1 2\n'))));
  assert.equal(plain, '# k chi\n1 2\n');
  // gzip bytes handed over as text are refused with a hint
  assert.throws(() => readSpectrum('\x1f\x8b\x08rest', 'p.prj'), /gzip-compressed; decompress it first/);
});

test('src/xas is browser-safe: only node-io.ts imports node modules', () => {
  const dir = join(REPO, 'src', 'xas');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 10);
  for (const f of files) {
    const src = readFileSync(join(dir, f), 'utf8');
    const nodeImport = /from\s+'node:|require\(|from\s+'(fs|path|zlib|os|child_process)'/.test(src);
    if (f === 'node-io.ts') assert.ok(nodeImport);
    else assert.ok(!nodeImport, `${f} imports a node module`);
    if (f !== 'node-io.ts') assert.ok(!/process\.(env|stdout|stderr|exit)/.test(src), `${f} uses process.*`);
  }
  // and the index does not re-export node-io
  assert.doesNotMatch(readFileSync(join(dir, 'index.ts'), 'utf8'), /from '\.\/node-io/);
  // processing works on text alone
  assert.equal(processSpectrum(fixtureText('Cu_foil_LISA.xdi'), 'cu.xdi').element, 'Cu');
});
