/**
 * Where `serve` finds the built browser app and which model directory and γ tables it exposes.
 * Models are resolved like `predict` does (src/util/packagePaths.ts: $EXAFSNN_MODELS, then
 * data/models), tables like the CLI (theory/table.ts tableDirs: $EXAFSNN_TABLES, then data/tables).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { listModels, modelDirs, packageRoot, resolveModelArg } from '../util/packagePaths.js';
import { tableDirs } from '../theory/table.js';

/** The built app folder (dist/web); an error naming the build command when it is missing. */
export function appDir(): string {
  const d = join(packageRoot(), 'dist', 'web');
  if (!existsSync(join(d, 'index.html')) || !existsSync(join(d, 'app.js'))) {
    throw new UserError(
      `the browser app is not built (${d}/index.html or app.js missing): run "npm run build"`,
    );
  }
  return d;
}

export interface ServeModel {
  dir: string | null;
  name: string | null;
  note: string;
}

/**
 * --model DIR (a folder with model.json) or NAME (a shipped model), or by default the first
 * shipped model in search order ($EXAFSNN_MODELS, then data/models; alphabetical), or none.
 */
export function resolveServeModel(arg: string | undefined): ServeModel {
  const name = (dir: string) => dir.split(/[\\/]/).pop() ?? dir;
  if (arg !== undefined) {
    const { dir } = resolveModelArg(arg);
    return { dir, name: name(dir), note: '' };
  }
  const models = listModels();
  if (models.length) return { dir: models[0][1], name: models[0][0], note: '' };
  return { dir: null, name: null, note: `no model.json under ${modelDirs().join(' or ')}; pass --model DIR` };
}

/** The γ table folder to expose: $EXAFSNN_TABLES, else data/tables, when it holds *.gamma files. */
export function resolveTablesDir(): string | null {
  for (const d of tableDirs()) {
    if (existsSync(d) && statSync(d).isDirectory() && readdirSync(d).some((f) => f.endsWith('.gamma')))
      return resolve(d);
  }
  return null;
}
