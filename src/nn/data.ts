/**
 * Checks on a training set and the assembled matrices (inputs on the model grid, targets).
 */
import { UserError } from '../util/errors.js';
import { checkCoverage, kWeightedOnGrid } from './preprocess.js';
import type { HeadSpec, TrainingData } from './types.js';

/** Throws a UserError naming the field (and sample) when shapes or values are wrong. */
export function validateData(d: TrainingData, source = 'dataset'): void {
  const n = d.n;
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${source}: no samples (n = ${n})`);
  const need = (name: string, arr: { length: number }, cols: number) => {
    if (arr.length !== n * cols)
      throw new UserError(
        `${source}: /${name} has ${arr.length} values, expected n × ${cols} = ${n * cols} (n = ${n} samples)`,
      );
  };
  need('chi', d.chi, d.k.length);
  need('gr', d.gr, d.r.length);
  need('bad', d.bad, d.theta.length);
  need('meta/density', d.density, 1);
  if (d.structure.length !== n)
    throw new UserError(`${source}: /meta/structure has ${d.structure.length} entries, expected ${n}`);
  const finite = (name: string, arr: ArrayLike<number>, cols: number) => {
    for (let i = 0; i < arr.length; i++)
      if (!Number.isFinite(arr[i]))
        throw new UserError(
          cols > 1
            ? `${source}: /${name}[${Math.floor(i / cols)}, ${i % cols}] is ${arr[i]} (sample ${Math.floor(i / cols)}); expected a finite number`
            : `${source}: /${name}[${i}] is ${arr[i]}; expected a finite number`,
        );
  };
  finite('k', d.k, 1);
  finite('r', d.r, 1);
  finite('theta', d.theta, 1);
  finite('chi', d.chi, d.k.length);
  finite('gr', d.gr, d.r.length);
  finite('bad', d.bad, d.theta.length);
  finite('meta/density', d.density, 1);
  for (let i = 0; i < n; i++)
    if (!(d.density[i] > 0))
      throw new UserError(`${source}: /meta/density[${i}] = ${d.density[i]}; expected ρ > 0 in Å⁻³`);
  for (const [name, g] of [
    ['k', d.k],
    ['r', d.r],
    ['theta', d.theta],
  ] as const) {
    for (let i = 1; i < g.length; i++)
      if (!(g[i] > g[i - 1]))
        throw new UserError(
          `${source}: /${name} must be strictly ascending (index ${i}: ${g[i - 1]} then ${g[i]})`,
        );
  }
}

/** k^w·χ of every sample on the model grid (n × nk_model). */
export function buildInputs(d: TrainingData, modelK: Float64Array, kweight: number): Float32Array {
  checkCoverage(d.k, modelK, 'dataset /chi');
  const nk = modelK.length;
  const x = new Float32Array(d.n * nk);
  const scratch = new Float64Array(nk);
  for (let s = 0; s < d.n; s++)
    kWeightedOnGrid(d.k, d.chi, s * d.k.length, modelK, kweight, x, s * nk, 0, scratch);
  return x;
}

/**
 * Name of the optional S0² head (1 output). Its target is the amplitude factor the sample carries:
 * the dataset's own S0² (spec `s02`, 1 for theory χ) times the augmentation draw, so the network
 * says how much of a measured amplitude is S0² instead of reading it as coordination. It needs
 * --aug-s02 (without amplitude variation there is nothing to learn).
 */
export const S02_HEAD = 's02';

/** The dataset's own S0² (spec `s02` stored with the file), 1 when not recorded. */
export function datasetS02(data: TrainingData): number {
  const attrs = (data.identity?.attrs ?? {}) as Record<string, unknown>;
  try {
    const spec = typeof attrs.spec === 'string' ? (JSON.parse(attrs.spec) as { s02?: unknown }) : null;
    if (spec && typeof spec.s02 === 'number' && spec.s02 > 0) return spec.s02;
  } catch {
    /* not JSON: fall through */
  }
  return 1;
}

/** The default heads' layout: [g(r) | N(θ) | ρ] (weights 1). */
export function defaultHeads(d: TrainingData): HeadSpec[] {
  return [
    { name: 'g', size: d.r.length, weight: 1 },
    { name: 'bad', size: d.theta.length, weight: 1 },
    { name: 'density', size: 1, weight: 1 },
  ];
}

/** True when the data hold every column as a finite label for every sample. */
export function hasLabels(d: TrainingData, columns: readonly string[]): boolean {
  return columns.every((c) => {
    const v = d.labels?.[c];
    return v !== undefined && v.length === d.n && v.every(Number.isFinite);
  });
}

/**
 * Targets per sample in the heads' order (n × Σ size): g → g(r), bad → N(θ), density → ρ, a head
 * with `columns` → those labels; any other head → zeros (its trainer fills them, e.g. augmentation).
 */
export function buildTargets(d: TrainingData, heads: HeadSpec[] = defaultHeads(d)): Float32Array {
  const nr = d.r.length;
  const nt = d.theta.length;
  const m = heads.reduce((a, h) => a + h.size, 0);
  const y = new Float32Array(d.n * m);
  let o = 0;
  for (const h of heads) {
    const need = (size: number) => {
      if (h.size !== size) throw new UserError(`head "${h.name}" has ${h.size} outputs, the data ${size}`);
    };
    if (h.name === 'g') {
      need(nr);
      for (let s = 0; s < d.n; s++) y.set(d.gr.subarray(s * nr, (s + 1) * nr), s * m + o);
    } else if (h.name === 'bad') {
      need(nt);
      for (let s = 0; s < d.n; s++) y.set(d.bad.subarray(s * nt, (s + 1) * nt), s * m + o);
    } else if (h.name === 'density') {
      need(1);
      for (let s = 0; s < d.n; s++) y[s * m + o] = d.density[s];
    } else if (h.name === S02_HEAD) {
      need(1);
      const s02 = datasetS02(d); // unaugmented samples carry the dataset's own S0²; train.ts draws the rest
      for (let s = 0; s < d.n; s++) y[s * m + o] = s02;
    } else if (h.columns) {
      need(h.columns.length);
      h.columns.forEach((c, j) => {
        const v = d.labels?.[c];
        if (!v || v.length !== d.n)
          throw new UserError(
            `head "${h.name}" needs the dataset column /meta/${c}, which the dataset lacks`,
          );
        for (let s = 0; s < d.n; s++) {
          if (!Number.isFinite(v[s]))
            throw new UserError(`/meta/${c}[${s}] is ${v[s]}; head "${h.name}" needs finite labels`);
          y[s * m + o + j] = v[s];
        }
      });
    }
    o += h.size;
  }
  return y;
}
