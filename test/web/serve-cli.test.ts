import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const built = existsSync(join(root, 'dist', 'web', 'app.js'));

function fetchText(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    }).on('error', fail);
  });
}

test(
  'exafsnn serve --port 0 --json: one JSON line with the URL on 127.0.0.1, then serves the app',
  { skip: built ? false : 'dist/web not built (npm run build)', timeout: 30_000 },
  async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) ok(out.split('\n')[0]);
        });
        child.on('exit', (c) => fail(new Error(`serve exited with ${c}`)));
      });
      const doc = JSON.parse(line) as { url: string; host: string; port: number };
      assert.equal(doc.host, '127.0.0.1');
      assert.match(doc.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetchText(doc.url);
      assert.equal(page.status, 200);
      assert.match(page.type, /^text\/html/);
      assert.ok(page.body.includes('<script type="module" src="app.js">'));
      const wasm = await fetchText(doc.url + 'wasm/tfjs-backend-wasm-simd.wasm');
      assert.equal(wasm.type, 'application/wasm');
    } finally {
      child.kill('SIGTERM');
    }
  },
);

test('exafsnn serve: bad options are clear errors', () => {
  return new Promise<void>((ok) => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', 'eighty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      assert.equal(code, 2);
      assert.match(err, /--port: expected a number, got "eighty"/);
      assert.ok(!err.includes('    at '), 'no stack trace');
      ok();
    });
  });
});
