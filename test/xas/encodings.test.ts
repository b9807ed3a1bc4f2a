/**
 * Text encodings and number conventions of spectrum files: UTF-8 and UTF-16 (with and without a
 * BOM, as Windows PowerShell `>` writes), decimal commas (read when the whole file uses them and
 * columns are separated by blanks, tabs or semicolons; refused with the line when mixed with points),
 * binary files named as such with the same message in the command line and the app.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readSpectrum, processSpectrum, spectrumTextFromBytes, decodeText } from '../../src/xas/index.js';
import { readSpectrumFile, processSpectrumFile } from '../../src/xas/node-io.js';
import { binaryFileMessage } from '../../src/xas/bytes.js';
import { FileFormatError, UserError } from '../../src/util/errors.js';
import { fixtureText } from './helpers.js';

const NI = fixtureText('Ni_foil_LISA_300K.xdi');

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  if (order === 'be') for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  const b = order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return new Uint8Array(bom ? Buffer.concat([Buffer.from(b), le]) : le);
}

test('UTF-16 LE/BE with and without BOM, and UTF-8 with BOM, read as the UTF-8 file', async () => {
  const base = processSpectrum(NI, 'ni.xdi');
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-enc-'));
  try {
    const variants: Array<[string, Uint8Array]> = [
      ['le-bom', utf16(NI, 'le', true)],
      ['be-bom', utf16(NI, 'be', true)],
      ['le', utf16(NI, 'le', false)],
      ['be', utf16(NI, 'be', false)],
      ['utf8-bom', new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NI)]))],
    ];
    for (const [name, bytes] of variants) {
      assert.equal(decodeText(bytes, name), NI, name);
      assert.equal(await spectrumTextFromBytes(bytes, name), NI, `${name} (browser path)`);
      const p = join(dir, `${name}.xdi`);
      writeFileSync(p, bytes);
      const r = processSpectrumFile(p);
      assert.equal(r.e0, base.e0, name);
      assert.deepEqual(Array.from(r.chi), Array.from(base.chi), name);
    }
    // gzipped UTF-16 too
    const gz = join(dir, 'x.xdi.gz');
    writeFileSync(gz, gzipSync(utf16(NI, 'le', true)));
    assert.equal(readSpectrumFile(gz).kind, 'mu');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The Ni spectrum as two plain columns, written with a decimal comma and the given separator. */
function commaColumns(sep: string): string {
  const rows = NI.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
  return [
    '# energy mu',
    ...rows.map((l) =>
      l
        .trim()
        .split(/\s+/)
        .map((v) => v.replace('.', ','))
        .join(sep),
    ),
  ].join('\n');
}

test('decimal commas: read when the whole file uses them (blanks, tabs or semicolons between columns)', () => {
  const dots = readSpectrum(NI, 'ni.xdi');
  for (const sep of [' ', '\t', ';', ' ; ']) {
    const d = readSpectrum(commaColumns(sep), 'comma.dat');
    assert.ok(d.kind === 'mu' && dots.kind === 'mu');
    assert.deepEqual(Array.from(d.energy), Array.from(dots.energy), JSON.stringify(sep));
    assert.deepEqual(Array.from(d.mu), Array.from(dots.mu));
    assert.ok(d.warnings.some((w) => /decimals with commas/.test(w)));
  }
  // comma-separated columns with decimal points (CSV) stay CSV
  const csv = readSpectrum('energy,mu\n8000.5,0.1\n8001.5,0.2\n', 'a.csv');
  assert.ok(csv.kind === 'mu' && csv.energy[1] === 8001.5 && csv.mu[1] === 0.2 && csv.warnings.length === 0);
});

test('decimal commas mixed with points are refused with the line and column', () => {
  // one energy written "8362,8015" among decimal points (the case that used to be misread silently)
  const lines = NI.split('\n');
  const i = lines.findIndex((l) => /^\s*8362\.8/.test(l));
  assert.ok(i > 0);
  const bad = [...lines];
  bad[i] = bad[i].replace('8362.8', '8362,8');
  assert.throws(
    () => readSpectrum(bad.join('\n'), 'ni.xdi'),
    (e: Error) =>
      e instanceof FileFormatError &&
      e.message.startsWith(`ni.xdi:${i + 1}: column 1: "8362,8`) &&
      /has a decimal comma, but other lines use decimal points/.test(e.message),
  );
  // the other way round: one point in a file of decimal commas
  const c = commaColumns(' ').split('\n');
  c[40] = c[40].replace(',', '.');
  assert.throws(
    () => readSpectrum(c.join('\n'), 'c.dat'),
    /c\.dat:41: column 1: ".*" has a decimal comma, but other lines|c\.dat:41: column \d: ".*" uses a decimal point/,
  );
  // in a CSV file, a decimal comma adds a column: the line is named with the hint
  assert.throws(
    () => readSpectrum('8000.5,0.1\n8001,5,0.2\n', 'a.csv'),
    /a\.csv:2: expected 2 numbers \(as on line 1\), found 3 \(a decimal comma\?/,
  );
  // a point as thousands separator with a decimal comma ("8.333,5") is refused, not split into columns
  assert.throws(
    () => readSpectrum('8.000,5 0,1\n8.001,5 0,2\n', 't.dat'),
    /t\.dat:1: column 1: "8\.000,5" has a comma inside a number while blanks separate the columns/,
  );
  // a text file without numbers names its first text line
  assert.throws(
    () => readSpectrum('hello\nthis is not a spectrum\n', 'notes.txt'),
    /notes\.txt:1: no lines of numbers: the file holds only text \(this line: "hello"\)/,
  );
  // a comment after the numbers of a data line is not a column
  const cm = readSpectrum('8000 0.1  # start\n8001 0.2\n8002 0.3 ! glitch here\n', 'cm.dat');
  assert.ok(cm.kind === 'mu' && cm.energy.length === 3 && cm.mu[2] === 0.3);
  // and a row with more columns than the first is no longer read silently
  assert.throws(
    () => readSpectrum('8000 0.1\n8001 0.2 7\n', 'b.dat'),
    /b\.dat:2: expected 2 numbers \(as on line 1\), found 3/,
  );
});

test('binary files: named as such, the same words on the command line and in the app', async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-bin-'));
  try {
    const p = join(dir, 'plot.png');
    writeFileSync(p, png);
    const msg = binaryFileMessage(p, 'PNG image');
    assert.throws(
      () => readSpectrumFile(p),
      (e: Error) => e instanceof UserError && e.message === msg,
    );
    await assert.rejects(spectrumTextFromBytes(png, p), (e: Error) => e.message === msg);
    assert.match(msg, /plot\.png: this is a binary file \(PNG image\), not a text spectrum/);
    // unknown binary data (NUL bytes, control characters) and a gzipped binary
    const junk = new Uint8Array(256).map((_, i) => (i * 7) % 256);
    assert.throws(() => decodeText(junk, 'x.dat'), /x\.dat: this is a binary file, not a text spectrum/);
    const gz = join(dir, 'h5.prj');
    writeFileSync(gz, gzipSync(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])));
    assert.throws(() => readSpectrumFile(gz), /this is a binary file \(HDF5 file\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
