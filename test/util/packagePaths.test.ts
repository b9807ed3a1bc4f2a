import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { packageRoot, resolveModel, modelDirs } from '../../src/util/packagePaths.js';
import { resolveServeModel } from '../../src/report/serve-paths.js';
import { UserError } from '../../src/util/errors.js';
import { atomicNumber, elementSymbol, canonicalSymbol, MODELLED_ELEMENTS } from '../../src/util/elements.js';
import { REFERENCE_SOLIDS } from '../../src/theory/feffSolid.js';

function fakeModels(names: string[]): string {
  const d = mkdtempSync(join(tmpdir(), 'exafsnn-models-'));
  for (const n of names) {
    mkdirSync(join(d, n));
    writeFileSync(join(d, n, 'model.json'), '{}');
  }
  return d;
}

test('package root holds package.json named exafsnn', () => {
  assert.ok(existsSync(join(packageRoot(), 'package.json')));
  assert.ok(existsSync(join(packageRoot(), 'src', 'util', 'packagePaths.ts')));
});

test('predict and serve resolve models with the same rules, $EXAFSNN_MODELS first', () => {
  const d = fakeModels(['aa-k', 'cu-k', 'fe-k']);
  const old = process.env.EXAFSNN_MODELS;
  process.env.EXAFSNN_MODELS = d;
  try {
    assert.equal(modelDirs()[0], d);
    // by name, from $EXAFSNN_MODELS, in both
    assert.equal(resolveModel('cu-k', null, null).dir, join(d, 'cu-k'));
    assert.equal(resolveServeModel('cu-k').dir, join(d, 'cu-k'));
    // the server's default is the first model in search order (from $EXAFSNN_MODELS)
    assert.equal(resolveServeModel(undefined).dir, join(d, 'aa-k'));
    // by element; Zn (Z 30) without its own model falls back to Cu (Z 29, |ΔZ| = 1); Fe (26) is too far
    assert.equal(resolveModel(undefined, 'Cu', 'K').dir, join(d, 'cu-k'));
    const zn = resolveModel(undefined, 'Zn', 'K');
    assert.equal(zn.dir, join(d, 'cu-k'));
    assert.equal(zn.fallbackFrom, 'cu-k');
    assert.throws(() => resolveModel(undefined, 'Ti', 'K'), /no model for Ti/);
    // a name that is nowhere is a user error in both
    assert.throws(() => resolveModel('nope-k', null, null), UserError);
    assert.throws(() => resolveServeModel('nope-k'), UserError);
    // a folder without model.json is a user error naming it
    assert.throws(() => resolveServeModel(tmpdir()), /no model\.json/);
  } finally {
    if (old === undefined) delete process.env.EXAFSNN_MODELS;
    else process.env.EXAFSNN_MODELS = old;
    rmSync(d, { recursive: true, force: true });
  }
});

test('one element table: symbols, atomic numbers, reference solids', () => {
  assert.equal(atomicNumber(' ni '), 28);
  assert.equal(atomicNumber('Xx'), null);
  assert.equal(elementSymbol(79), 'Au');
  assert.equal(elementSymbol(13), 'Al');
  assert.equal(canonicalSymbol('cu'), 'Cu');
  // Z of every modelled element agrees with its place in the periodic table
  for (const e of Object.values(MODELLED_ELEMENTS)) assert.equal(atomicNumber(e.symbol), e.z);
  // FEFF reference solids are the table's lattices; fcc Ni nearest-neighbour distance a/√2 = 2.492 Å
  assert.equal(REFERENCE_SOLIDS.Ni.a, MODELLED_ELEMENTS.Ni.reference.a);
  assert.ok(Math.abs(REFERENCE_SOLIDS.Ni.a / Math.SQRT2 - 2.492) < 1e-3);
  assert.equal(REFERENCE_SOLIDS.Co.structure, 'hcp');
});
