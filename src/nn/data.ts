/**
 * Checks on a training set and the assembled matrices (inputs on the model grid, targets).
 */
import { UserError } from '../util/errors.js';
import { checkCoverage, kWeightedOnGrid } from './preprocess.js';
import type { TrainingData } from './types.js';

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

/** Targets [g(r) | N(θ) | ρ] per sample (n × (nr + nθ + 1)). */
export function buildTargets(d: TrainingData): Float32Array {
  const nr = d.r.length;
  const nt = d.theta.length;
  const m = nr + nt + 1;
  const y = new Float32Array(d.n * m);
  for (let s = 0; s < d.n; s++) {
    y.set(d.gr.subarray(s * nr, (s + 1) * nr), s * m);
    y.set(d.bad.subarray(s * nt, (s + 1) * nt), s * m + nr);
    y[s * m + nr + nt] = d.density[s];
  }
  return y;
}
