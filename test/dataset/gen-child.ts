/**
 * Child process for the kill/resume test: runs `generate` with the test-double sampler.
 * argv: SPEC_JSON_FILE OUT WORKERS [--resume]
 */
import { readFileSync } from 'node:fs';
import { generate, validateSpec } from '../../src/dataset/index.js';

const [specFile, out, workers, ...rest] = process.argv.slice(2);
const spec = validateSpec(JSON.parse(readFileSync(specFile, 'utf8')));
await generate({
  spec,
  out,
  workers: Number(workers),
  resume: rest.includes('--resume'),
  quiet: true,
  samplerUrl: new URL('./fake-sampler.js', import.meta.url).href,
});
