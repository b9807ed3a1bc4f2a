/**
 * `dataset merge`: shards (or any datasets made from the same spec) merged into exactly the file a
 * single run makes: rows ordered by (task, snapshot), identical arrays. Streams row blocks, so
 * memory stays flat. Refuses mismatched grids or specs, duplicated samples, and (for shards) a
 * missing or repeated shard — before anything is written.
 */
import { UserError } from '../util/errors.js';
import { existsSync } from 'node:fs';
import {
  DatasetReader,
  DatasetWriter,
  allocMeta,
  checkWritable,
  type MetaColumn,
  type RowBlock,
} from './h5.js';
import { expandSpec, sampleCount, validateSpec } from './spec.js';

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface MergeResult {
  out: string;
  samples: number;
  inputs: number;
  refused: number;
  relabelled: number;
}

/** Sort key of every row: task·65536 + snapshot. */
function rowKeys(rd: DatasetReader): Float64Array {
  const task = rd.meta('task');
  const snap = rd.meta('snapshot');
  const keys = new Float64Array(rd.n);
  for (let i = 0; i < rd.n; i++) keys[i] = (task[i] as number) * 65536 + (snap[i] as number);
  return keys;
}

export async function mergeDatasets(
  inputs: string[],
  out: string,
  opts: { force?: boolean; allowIncomplete?: boolean } = {},
): Promise<MergeResult> {
  if (inputs.length === 0) throw new UserError('dataset merge: give at least one input file');
  if (inputs.includes(out)) throw new UserError(`dataset merge: --out ${out} is also an input`);
  if (existsSync(out) && !opts.force)
    throw new UserError(`${out} exists; choose another --out, or add --force to replace it`);
  checkWritable(out);
  const readers: DatasetReader[] = [];
  try {
    for (const p of inputs) readers.push(await DatasetReader.open(p));
    const first = readers[0];
    // 1. grids and columns
    for (const rd of readers.slice(1)) {
      for (const g of ['k', 'r', 'theta'] as const)
        if (!sameArray(rd[g], first[g]))
          throw new UserError(
            `${rd.path} and ${first.path} have different ${g} grids (${rd[g].length} vs ${first[g].length} points); shards merge only on identical grids`,
          );
      const a = rd.schema.meta.map(([n, k]) => `${n}:${k}`).join(',');
      const b = first.schema.meta.map(([n, k]) => `${n}:${k}`).join(',');
      if (a !== b) throw new UserError(`${rd.path} and ${first.path} have different meta columns`);
    }
    for (const rd of readers)
      for (const need of ['task', 'snapshot'])
        if (!rd.schema.meta.some(([n]) => n === need))
          throw new UserError(
            `${rd.path}: no /meta/${need} column; only files made by "dataset generate" can be merged`,
          );
    // 2. specs
    for (const rd of readers.slice(1))
      if (rd.attrs.spec_hash !== first.attrs.spec_hash)
        throw new UserError(
          `${rd.path} and ${first.path} were made from different specs (hash ${rd.attrs.spec_hash} vs ${first.attrs.spec_hash}); shards merge only with the same spec`,
        );
    // 3. shards: each of 1..N exactly once
    const shards = readers.map((rd) => String(rd.attrs.shard ?? ''));
    if (shards.every((s) => s !== '')) {
      const counts = new Set(shards.map((s) => s.split('/')[1]));
      if (counts.size !== 1) throw new UserError(`shards of different splittings: ${shards.join(', ')}`);
      const N = Number([...counts][0]);
      const seen = new Map<string, string>();
      readers.forEach((rd, i) => {
        const prev = seen.get(shards[i]);
        if (prev) throw new UserError(`shard ${shards[i]} given twice: ${prev} and ${rd.path}`);
        seen.set(shards[i], rd.path);
      });
      if (seen.size !== N && !opts.allowIncomplete) {
        const missing = Array.from({ length: N }, (_, i) => `${i + 1}/${N}`).filter((s) => !seen.has(s));
        throw new UserError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${N}`);
      }
    }
    // 4. row order and duplicates
    const keys = readers.map(rowKeys);
    const all = new Map<number, string>();
    keys.forEach((ks, f) => {
      for (let i = 0; i < ks.length; i++) {
        if (i > 0 && ks[i] <= ks[i - 1])
          throw new UserError(`${readers[f].path}: rows are not in (task, snapshot) order at row ${i}`);
        const prev = all.get(ks[i]);
        if (prev !== undefined)
          throw new UserError(
            `sample task ${Math.floor(ks[i] / 65536)} snapshot ${ks[i] % 65536} is in both ${prev} and ${readers[f].path}`,
          );
        all.set(ks[i], readers[f].path);
      }
    });
    const refused = readers.reduce((s, rd) => s + Number(rd.attrs.n_refused ?? 0), 0);
    const samples = readers.reduce((s, rd) => s + rd.n, 0);
    // completeness: with all shards, samples + refused must be what the spec asks for
    if (!opts.allowIncomplete && typeof first.attrs.spec === 'string') {
      try {
        const spec = validateSpec(JSON.parse(first.attrs.spec), `${first.path} (spec attribute)`);
        const want = sampleCount(expandSpec(spec));
        if (samples + refused !== want)
          throw new UserError(
            `the inputs hold ${samples} samples and ${refused} refused, but the spec asks for ${want}: a shard is incomplete or missing`,
          );
      } catch (e) {
        if (e instanceof UserError && /spec asks for/.test(e.message)) throw e;
        // an older or foreign spec attribute: skip the completeness check
      }
    }
    // 5. stream a k-way merge into the output
    const attrs = { ...first.attrs };
    delete attrs.n_samples;
    attrs.shard = '';
    attrs.n_refused = refused;
    let relabelled = 0;
    const w = await DatasetWriter.create(out, first.schema, attrs);
    try {
      const CH = 256;
      const nk = first.k.length;
      const nr = first.r.length;
      const nt = first.theta.length;
      const cur = readers.map(() => ({ block: null as RowBlock | null, start: 0, pos: 0 }));
      const rowOf = (f: number): [RowBlock, number] => {
        const c = cur[f];
        if (!c.block || c.pos >= c.start + c.block.n) {
          c.start = c.pos;
          c.block = readers[f].rows(c.pos, Math.min(readers[f].n, c.pos + CH));
        }
        return [c.block, c.pos - c.start];
      };
      const outBlock: RowBlock = {
        n: CH,
        chi: new Float32Array(CH * nk),
        gr: new Float32Array(CH * nr),
        bad: new Float32Array(CH * nt),
        meta: Object.fromEntries(first.schema.meta.map(([n, k]) => [n, allocMeta(k, CH)])) as Record<
          string,
          MetaColumn
        >,
      };
      let fill = 0;
      const flush = () => {
        if (fill === 0) return;
        const meta: Record<string, MetaColumn> = {};
        for (const [k, v] of Object.entries(outBlock.meta))
          meta[k] = Array.isArray(v) ? v.slice(0, fill) : v.subarray(0, fill);
        w.append({
          n: fill,
          chi: outBlock.chi.subarray(0, fill * nk),
          gr: outBlock.gr.subarray(0, fill * nr),
          bad: outBlock.bad.subarray(0, fill * nt),
          meta,
        });
        fill = 0;
      };
      for (let done = 0; done < samples; done++) {
        let best = -1;
        for (let f = 0; f < readers.length; f++)
          if (cur[f].pos < readers[f].n && (best < 0 || keys[f][cur[f].pos] < keys[best][cur[best].pos]))
            best = f;
        const [b, i] = rowOf(best);
        outBlock.chi.set(b.chi.subarray(i * nk, (i + 1) * nk), fill * nk);
        outBlock.gr.set(b.gr.subarray(i * nr, (i + 1) * nr), fill * nr);
        outBlock.bad.set(b.bad.subarray(i * nt, (i + 1) * nt), fill * nt);
        for (const [name, col] of Object.entries(b.meta))
          (outBlock.meta[name] as unknown as unknown[])[fill] = (col as unknown as unknown[])[i];
        if (isRelabelled(b, i)) relabelled++;
        cur[best].pos++;
        if (++fill === CH) flush();
      }
      flush();
      w.setAttr('n_relabelled', relabelled);
      w.close();
    } catch (e) {
      w.abort();
      throw e;
    }
    return { out, samples, inputs: inputs.length, refused, relabelled };
  } finally {
    for (const rd of readers) rd.close();
  }
}

function isRelabelled(b: RowBlock, i: number): boolean {
  const col = b.meta.relabelled;
  return !!col && (col as Uint8Array)[i] === 1;
}
