/**
 * Which model serves a spectrum: the one rule, shared by `predict` (src/util/packagePaths.ts
 * resolveModel), `serve` and the browser app. Browser-safe (no Node APIs).
 *
 * Models are named ELEMENT-EDGE[-…] or ELEMENT-EDGE_… (e.g. "ni-k", "cu-k-small"). For a
 * spectrum of element X at edge E: the first model (in the given order) named X-E; else, when the
 * element is unknown, the first model (reported); else the model of the nearest element with
 * |ΔZ| ≤ 3 at the same edge (reported as an element difference); else none.
 */
import { atomicNumber, canonicalSymbol } from './elements.js';

/** The largest |ΔZ| between the spectrum's element and a stand-in model's element. */
export const MAX_ELEMENT_DIFFERENCE = 3;

export interface ModelChoice<T> {
  model: T;
  /** the stand-in model's name, when it was chosen for another element (or without one) */
  fallbackFrom?: string;
  elementUnknown?: boolean;
}

/** Element and edge a model name stands for ("ni-k" → Ni, K), or nulls. */
export function modelNameElementEdge(name: string): { element: string | null; edge: string | null } {
  const m = /^([A-Za-z]{1,2})-([A-Za-z0-9]+)(?:[-_]|$)/.exec(name);
  if (!m) return { element: null, edge: null };
  return { element: canonicalSymbol(m[1]), edge: m[2].toUpperCase() };
}

/** Choose among named models (in search order) for a spectrum's element and edge; null if none fits. */
export function chooseModel<T extends { name: string }>(
  models: readonly T[],
  element: string | null,
  edge: string | null,
): ModelChoice<T> | null {
  const el = (element ?? '').toLowerCase();
  const ed = (edge ?? 'K').toLowerCase();
  const matches = (name: string, e: string) => {
    const n = name.toLowerCase();
    return n === `${e}-${ed}` || n.startsWith(`${e}-${ed}-`) || n.startsWith(`${e}-${ed}_`);
  };
  for (const m of models) if (matches(m.name, el)) return { model: m };
  // a χ(k) file without element information: the first model, reported as a warning
  if (!element)
    return models.length ? { model: models[0], fallbackFrom: models[0].name, elementUnknown: true } : null;
  const zEl = atomicNumber(el);
  if (zEl === null) return null;
  let best: [number, T] | null = null;
  for (const m of models) {
    const e = m.name.toLowerCase().split(/[-_]/)[0];
    const z = atomicNumber(e);
    if (z === null || !matches(m.name, e)) continue;
    const dz = Math.abs(z - zEl);
    if (dz <= MAX_ELEMENT_DIFFERENCE && (!best || dz < best[0])) best = [dz, m];
  }
  return best ? { model: best[1], fallbackFrom: best[1].name } : null;
}
