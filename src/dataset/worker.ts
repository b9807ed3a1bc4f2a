/**
 * Worker-thread entry of `dataset generate`: loads the sampler module, then runs the tasks the
 * main thread sends, posting each finished sample as an encoded journal record (transferred,
 * not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeRecord, type RecordLayout } from './record.js';
import type { SweepSpec, Task } from './spec.js';
import type { SamplerModule } from './sampler.js';
import { UserError } from '../util/errors.js';

export interface WorkerInit {
  spec: SweepSpec;
  samplerUrl: string;
  layout: RecordLayout;
}

export type ToWorker = { type: 'task'; task: Task; skip: number[] } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; identity: Record<string, string> }
  | {
      type: 'sample';
      task: number;
      snapshot: number;
      refused: boolean;
      structure: string;
      label: string;
      note?: string;
      record: Uint8Array;
    }
  | { type: 'done'; task: number; seconds: number }
  | { type: 'error'; task: number | null; message: string; user: boolean };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('dataset worker started outside a worker thread');
  const init = workerData as WorkerInit;
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  let sampler;
  try {
    const mod = (await import(init.samplerUrl)) as SamplerModule;
    sampler = await mod.createSampler(init.spec);
  } catch (e) {
    post({ type: 'error', task: null, message: (e as Error).message, user: e instanceof UserError });
    return;
  }
  post({ type: 'ready', identity: sampler.identity });
  port.on('message', (m: ToWorker) => {
    if (m.type === 'stop') {
      void (async () => {
        await sampler.close?.();
        port.close();
      })();
      return;
    }
    const { task, skip } = m;
    const t0 = performance.now();
    const skipSet = new Set(skip);
    sampler
      .run(
        task,
        (s) => {
          if (s.task !== task.index)
            throw new Error(`sampler emitted a sample of task ${s.task} while running task ${task.index}`);
          if (skipSet.has(s.snapshot)) return;
          const record = encodeRecord(init.layout, s);
          post(
            {
              type: 'sample',
              task: s.task,
              snapshot: s.snapshot,
              refused: s.refused,
              structure: s.structure,
              label: s.label,
              note: s.note,
              record,
            },
            [record.buffer as ArrayBuffer],
          );
        },
        skipSet,
      )
      .then(
        () => post({ type: 'done', task: task.index, seconds: (performance.now() - t0) / 1000 }),
        (e: unknown) =>
          post({
            type: 'error',
            task: task.index,
            message: (e as Error)?.message ?? String(e),
            user: e instanceof UserError,
          }),
      );
  });
}

void main();
