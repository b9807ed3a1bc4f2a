#!/usr/bin/env node
// Builds the browser app into dist/web: bundles web/src/app.ts (and the src/ modules it uses) with
// esbuild, copies index.html and style.css, and copies TensorFlow.js's wasm binaries to
// dist/web/wasm/ so the app never fetches anything from another origin.
// Node built-ins (imported by src/ modules for their Node-only paths, never called in the browser)
// are replaced by stubs that throw if they are ever called.
/* global process, console */
import { build } from 'esbuild';
import { mkdirSync, copyFileSync, readdirSync, rmSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(join(tmp, 'wasm'), { recursive: true });

const nodeStub = {
  name: 'node-builtins-stub',
  setup(b) {
    b.onResolve(
      { filter: /^node:|^(fs|path|url|module|os|worker_threads|child_process|crypto|zlib)$/ },
      (a) => ({ path: a.path, namespace: 'node-stub' }),
    );
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (a) => ({
      contents:
        `const fail = () => { throw new Error(${JSON.stringify(a.path)} + ' is not available in the browser'); };\n` +
        `const stub = new Proxy(fail, { get: (_t, k) => (k === '__esModule' ? false : fail) });\n` +
        `export default stub;\n` +
        [
          'readFileSync',
          'existsSync',
          'statSync',
          'readdirSync',
          'mkdirSync',
          'writeFileSync',
          'openSync',
          'writeSync',
          'fsyncSync',
          'closeSync',
          'renameSync',
          'unlinkSync',
          'linkSync',
          'lstatSync',
          'rmSync',
          'createReadStream',
          'promises',
          'join',
          'dirname',
          'resolve',
          'basename',
          'extname',
          'sep',
          'fileURLToPath',
          'pathToFileURL',
          'createRequire',
          'cpus',
          'availableParallelism',
          'Worker',
          'isMainThread',
          'parentPort',
          'workerData',
          'spawnSync',
          'spawn',
          'createHash',
          'gunzipSync',
        ]
          .map((n) => `export const ${n} = fail;`)
          .join('\n'),
      loader: 'js',
    }));
  },
};

const t0 = Date.now();
const res = await build({
  entryPoints: [join(root, 'web', 'src', 'app.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  outfile: join(tmp, 'app.js'),
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [nodeStub],
  logLevel: 'warning',
  metafile: true,
});
copyFileSync(join(root, 'web', 'index.html'), join(tmp, 'index.html'));
copyFileSync(join(root, 'web', 'style.css'), join(tmp, 'style.css'));
const req = createRequire(import.meta.url);
const wasmDir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist';
for (const f of readdirSync(wasmDir))
  if (f.endsWith('.wasm')) copyFileSync(join(wasmDir, f), join(tmp, 'wasm', f));
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
const bytes = Object.values(res.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.error(`build-web: dist/web (${(bytes / 1e6).toFixed(2)} MB of JS + maps) in ${Date.now() - t0} ms`);
