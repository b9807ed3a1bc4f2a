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
import { chooseModel, modelNameElementEdge } from '../../src/util/modelChoice.js';
import { startServer } from '../../src/report/server.js';

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

test('one model choice rule for predict, serve and the app (chooseModel)', () => {
  const models = [
    { name: 'cu-k' },
    { name: 'ni-k' },
    { name: 'ni-l3' },
    { name: 'fe-k_small' },
    { name: 'notes' },
  ];
  assert.equal(chooseModel(models, 'Ni', 'K')?.model.name, 'ni-k');
  assert.equal(chooseModel(models, 'ni', 'l3')?.model.name, 'ni-l3');
  assert.equal(chooseModel(models, 'Fe', 'K')?.model.name, 'fe-k_small');
  // Co (27): Ni (28) and Fe (26) are both 1 away; the first in search order with the smallest |ΔZ| wins
  const co = chooseModel(models, 'Co', 'K');
  assert.equal(co?.model.name, 'ni-k');
  assert.equal(co?.fallbackFrom, 'ni-k');
  assert.equal(chooseModel(models, 'Ti', 'K'), null); // Ti (22): Fe is 4 away
  assert.equal(chooseModel(models, 'Cu', 'L3')?.fallbackFrom, 'ni-l3'); // same edge, |ΔZ| = 1
  assert.equal(chooseModel(models, 'Cu', 'L2'), null);
  const unknown = chooseModel(models, null, null);
  assert.equal(unknown?.model.name, 'cu-k');
  assert.equal(unknown?.elementUnknown, true);
  assert.deepEqual(modelNameElementEdge('ni-k'), { element: 'Ni', edge: 'K' });
  assert.deepEqual(modelNameElementEdge('cu-k-small'), { element: 'Cu', edge: 'K' });
  assert.deepEqual(modelNameElementEdge('notes'), { element: null, edge: null });
});

test('serve exposes every model at /models/NAME/ and lists them in app-config.json', async () => {
  const d = fakeModels(['cu-k', 'ni-k']);
  const app = mkdtempSync(join(tmpdir(), 'exafsnn-app-'));
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>t</title>');
  const srv = await startServer({
    appDir: app,
    modelDir: join(d, 'ni-k'),
    models: [
      { name: 'cu-k', dir: join(d, 'cu-k'), element: 'Cu', edge: 'K' },
      { name: 'ni-k', dir: join(d, 'ni-k'), element: 'Ni', edge: 'K' },
    ],
    port: 0,
  });
  try {
    const cfg = (await (await fetch(`${srv.url}app-config.json`)).json()) as {
      model: string;
      models: { name: string; url: string; element: string }[];
    };
    assert.equal(cfg.model, '/model/');
    assert.deepEqual(
      cfg.models.map((m) => [m.name, m.url, m.element]),
      [
        ['cu-k', '/models/cu-k/', 'Cu'],
        ['ni-k', '/models/ni-k/', 'Ni'],
      ],
    );
    assert.equal((await fetch(`${srv.url}models/cu-k/model.json`)).status, 200);
    assert.equal((await fetch(`${srv.url}models/zn-k/model.json`)).status, 404);
    assert.equal((await fetch(`${srv.url}models/cu-k/`)).status, 404); // no listing
    // a model name that is not a plain folder name is refused before anything is served
    await assert.rejects(
      startServer({ appDir: app, models: [{ name: '../x', dir: d }], port: 0 }),
      UserError,
    );
  } finally {
    await srv.close();
    rmSync(d, { recursive: true, force: true });
    rmSync(app, { recursive: true, force: true });
  }
});
