/**
 * The README's main job: `exafsnn demo` runs the whole pipeline on built-in defaults (quick dataset,
 * 5-member ensemble, evaluation, prediction with a report) and ends with the report's path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test(
  'exafsnn demo runs end to end and writes the evaluation and the prediction report',
  { timeout: 900_000 },
  () => {
    const out = join(mkdtempSync(join(tmpdir(), 'exafsnn-demo-')), 'demo');
    const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
    const r = spawnSync(process.execPath, [cli, 'demo', '--out', out, '--json'], {
      encoding: 'utf8',
      timeout: 900_000,
    });
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    const j = JSON.parse(r.stdout);
    assert.ok(existsSync(j.report), j.report);
    assert.ok(existsSync(j.evaluation), j.evaluation);
    assert.ok(existsSync(join(out, 'model', 'model.json')));
    const html = readFileSync(j.report, 'utf8');
    assert.match(html, /Ni_foil_LISA_300K/);
    for (const step of ['dataset', 'train', 'evaluate', 'predict']) assert.ok(j.seconds[step] > 0, step);
  },
);
