/**
 * Where the package lives and where models are found: the one resolver used by `predict`,
 * `serve` (and so the browser app it serves) and the library entry. Node only.
 *
 * Model search order: $EXAFSNN_MODELS, then <package>/data/models. A model directory holds a
 * model.json (docs/design.md, "Model directories"); shipped models are named ELEMENT-EDGE[-…]
 * (e.g. ni-k).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './errors.js';
import { chooseModel } from './modelChoice.js';

let root: string | null = null;

/** The package root (the folder holding exafsnn's package.json), found from this module's location. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'exafsnn')
          return (root = dir);
      } catch {
        /* keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // dist/src/util/packagePaths.js → the package root three folders up
  return (root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..'));
}

let version: string | null = null;

/** exafsnn's version (package.json), or "unknown" when it cannot be read. */
export function packageVersion(): string {
  if (version) return version;
  try {
    version = String(
      (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version,
    );
  } catch {
    version = 'unknown';
  }
  return version;
}

/** Folders holding shipped or user models: $EXAFSNN_MODELS, then <package>/data/models. */
export function modelDirs(): string[] {
  const d: string[] = [];
  if (process.env.EXAFSNN_MODELS) d.push(resolve(process.env.EXAFSNN_MODELS));
  d.push(join(packageRoot(), 'data', 'models'));
  return d;
}

export function isModelDir(dir: string): boolean {
  return existsSync(join(dir, 'model.json')) && statSync(dir).isDirectory();
}

/** Shipped models as [name, dir] pairs, in search order (each folder alphabetical). */
export function listModels(): [string, string][] {
  const out: [string, string][] = [];
  for (const d of modelDirs()) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (!name.startsWith('.') && isModelDir(p)) out.push([name, p]);
    }
  }
  return out;
}

export interface ResolvedModel {
  dir: string;
  /** set when the model was chosen for a neighbouring element (or without knowing the element) */
  fallbackFrom?: string;
  elementUnknown?: boolean;
}

/** --model as a directory or a shipped model name; a UserError naming the search folders otherwise. */
export function resolveModelArg(model: string): ResolvedModel {
  if (existsSync(model)) {
    if (!isModelDir(model))
      throw new UserError(
        `--model ${model}: not a model directory (no model.json inside; expected a folder written by "exafsnn train")`,
      );
    return { dir: resolve(model) };
  }
  for (const d of modelDirs()) {
    const p = join(d, model);
    if (existsSync(p) && isModelDir(p)) return { dir: p };
  }
  const names = listModels().map((m) => m[0]);
  throw new UserError(
    `--model ${model}: no such model directory, and no shipped model of that name in ${modelDirs().join(', ')}` +
      (names.length ? ` (shipped: ${names.join(', ')})` : ''),
  );
}

/**
 * Resolve --model (a directory or a shipped model name), or pick the shipped model for the
 * spectrum's element and edge by the shared rule (src/util/modelChoice.ts chooseModel): without
 * one, the shipped model of the nearest element (|ΔZ| ≤ 3, same edge), which the caller reports
 * as an element difference.
 */
export function resolveModel(
  model: string | undefined,
  element: string | null,
  edge: string | null,
): ResolvedModel {
  if (model) return resolveModelArg(model);
  const models = listModels().map(([name, dir]) => ({ name, dir }));
  const c = chooseModel(models, element, edge);
  if (c) return { dir: c.model.dir, fallbackFrom: c.fallbackFrom, elementUnknown: c.elementUnknown };
  throw new UserError(
    `no model for ${element ?? 'this element'} ${edge ?? 'K'} edge${models.length ? ` (shipped: ${models.map((m) => m.name).join(', ')})` : ''}: ` +
      `pass --model DIR (train one with "exafsnn dataset generate" + "exafsnn train", or run "exafsnn demo")`,
  );
}
