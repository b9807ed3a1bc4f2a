import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, safeSegments, type RunningServer } from '../../src/report/server.js';

const SECRET = 'TOP-SECRET-CONTENT-6f1c';
let base: string;
let srv: RunningServer;
const log: string[] = [];

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'exafsnn-serve-'));
  const app = join(base, 'app');
  const model = join(base, 'model');
  mkdirSync(join(app, 'wasm'), { recursive: true });
  mkdirSync(join(model, 'member-0'), { recursive: true });
  writeFileSync(join(app, 'index.html'), '<!DOCTYPE html><title>app</title>');
  writeFileSync(join(app, 'app.js'), 'console.log(1)');
  writeFileSync(join(app, 'style.css'), 'body{}');
  writeFileSync(join(app, 'wasm', 'x.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(app, '.hidden'), SECRET);
  writeFileSync(join(model, 'model.json'), '{"format":"exafsnn-model"}');
  writeFileSync(join(model, 'member-0', 'weights.bin'), Buffer.alloc(16));
  writeFileSync(join(base, 'secret.txt'), SECRET);
  mkdirSync(join(base, 'app-evil'));
  writeFileSync(join(base, 'app-evil', 'x.txt'), SECRET);
  symlinkSync(join(base, 'secret.txt'), join(app, 'link-out.txt')); // escapes the app folder
  symlinkSync(base, join(model, 'up')); // a folder link out of the model dir
  symlinkSync(join(app, 'app.js'), join(app, 'link-in.js')); // stays inside: allowed
  srv = await startServer({
    appDir: app,
    modelDir: model,
    port: 0,
    config: { model_name: 'm' },
    log: (l) => log.push(l),
  });
});

after(async () => {
  await srv.close();
  rmSync(base, { recursive: true, force: true });
});

/** Send a raw request line (no client-side normalisation of the path) and return status + body. */
function raw(method: string, target: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(srv.port, '127.0.0.1');
    let data = '';
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('error', reject);
    s.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
    s.write(
      `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  });
}

test('binds to 127.0.0.1 by default', () => {
  assert.equal(srv.host, '127.0.0.1');
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('serves the app and the model with correct MIME types', async () => {
  const cases: [string, string][] = [
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/wasm/x.wasm', 'application/wasm'],
    ['/model/model.json', 'application/json; charset=utf-8'],
    ['/model/member-0/weights.bin', 'application/octet-stream'],
    ['/app-config.json', 'application/json; charset=utf-8'],
    ['/link-in.js', 'text/javascript; charset=utf-8'],
    ['/app.js?v=1#frag', 'text/javascript; charset=utf-8'],
  ];
  for (const [path, type] of cases) {
    const r = await raw('GET', path);
    assert.equal(r.status, 200, path);
    assert.match(
      r.headers,
      new RegExp(`Content-Type: ${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i'),
      path,
    );
    assert.match(r.headers, /X-Content-Type-Options: nosniff/i);
  }
  const cfg = JSON.parse((await raw('GET', '/app-config.json')).body);
  assert.deepEqual(cfg, { model: '/model/', tables: null, model_name: 'm' });
  const head = await raw('HEAD', '/app.js');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('path traversal in every encoding is refused and never leaks a file', async () => {
  const attacks = [
    '/../secret.txt',
    '/../../../../etc/passwd',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/.%2e/secret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..\\secret.txt',
    '/..%5csecret.txt',
    '/%5c..%5csecret.txt',
    '/model/../../secret.txt',
    '/model/%2e%2e/%2e%2e/secret.txt',
    '/model/..%2f..%2fsecret.txt',
    '/model/up/secret.txt',
    '/model/up/app/index.html',
    '/link-out.txt',
    '/index.html%00.txt',
    '/%00',
    '/.hidden',
    '/%2ehidden',
    '/wasm/./x.wasm',
    '//secret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/%ff',
    '/../app-evil/x.txt',
    'secret.txt',
    `/${encodeURIComponent(join(base, 'secret.txt'))}`,
    'http://127.0.0.1/../secret.txt',
  ];
  for (const a of attacks) {
    const r = await raw('GET', a);
    assert.ok([400, 403, 404].includes(r.status), `${a} → ${r.status}`);
    assert.ok(!r.body.includes(SECRET), `${a} leaked the secret`);
  }
});

test('only GET and HEAD: the server never accepts data', async () => {
  for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const r = await raw(m, '/upload');
    assert.equal(r.status, 405, m);
    assert.match(r.headers, /Allow: GET, HEAD/);
  }
});

test('directories and missing files: 404 without a listing', async () => {
  assert.equal((await raw('GET', '/model/')).status, 404);
  assert.equal((await raw('GET', '/model')).status, 404);
  assert.equal((await raw('GET', '/wasm/')).status, 404);
  assert.equal((await raw('GET', '/nope.js')).status, 404);
});

test('safeSegments: the rules one by one', () => {
  assert.deepEqual(safeSegments('/a/b.js?x=1'), { ok: true, segments: ['a', 'b.js'], trailingSlash: false });
  assert.deepEqual(safeSegments('/member%200/w.bin'), {
    ok: true,
    segments: ['member 0', 'w.bin'],
    trailingSlash: false,
  });
  const bad: [string, number][] = [
    ['/a/../b', 403],
    ['/%2e%2e', 403],
    ['/a\\b', 400],
    ['/a%5cb', 400],
    ['/a%00', 400],
    ['/%25', 400],
    ['/%', 400],
    ['/.git/config', 403],
    ['//a', 403],
    ['/a%0ab', 400],
    ['a', 400],
  ];
  for (const [p, status] of bad) {
    const r = safeSegments(p);
    assert.equal(r.ok, false, p);
    if (!r.ok) assert.equal(r.status, status, p);
  }
});
