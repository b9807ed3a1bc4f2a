/** An unknown element in a sweep spec is named with the file and field, before anything is written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

test('dataset generate: element "Xx" or one without a shipped potential is refused up front, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-spec-'));
  const spec = spawnSync(process.execPath, [cli, 'dataset', 'spec', '--preset', 'quick'], {
    encoding: 'utf8',
  });
  assert.equal(spec.status, 0, spec.stderr);
  const base = JSON.parse(spec.stdout);
  for (const [el, re] of [
    ['Xx', /xx\.json: element: "Xx" is not an element symbol/],
    [
      'Ar',
      /ar\.json: element: unknown element "Ar": shipped potentials cover Ni, Cu, Co, Fe; set "potential": FILE/,
    ],
  ] as const) {
    const p = join(dir, `${el.toLowerCase()}.json`);
    writeFileSync(p, JSON.stringify({ ...base, element: el }));
    const r = spawnSync(
      process.execPath,
      [cli, 'dataset', 'generate', '--spec', p, '--out', join(dir, `${el}.h5`)],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, re);
  }
  // nothing half-written: no .h5, no .partial journal
  assert.deepEqual(readdirSync(dir).sort(), ['ar.json', 'xx.json']);
});
