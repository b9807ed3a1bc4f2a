/**
 * Loads TensorFlow.js with the WebAssembly backend (SIMD, single thread in Node) once.
 * tfjs-node cannot be installed here (its installer downloads libtensorflow), so wasm is the
 * fast npm-only path; 'cpu' (pure JS) is used by tests that need autodiff as a reference.
 */
import type * as TF from '@tensorflow/tfjs';
import { UserError } from '../util/errors.js';

let tfMod: typeof TF | null = null;
let ready: Promise<typeof TF> | null = null;

export async function getTf(backend: 'wasm' | 'cpu' = 'wasm'): Promise<typeof TF> {
  if (!ready) {
    ready = (async () => {
      const tf = await import('@tensorflow/tfjs');
      await import('@tensorflow/tfjs-backend-wasm');
      tfMod = tf;
      return tf;
    })();
  }
  const tf = await ready;
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok)
      throw new UserError(
        `TensorFlow.js backend "${backend}" failed to initialise (check the @tensorflow/tfjs-backend-wasm install, or use --engine js)`,
      );
    await tf.ready();
  }
  return tf;
}

/** The loaded module (after getTf resolved). */
export function tfLoaded(): typeof TF {
  if (!tfMod) throw new Error('internal: getTf() must be awaited first');
  return tfMod;
}
