// The library entry, imported by the package's own name (a self-reference through package.json
// "exports"), the way a user's program does after `npm install exafsnn` and `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/packagePaths.js';
import { buildLattice, writeXyz } from '../../src/structure/index.js';

const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  types: string;
  exports: Record<string, { types: string; import: string }>;
};

test('package.json main, types and exports name files the build makes', () => {
  assert.equal(pkg.name, 'exafsnn');
  for (const f of [pkg.main, pkg.types, pkg.exports['.'].import, pkg.exports['.'].types])
    assert.ok(existsSync(join(root, f)), `${f} is not built`);
});

test("import … from 'exafsnn' gives the typed library API, and it works end to end", async () => {
  // a variable specifier, so tsc does not need dist/ (the build's own output) to compile this test
  const name = pkg.name;
  const lib = (await import(name)) as typeof import('../../src/index.js');
  for (const name of [
    'readSpectrum',
    'processSpectrum',
    'readSpectrumFile',
    'processSpectrumFile',
    'loadModel',
    'predict',
    'loadTables',
    'computeChi',
    'analyze',
    'UserError',
  ])
    assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', name);
  // the shipped Ni foil → χ(k) → the shipped Ni model: a first shell near fcc Ni's a/√2 = 2.49 Å
  const spec = join(root, 'data', 'spectra', 'Ni_foil_LISA_300K.xdi');
  if (!existsSync(spec)) return;
  const proc = lib.processSpectrumFile(spec);
  assert.equal(proc.element, 'Ni');
  const model = lib.loadModel(undefined, { element: proc.element ?? undefined, edge: proc.edge ?? 'K' });
  const p = lib.predict(model, proc.k, proc.chi);
  const { r, g } = p;
  let best = 0;
  for (let i = 1; i < g.length; i++) if (g[i] > g[best]) best = i;
  assert.ok(Math.abs(r[best] - 2.49) < 0.08, `g(r) peak at ${r[best]} Å`);
  // a user mistake is a UserError, by the exported class
  assert.throws(() => lib.loadModel('no-such-model'), lib.UserError);
});

test("'exafsnn' analyze: an ideal fcc file has 12 neighbours at a/√2 and 66 angle pairs", async () => {
  const lib = (await import(pkg.name)) as typeof import('../../src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-lib-'));
  try {
    const file = join(dir, 'fcc.xyz');
    writeXyz(file, [buildLattice('fcc', 3.524, 4, { element: 'Ni' })]);
    const res = await lib.analyze(file, { rmax: 6 });
    assert.ok(Math.abs(res.cn - 12) < 1e-6, `cn ${res.cn}`);
    assert.ok(Math.abs((res.r1 ?? 0) - 3.524 / Math.SQRT2) < 0.01, `r1 ${res.r1}`);
    assert.ok(Math.abs(res.angle_pairs - 66) < 1e-6, `angle pairs ${res.angle_pairs}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
