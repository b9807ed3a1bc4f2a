import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSetAtomic } from '../../src/util/atomic.js';
import { UserError } from '../../src/util/errors.js';
import { writeReport } from '../../src/report/write.js';
import { renderPredictReport } from '../../src/report/html.js';
import { syntheticPredictInput } from '../report/fixtures.js';

/** name → content of every entry of a folder (folders as '<dir>'). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
    out[e.name] = e.isFile() ? readFileSync(join(dir, e.name), 'latin1') : '<dir>';
  return out;
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-atomic-set-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const old = { 'a.csv': 'old a', 'b.svg': 'old b', 'report.html': 'old report', 'notes.txt': 'user file' };
const fresh: Array<[string, string]> = [
  ['a.csv', 'new a'],
  ['b.svg', 'new b'],
  ['c.png', 'new c'],
  ['report.html', 'new report'],
];

test('writeFileSetAtomic: the whole set replaces the old files; other files stay', () => {
  withDir((dir) => {
    for (const [n, t] of Object.entries(old)) writeFileSync(join(dir, n), t);
    writeFileSetAtomic(dir, fresh, '--out x');
    assert.deepEqual(snapshot(dir), { ...Object.fromEntries(fresh), 'notes.txt': 'user file' });
  });
});

test('writeFileSetAtomic: a failure while writing, a folder in the way or a failed rename leaves the old set', () => {
  withDir((dir) => {
    for (const [n, t] of Object.entries(old)) writeFileSync(join(dir, n), t);
    const before = snapshot(dir);
    // a temporary cannot be created (no such subfolder): found after a.csv's temporary was written
    assert.throws(
      () => writeFileSetAtomic(dir, [...fresh.slice(0, 2), ['missing/c.png', 'x'], fresh[3]], '--out x'),
      (e: Error) => e instanceof UserError && /--out x: cannot write \(ENOENT\); nothing was written/.test(e.message),
    );
    assert.deepEqual(snapshot(dir), before);
    // a folder where a file of the set goes: refused before anything is written
    mkdirSync(join(dir, 'c.png'));
    assert.throws(() => writeFileSetAtomic(dir, fresh, '--out x'), /cannot write c\.png: a folder .* in the way; nothing was written/);
    assert.deepEqual(snapshot(dir), { ...before, 'c.png': '<dir>' });
    rmSync(join(dir, 'c.png'), { recursive: true });
    // the third rename fails (after a.csv and b.svg were replaced): both come back, nothing is left over
    let n = 0;
    const failThird = (from: string, to: string) => {
      if (++n === 3) throw Object.assign(new Error('injected'), { code: 'EIO' });
      renameSync(from, to);
    };
    assert.throws(
      () => writeFileSetAtomic(dir, fresh, '--out x', failThird),
      (e: Error) => e instanceof UserError && /cannot write c\.png \(EIO\); the folder is as it was/.test(e.message),
    );
    assert.equal(n, 3);
    assert.deepEqual(snapshot(dir), before);
  });
});

test('writeReport (predict/evaluate --out): a failure half-way leaves the previous report, figures and CSV as they were', () => {
  withDir((dir) => {
    const out = join(dir, 'out');
    const one = renderPredictReport(syntheticPredictInput(1));
    writeReport(out, one, { png: false, extra: { 'x_prediction.json': '{"run":1}' } });
    // a second run into the same folder, with a folder where one of its figures goes
    const two = renderPredictReport(syntheticPredictInput(2));
    assert.ok(two.plots.length > one.plots.length, 'the second report has more figures');
    const blocked = `${two.plots[two.plots.length - 1].name}.svg`;
    mkdirSync(join(out, blocked));
    const before = snapshot(out);
    assert.throws(
      () => writeReport(out, two, { png: false, extra: { 'x_prediction.json': '{"run":2}' } }),
      (e: Error) => e instanceof UserError && e.message.includes(`cannot write ${blocked}`),
    );
    assert.deepEqual(snapshot(out), before, 'no file of the second run, no temporaries');
    rmSync(join(out, blocked), { recursive: true });
    const w = writeReport(out, two, { png: false, extra: { 'x_prediction.json': '{"run":2}' } });
    assert.equal(w.files[w.files.length - 1], 'report.html');
    assert.equal(readFileSync(join(out, 'x_prediction.json'), 'utf8'), '{"run":2}');
    assert.equal(readFileSync(join(out, 'report.html'), 'utf8'), two.html);
  });
});
