/**
 * `dataset generate`: run the tasks of a spec (or of one shard of it) on worker threads, commit
 * every finished sample to the journal (FILE.h5.partial, fsynced), and when all are done write
 * the HDF5 file from the journal in task order, atomically, in row blocks (flat memory).
 *
 * Determinism: a task's samples depend only on the spec and the task (its seed is derived from
 * the spec seed and the task index), and the file is ordered by (task, snapshot), so the same
 * spec gives identical arrays with any number of workers or shards.
 */
import { Worker } from 'node:worker_threads';
import { existsSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import { progress as makeProgress } from '../util/progress.js';
import { UserError } from '../util/errors.js';
import { DatasetWriter, checkWritable, type DatasetAttrs } from './h5.js';
import { Journal, sampleKey, type JournalIO } from './journal.js';
import { META_SCHEMA, allocBlock, decodeInto, headOfBlock, recordLayout } from './record.js';
import {
  canonicalJson,
  expandSpec,
  gridPoints,
  sampleCount,
  shardTasks,
  specHash,
  type SweepSpec,
  type Task,
} from './spec.js';
import { PIPELINE_URL } from './sampler.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker.js';
import { packageVersion } from '../util/packagePaths.js';

export const GENERATOR_VERSION = '1';

export interface GenerateOptions {
  spec: SweepSpec;
  out: string;
  /** worker threads (default: all cores) */
  workers?: number;
  shard?: { index: number; count: number } | null;
  resume?: boolean;
  /** overwrite an existing output file */
  force?: boolean;
  quiet?: boolean;
  /** sampler module URL; default the real pipeline. Tests pass a test double. */
  samplerUrl?: string;
  /** journal I/O (tests inject failures) */
  io?: JournalIO;
  /** stops the run cleanly (the journal keeps what is committed) */
  signal?: AbortSignal;
  /** log lines (default: stderr unless quiet) */
  log?: (line: string) => void;
}

export interface GenerateResult {
  out: string;
  samples: number;
  refused: number;
  relabelled: number;
  /** samples computed in this session */
  computed: number;
  /** samples found in the journal from an earlier session */
  resumed: number;
  tasks: number;
  seconds: number;
  spec_hash: string;
  relabels: { task: number; snapshot: number; label: string; structure: string }[];
  /** samples refused in this session, with the reason */
  refusals: { task: number; snapshot: number; label: string; note: string }[];
}

export function journalPathFor(out: string): string {
  return `${out}.partial`;
}

export function defaultWorkers(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function describeTask(t: Task): string {
  return `task ${t.index} (${t.structure}, ${t.temperature} K, a = ${t.lattice} Å)`;
}

/** Generate a dataset (or a shard of it). */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const log = opts.log ?? (opts.quiet ? () => {} : (l: string) => process.stderr.write(l + '\n'));
  const spec = opts.spec;
  const hash = specHash(spec);
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
  const allTasks = expandSpec(spec);
  const tasks = shardTasks(allTasks, shard);
  const k = gridPoints(spec.grids.k);
  const r = gridPoints(spec.grids.r);
  const theta = gridPoints(spec.grids.theta);
  const layout = recordLayout(k.length, r.length, theta.length);
  const jpath = journalPathFor(opts.out);

  checkWritable(opts.out);
  if (existsSync(opts.out) && !opts.force && !(opts.resume && existsSync(jpath)))
    throw new UserError(`${opts.out} exists; choose another --out, or add --force to replace it`);

  // open or create the journal
  let journal: Journal;
  if (opts.resume && existsSync(jpath)) {
    const h = Journal.readHeader(jpath);
    if (h.spec_hash !== hash)
      throw new UserError(
        `${jpath} was made from a different spec (hash ${h.spec_hash}, this spec ${hash}); resume with the same spec or delete the journal`,
      );
    const hs = h.shard ? `${h.shard.index}/${h.shard.count}` : 'none';
    const ts = shard ? `${shard.index}/${shard.count}` : 'none';
    if (hs !== ts) throw new UserError(`${jpath} belongs to shard ${hs}, not ${ts}`);
    journal = Journal.open(jpath, opts.io);
    log(
      `resuming: ${journal.count} samples already committed in ${jpath}` +
        (journal.tornBytes ? ` (cut ${journal.tornBytes} bytes of a torn record)` : '') +
        (journal.corrupt ? ` (${journal.corrupt} corrupt records skipped; redone)` : ''),
    );
  } else {
    if (opts.resume) log(`--resume: no journal ${jpath}; starting from the beginning`);
    journal = Journal.create(
      jpath,
      {
        spec_hash: hash,
        spec,
        shard,
        nk: k.length,
        nr: r.length,
        nt: theta.length,
        identity: {},
        created: new Date().toISOString(),
      },
      opts.io,
    );
  }

  const total = sampleCount(tasks);
  const resumed = tasks.reduce((s, t) => {
    let c = 0;
    for (let i = 0; i < t.snapshots; i++) if (journal.has(t.index, i)) c++;
    return s + c;
  }, 0);
  const pending = tasks.filter((t) => {
    for (let i = 0; i < t.snapshots; i++) if (!journal.has(t.index, i)) return true;
    return false;
  });

  let identity: Record<string, string> = {};
  let computed = 0;
  let chiFailures = 0;
  const relabels: GenerateResult['relabels'] = [];
  const refusals: GenerateResult['refusals'] = [];
  try {
    if (pending.length > 0) {
      const nWorkers = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), pending.length));
      log(
        `generating ${total - resumed} samples (${pending.length} MD runs) of ${total}` +
          `${shard ? ` in shard ${shard.index}/${shard.count}` : ''} with ${nWorkers} worker${nWorkers > 1 ? 's' : ''} → ${opts.out}`,
      );
      const bar = makeProgress('dataset', total - resumed, { quiet: opts.quiet, unit: 'samples' });
      try {
        identity = await runPool(
          pending,
          nWorkers,
          { spec, samplerUrl: opts.samplerUrl ?? PIPELINE_URL, layout },
          journal,
          (m) => {
            computed++;
            if (
              m.refused &&
              m.note?.startsWith('χ(k) failed') &&
              ++chiFailures >= 10 &&
              chiFailures > 0.5 * computed
            )
              throw new UserError(`χ(k) failed for ${chiFailures} of ${computed} samples, e.g. ${m.note}`);
            if (m.refused)
              refusals.push({ task: m.task, snapshot: m.snapshot, label: m.label, note: m.note ?? '' });
            else if (m.structure !== m.label)
              relabels.push({ task: m.task, snapshot: m.snapshot, label: m.label, structure: m.structure });
            bar.update(
              computed,
              m.refused
                ? `refused ${m.label}`
                : m.structure !== m.label
                  ? `relabelled ${m.label}→${m.structure}`
                  : '',
            );
          },
          opts.signal,
        );
      } finally {
        bar.stop();
      }
    }
    if (Object.keys(identity).length === 0) identity = journal.header.identity;
    // every sample of this shard must be in the journal now
    for (const t of tasks)
      for (let i = 0; i < t.snapshots; i++)
        if (!journal.has(t.index, i))
          throw new Error(`internal: sample ${i} of ${describeTask(t)} missing after the run`);
    const res = await writeFromJournal(journal, tasks, {
      out: opts.out,
      spec,
      hash,
      shard,
      identity,
      k,
      r,
      theta,
    });
    journal.close();
    unlinkSync(jpath);
    for (const x of relabels.slice(0, 50))
      log(
        `relabelled: task ${x.task} snapshot ${x.snapshot}: asked for ${x.label}, fingerprint says ${x.structure}`,
      );
    for (const x of refusals.slice(0, 50))
      log(`refused: task ${x.task} snapshot ${x.snapshot} (${x.label}): ${x.note}`);
    if (relabels.length + refusals.length > 100)
      log(`(${relabels.length} relabelled and ${refusals.length} refused in all; see dataset info)`);
    return {
      out: opts.out,
      samples: res.samples,
      refused: res.refused,
      relabelled: res.relabelled,
      computed,
      resumed,
      tasks: tasks.length,
      seconds: (performance.now() - t0) / 1000,
      spec_hash: hash,
      relabels,
      refusals,
    };
  } catch (e) {
    journal.close();
    throw e;
  }
}

/** Run tasks on a pool of worker threads; commit samples to the journal as they arrive. */
async function runPool(
  tasks: Task[],
  nWorkers: number,
  init: WorkerInit,
  journal: Journal,
  onSample: (m: Extract<FromWorker, { type: 'sample' }>) => void,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const queue = tasks.slice();
  const workers: Worker[] = [];
  let identity: Record<string, string> = {};
  const byIndex = new Map(tasks.map((t) => [t.index, t]));
  return new Promise((resolve, reject) => {
    let finished = false;
    let active = 0;
    const fail = (e: Error) => {
      if (finished) return;
      finished = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    const onAbort = () =>
      fail(
        new UserError(
          `interrupted; ${journal.count} samples are committed in ${journal.path}: rerun with --resume to continue`,
        ),
      );
    if (signal) {
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const next = (w: Worker) => {
      const t = queue.shift();
      if (!t) {
        w.postMessage({ type: 'stop' } satisfies ToWorker);
        active--;
        if (active === 0 && !finished) {
          finished = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(identity);
        }
        return;
      }
      const skip: number[] = [];
      for (let i = 0; i < t.snapshots; i++) if (journal.has(t.index, i)) skip.push(i);
      w.postMessage({ type: 'task', task: t, skip } satisfies ToWorker);
    };
    const workerUrl = new URL('./worker.js', import.meta.url);
    for (let i = 0; i < nWorkers; i++) {
      const w = new Worker(workerUrl, { workerData: init });
      workers.push(w);
      active++;
      w.on('message', (m: FromWorker) => {
        if (finished) return;
        try {
          switch (m.type) {
            case 'ready': {
              identity = m.identity;
              // the tables, potential and engine must not change within one journal
              const was = journal.header.identity;
              if (Object.keys(was).length === 0 && journal.count === 0) journal.setIdentity(m.identity);
              else if (canonicalJson(was) !== canonicalJson(m.identity))
                throw new UserError(
                  `${journal.path} was started with different tables/potential/engine:\n  then ${canonicalJson(was)}\n  now  ${canonicalJson(m.identity)}\n` +
                    'resume with the same installation, or delete the journal to start over',
                );
              next(w);
              break;
            }
            case 'sample':
              if (journal.append(m.task, m.snapshot, m.refused, m.record)) onSample(m);
              break;
            case 'done':
              next(w);
              break;
            case 'error': {
              const t = m.task === null ? undefined : byIndex.get(m.task);
              const where = t ? `${describeTask(t)}: ` : 'starting a worker: ';
              fail(m.user ? new UserError(where + m.message) : new Error(where + m.message));
              break;
            }
          }
        } catch (e) {
          fail(e as Error);
        }
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (!finished && code !== 0) fail(new Error(`a worker thread exited with code ${code}`));
      });
    }
  });
}

/** The HDF5 root attributes of a generated file. */
function rootAttrs(
  spec: SweepSpec,
  hash: string,
  shard: { index: number; count: number } | null,
  identity: Record<string, string>,
  tasks: number,
): DatasetAttrs {
  return {
    generator: 'exafsnn dataset generate',
    generator_version: GENERATOR_VERSION,
    version: packageVersion(),
    spec: canonicalJson(spec),
    spec_hash: hash,
    element: spec.element,
    edge: spec.edge,
    engine: spec.engine,
    tables: identity.tables ?? '',
    identity: canonicalJson(identity),
    shard: shard ? `${shard.index}/${shard.count}` : '',
    n_tasks: tasks,
    chi_kweight: 0,
    units: 'k: 1/Å, r: Å, theta: degrees, temperature: K, lattice: Å, density: 1/Å³, dE: eV, time: ps',
    de_convention:
      "χ evaluated at k' = sqrt(k² + 0.2624684·dE): dE > 0 moves the edge origin down (features to higher k)",
  };
}

/** exafsnn's version (src/util/packagePaths.ts). */
export { packageVersion };

/** Write the HDF5 file from the journal: tasks in order, snapshots in order, refused ones left out. */
async function writeFromJournal(
  journal: Journal,
  tasks: Task[],
  o: {
    out: string;
    spec: SweepSpec;
    hash: string;
    shard: { index: number; count: number } | null;
    identity: Record<string, string>;
    k: Float64Array;
    r: Float64Array;
    theta: Float64Array;
  },
): Promise<{ samples: number; refused: number; relabelled: number }> {
  const L = journal.layout;
  const keys: number[] = [];
  let refused = 0;
  for (const t of tasks)
    for (let i = 0; i < t.snapshots; i++) {
      const e = journal.entries.get(sampleKey(t.index, i));
      if (!e) continue;
      if (e.refused) refused++;
      else keys.push(sampleKey(t.index, i));
    }
  const w = await DatasetWriter.create(
    o.out,
    { k: o.k, r: o.r, theta: o.theta, meta: META_SCHEMA },
    rootAttrs(o.spec, o.hash, o.shard, o.identity, tasks.length),
  );
  let relabelled = 0;
  try {
    const BLOCK = 256;
    const block = allocBlock(L, BLOCK);
    const buf = new Uint8Array(L.size);
    for (let a = 0; a < keys.length; a += BLOCK) {
      const n = Math.min(BLOCK, keys.length - a);
      for (let j = 0; j < n; j++) {
        const e = journal.entries.get(keys[a + j])!;
        journal.readRecord(e, buf);
        decodeInto(L, buf, 0, block, j);
        if ((block.meta.relabelled as Uint8Array)[j]) relabelled++;
      }
      w.append(headOfBlock(block, n, L));
    }
    w.setAttr('n_refused', refused);
    w.setAttr('n_relabelled', relabelled);
    w.close();
  } catch (e) {
    w.abort();
    throw e;
  }
  return { samples: keys.length, refused, relabelled };
}
