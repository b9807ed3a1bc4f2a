/**
 * Clean-up of a measured μ(E) before processing: checks for non-finite values, sorts energies
 * that are not increasing (merged or reversed scans) and merges near-duplicate energies
 * (closer than `mergeTol`, default 0.01 eV) by averaging both energy and μ.
 */
import { FileFormatError } from '../util/errors.js';

export interface PreparedMu {
  energy: Float64Array;
  mu: Float64Array;
  /** how many points were merged into others */
  merged: number;
  /** whether the input needed sorting */
  sorted: boolean;
  warnings: string[];
}

export function prepareMu(
  energy: ArrayLike<number>,
  mu: ArrayLike<number>,
  file: string,
  opts: { mergeTol?: number; lines?: ArrayLike<number> } = {},
): PreparedMu {
  const n = energy.length;
  if (mu.length !== n) throw new FileFormatError(file, null, `energy has ${n} values but μ has ${mu.length}`);
  if (n === 0) throw new FileFormatError(file, null, 'no data points');
  const line = (i: number) => (opts.lines ? opts.lines[i] : null);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(energy[i]))
      throw new FileFormatError(file, line(i), `energy is not finite (${energy[i]})`);
    if (!Number.isFinite(mu[i])) throw new FileFormatError(file, line(i), `μ is not finite (${mu[i]})`);
  }
  const warnings: string[] = [];
  const idx = Array.from({ length: n }, (_, i) => i);
  let sorted = false;
  for (let i = 1; i < n; i++)
    if (energy[i] < energy[i - 1]) {
      sorted = true;
      break;
    }
  if (sorted) {
    idx.sort((a, b) => energy[a] - energy[b] || a - b);
    let dec = 0;
    for (let i = 1; i < n; i++) if (energy[i] < energy[i - 1]) dec++;
    warnings.push(
      `energies were not increasing (${dec} decreasing step${dec === 1 ? '' : 's'}); the points were sorted by energy`,
    );
  }
  const tol = opts.mergeTol ?? 0.01;
  const eOut: number[] = [];
  const mOut: number[] = [];
  let merged = 0;
  let i = 0;
  while (i < n) {
    // group consecutive (sorted) points whose energy is within tol of the group's first point
    let j = i + 1;
    const e0 = energy[idx[i]];
    let se = e0;
    let sm = mu[idx[i]];
    while (j < n && energy[idx[j]] - e0 < tol) {
      se += energy[idx[j]];
      sm += mu[idx[j]];
      j++;
    }
    const cnt = j - i;
    merged += cnt - 1;
    eOut.push(se / cnt);
    mOut.push(sm / cnt);
    i = j;
  }
  if (merged > 0)
    warnings.push(
      `${merged} point${merged === 1 ? '' : 's'} closer than ${tol} eV to a neighbour ${merged === 1 ? 'was' : 'were'} merged (energy and μ averaged)`,
    );
  return { energy: Float64Array.from(eOut), mu: Float64Array.from(mOut), merged, sorted, warnings };
}
