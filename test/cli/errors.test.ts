// User errors vs internal errors at the CLI boundary (docs/design.md, "Errors and exit status"):
// a UserError prints its message and exits 2; anything else prints "internal error" with the hint
// to rerun with EXAFSNN_DEBUG=1 and exits 1. The internal failure is injected from outside the
// program: a preloaded module makes process.stdout.write throw a plain Error, so the command
// fails while writing its result, the way a bug would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/util/packagePaths.js';

const root = packageRoot();
const CLI = join(root, 'dist', 'src', 'cli', 'main.js');
const SPECTRUM = join(root, 'data', 'spectra', 'Ni_foil_LISA_300K.xdi');

function run(args: string[], env: Record<string, string> = {}, preload?: string) {
  const r = spawnSync(process.execPath, [...(preload ? ['--import', preload] : []), CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, EXAFSNN_DEBUG: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an internal failure says "internal error", hints at EXAFSNN_DEBUG=1 and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-fault-'));
  try {
    const fault = join(dir, 'fault.mjs');
    writeFileSync(fault, "process.stdout.write = () => { throw new Error('injected fault in stdout'); };\n");
    const url = pathToFileURL(fault).href;
    const r = run(['process', SPECTRUM, '--json'], {}, url);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /exafsnn: internal error: injected fault in stdout/);
    assert.match(r.stderr, /rerun with EXAFSNN_DEBUG=1/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace without EXAFSNN_DEBUG');
    // with EXAFSNN_DEBUG=1 the stack trace is printed instead of the hint
    const d = run(['process', SPECTRUM, '--json'], { EXAFSNN_DEBUG: '1' }, url);
    assert.equal(d.status, 1);
    assert.match(d.stderr, /internal error: injected fault/);
    assert.match(d.stderr, /\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a user mistake is an error naming the file, exit 2, never "internal"', () => {
  const r = run(['process', join(root, 'no-such-spectrum.xdi'), '--json']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /exafsnn: error: .*no-such-spectrum\.xdi: cannot read the file \(no such file\)/);
  assert.doesNotMatch(r.stderr, /internal/);
  assert.equal(r.stdout, '');
});

test('a usage mistake exits 2; --help exits 0', () => {
  const r = run(['process', '--no-such-option', SPECTRUM]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /unknown option '--no-such-option'/);
  const m = run(['process']);
  assert.equal(m.status, 2);
  assert.match(m.stderr, /missing required argument/);
  const h = run(['process', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /Usage: exafsnn process/);
});
