/**
 * Where `serve` finds the built browser app and which model directory it exposes.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../util/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository / package root (this file is dist/src/report/serve-paths.js). */
export const packageRoot = resolve(here, '..', '..', '..');

/** The built app folder (dist/web); an error naming the build command when it is missing. */
export function appDir(): string {
  const d = join(packageRoot, 'dist', 'web');
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
 * --model DIR (a folder with model.json), --model NAME (data/models/NAME), or by default the
 * first shipped model under data/models/ (alphabetical), or none.
 */
export function resolveServeModel(arg: string | undefined): ServeModel {
  const shipped = join(packageRoot, 'data', 'models');
  if (arg !== undefined) {
    const candidates = [resolve(arg), join(shipped, arg)];
    for (const c of candidates) {
      if (existsSync(c) && statSync(c).isDirectory()) {
        if (!existsSync(join(c, 'model.json')))
          throw new UserError(
            `--model ${arg}: ${c} has no model.json (expected a model directory written by "exafsnn train")`,
          );
        return { dir: c, name: c.split(/[\\/]/).pop() ?? c, note: '' };
      }
    }
    const names = listModels(shipped);
    throw new UserError(
      `--model ${arg}: no such folder, and no shipped model of that name${names.length ? ` (shipped: ${names.join(', ')})` : ''}`,
    );
  }
  const names = listModels(shipped);
  if (names.length) return { dir: join(shipped, names[0]), name: names[0], note: '' };
  return { dir: null, name: null, note: `no model.json under ${shipped}; pass --model DIR` };
}

function listModels(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.') && existsSync(join(dir, n, 'model.json')))
    .sort();
}

/** The γ table folder to expose: $EXAFSNN_TABLES, else data/tables, when it holds *.gamma files. */
export function resolveTablesDir(): string | null {
  const dirs = [process.env.EXAFSNN_TABLES, join(packageRoot, 'data', 'tables')].filter(
    (d): d is string => !!d,
  );
  for (const d of dirs) {
    if (existsSync(d) && statSync(d).isDirectory() && readdirSync(d).some((f) => f.endsWith('.gamma')))
      return resolve(d);
  }
  return null;
}
