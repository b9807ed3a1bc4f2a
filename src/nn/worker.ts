/** Worker thread: trains ensemble members sent by protocol.ts, one at a time. */
import { parentPort } from 'node:worker_threads';
import { UserError } from '../util/errors.js';
import { trainMember, type MemberSettings } from './train.js';
import type { TrainingData } from './types.js';

interface Task {
  data: TrainingData;
  x0: Float32Array;
  y: Float32Array;
  train: Int32Array;
  val: Int32Array;
  settings: MemberSettings;
  member: number;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (t: Task) => {
    trainMember(t.data, t.x0, t.y, t.train, t.val, t.settings, t.member, (epoch) =>
      port.postMessage({ type: 'epoch', epoch }),
    )
      .then((result) => {
        const transfer = [...result.params.W, ...result.params.b].map((a) => a.buffer as ArrayBuffer);
        port.postMessage({ type: 'done', result }, transfer);
      })
      .catch((e: Error) =>
        port.postMessage({ type: 'error', error: e.message, user: e instanceof UserError }),
      );
  });
}
