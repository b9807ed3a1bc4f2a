/**
 * `dataset info`: what a dataset file holds — counts per structure, temperature, lattice and
 * density ranges, grids, provenance — and a sanity check of its arrays (finite values, g(r) → 1,
 * ∫N(θ)dθ against the coordination number), streamed in row blocks.
 */
import { DatasetReader } from './h5.js';
import { FileFormatError } from '../util/errors.js';

export interface Range {
  min: number;
  max: number;
}

export interface StructureInfo {
  samples: number;
  relabelled_in: number;
  temperature: Range;
  lattice: Range;
  density: Range;
  cn: Range | null;
  /** mean local order (src/analysis localOrder) of the structure's samples; null for files without it */
  local_order: { pairs_1551: number; pairs_1421: number; pairs_1422: number; cna_ico: number } | null;
}

export interface DatasetInfo {
  file: string;
  samples: number;
  structures: Record<string, StructureInfo>;
  /** label asked → structure found, for relabelled samples */
  relabels: Record<string, number>;
  refused: number;
  temperature: Range | null;
  density: Range | null;
  dE: Range | null;
  grids: { k: GridInfo; r: GridInfo; theta: GridInfo };
  provenance: Record<string, string | number>;
  /** gr_tail_mean: mean liquid g(r) over the grid's last Å; bad_integral_vs_cn: mean ∫N(θ)dθ / (CN(CN−1)/2) */
  checks: {
    nonfinite: number;
    gr_tail_mean: number | null;
    bad_integral_vs_cn: number | null;
    ok: boolean;
    problems: string[];
  };
}

export interface GridInfo {
  n: number;
  min: number | null;
  max: number | null;
  step: number | null;
}

function grid(a: Float64Array): GridInfo {
  return {
    n: a.length,
    min: a.length ? a[0] : null,
    max: a.length ? a[a.length - 1] : null,
    step: a.length > 1 ? +(a[1] - a[0]).toPrecision(10) : null,
  };
}

function range(col: ArrayLike<number>, idx?: number[]): Range | null {
  let min = Infinity;
  let max = -Infinity;
  const n = idx ? idx.length : col.length;
  for (let j = 0; j < n; j++) {
    const v = col[idx ? idx[j] : j];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

export async function datasetInfo(path: string): Promise<DatasetInfo> {
  const rd = await DatasetReader.open(path);
  try {
    const has = (name: string) => rd.schema.meta.some(([n]) => n === name);
    for (const need of ['structure', 'temperature', 'density'])
      if (!has(need)) throw new FileFormatError(path, null, `missing /meta/${need}`);
    const structure = rd.meta('structure') as string[];
    const label = has('label') ? (rd.meta('label') as string[]) : structure;
    const T = rd.meta('temperature') as Float64Array;
    const rho = rd.meta('density') as Float64Array;
    const a = has('lattice') ? (rd.meta('lattice') as Float64Array) : new Float64Array(rd.n).fill(NaN);
    const cn = has('cn') ? (rd.meta('cn') as Float64Array) : null;
    const dE = has('dE') ? (rd.meta('dE') as Float64Array) : null;
    const orderCols = ['pairs_1551', 'pairs_1421', 'pairs_1422', 'cna_ico'] as const;
    const order = orderCols.every(has) ? orderCols.map((c) => rd.meta(c) as Float64Array) : null;
    const meanOf = (col: Float64Array, idx: number[]) => {
      let sum = 0,
        m = 0;
      for (const i of idx)
        if (Number.isFinite(col[i])) {
          sum += col[i];
          m++;
        }
      return m ? sum / m : NaN;
    };
    const groups = new Map<string, number[]>();
    const relabels: Record<string, number> = {};
    for (let i = 0; i < rd.n; i++) {
      const s = structure[i];
      if (!groups.has(s)) groups.set(s, []);
      groups.get(s)!.push(i);
      if (label[i] !== s) relabels[`${label[i]}→${s}`] = (relabels[`${label[i]}→${s}`] ?? 0) + 1;
    }
    const structures: Record<string, StructureInfo> = {};
    for (const [s, idx] of [...groups.entries()].sort()) {
      structures[s] = {
        samples: idx.length,
        relabelled_in: idx.filter((i) => label[i] !== s).length,
        temperature: range(T, idx)!,
        lattice: range(a, idx) ?? { min: NaN, max: NaN },
        density: range(rho, idx)!,
        cn: cn ? range(cn, idx) : null,
        local_order: order
          ? {
              pairs_1551: meanOf(order[0], idx),
              pairs_1421: meanOf(order[1], idx),
              pairs_1422: meanOf(order[2], idx),
              cna_ico: meanOf(order[3], idx),
            }
          : null,
      };
    }
    // array checks, streamed
    const problems: string[] = [];
    let nonfinite = 0;
    let tailSum = 0;
    let tailN = 0;
    let ratioSum = 0;
    let ratioN = 0;
    const nr = rd.r.length;
    const nt = rd.theta.length;
    const dth = nt > 1 ? rd.theta[1] - rd.theta[0] : 1;
    const tail0 = rd.r.findIndex((x) => x >= rd.r[nr - 1] - 1.0);
    for (let s = 0; s < rd.n; s += 512) {
      const b = rd.rows(s, Math.min(rd.n, s + 512));
      for (const arr of [b.chi, b.gr, b.bad])
        for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i])) nonfinite++;
      for (let i = 0; i < b.n; i++) {
        // g(r) → 1 holds at large r for liquids; crystal shells stay sharp to any r
        if (tail0 >= 0 && structure[s + i] === 'liquid')
          for (let j = tail0; j < nr; j++) {
            tailSum += b.gr[i * nr + j];
            tailN++;
          }
        if (cn) {
          const c = cn[s + i];
          let integral = 0;
          for (let j = 0; j < nt; j++) integral += b.bad[i * nt + j] * dth;
          // ∫N(θ)dθ = ⟨n(n−1)/2⟩ ≥ n̄(n̄−1)/2 (Jensen); the ratio is ~1 for a narrow CN spread
          const ideal = (c * (c - 1)) / 2;
          if (ideal > 0 && Number.isFinite(integral)) {
            ratioSum += integral / ideal;
            ratioN++;
          }
        }
      }
    }
    if (nonfinite) problems.push(`${nonfinite} non-finite values in chi/gr/bad`);
    const tailMean = tailN ? tailSum / tailN : null;
    if (tailMean !== null && Math.abs(tailMean - 1) > 0.25)
      problems.push(
        `liquid g(r) averages ${tailMean.toFixed(3)} over the last 1 Å of the grid (expected ≈ 1)`,
      );
    const ratio = ratioN ? ratioSum / ratioN : null;
    if (ratio !== null && (ratio < 0.8 || ratio > 1.5))
      problems.push(`∫N(θ)dθ / (CN(CN−1)/2) averages ${ratio.toFixed(3)} (expected ≈ 1)`);
    if (rd.n === 0) problems.push('no samples');
    const provenance: Record<string, string | number> = {};
    for (const [key, v] of Object.entries(rd.attrs)) if (key !== 'spec') provenance[key] = v;
    return {
      file: path,
      samples: rd.n,
      structures,
      relabels,
      refused: Number(rd.attrs.n_refused ?? 0),
      temperature: range(T),
      density: range(rho),
      dE: dE ? range(dE) : null,
      grids: { k: grid(rd.k), r: grid(rd.r), theta: grid(rd.theta) },
      provenance,
      checks: {
        nonfinite,
        gr_tail_mean: tailMean,
        bad_integral_vs_cn: ratio,
        ok: problems.length === 0,
        problems,
      },
    };
  } finally {
    rd.close();
  }
}

/** A human-readable summary. */
export function formatInfo(info: DatasetInfo): string {
  const f = (r: Range | null, d = 0) => (r ? `${r.min.toFixed(d)}–${r.max.toFixed(d)}` : '—');
  const g = (x: GridInfo, u: string) => `${x.n} points ${x.min}–${x.max} ${u} (step ${x.step})`;
  const lines = [
    `${info.file}: ${info.samples} samples${info.refused ? `, ${info.refused} refused` : ''}`,
    `  structure   samples  T (K)        a (Å)          ρ (Å⁻³)          CN         1551/1421/1422 ico`,
  ];
  const pc = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : '—');
  for (const [s, x] of Object.entries(info.structures)) {
    const lo = x.local_order;
    const order = lo
      ? `  ${pc(lo.pairs_1551)}/${pc(lo.pairs_1421)}/${pc(lo.pairs_1422)} % ${pc(lo.cna_ico)} %`
      : '';
    lines.push(
      `  ${s.padEnd(10)} ${String(x.samples).padStart(8)}  ${f(x.temperature).padEnd(12)} ${f(x.lattice, 3).padEnd(14)} ${f(x.density, 4).padEnd(16)} ${f(x.cn, 1).padEnd(9)}` +
        order +
        (x.relabelled_in ? `  (${x.relabelled_in} relabelled)` : ''),
    );
  }
  for (const [k, v] of Object.entries(info.relabels)) lines.push(`  relabelled ${k}: ${v}`);
  lines.push(
    `  k: ${g(info.grids.k, 'Å⁻¹')}`,
    `  r: ${g(info.grids.r, 'Å')}`,
    `  θ: ${g(info.grids.theta, '°')}`,
  );
  lines.push(`  ΔE: ${f(info.dE, 2)} eV`);
  const p = info.provenance;
  lines.push(
    `  made by ${p.generator ?? '?'} ${p.version ?? ''} (engine ${p.engine ?? '?'}, element ${p.element ?? '?'} ${p.edge ?? ''}, spec ${p.spec_hash ?? '?'}${p.shard ? `, shard ${p.shard}` : ''})`,
  );
  if (p.tables) lines.push(`  tables: ${p.tables}`);
  lines.push(info.checks.ok ? '  checks: ok' : `  checks: ${info.checks.problems.join('; ')}`);
  return lines.join('\n');
}
