/**
 * The static file server behind `exafsnn serve`: node:http, read-only, GET/HEAD only.
 *
 * It serves the built browser app (at /) and, when given, the default model directory (at /model/),
 * every model the app may choose from (at /models/NAME/) and
 * the γ table folder (at /tables/). A request path is refused unless, after percent-decoding once, it has
 * no NUL, no backslash, no '%' left (no double encoding), no empty, '.', '..' or dot-file
 * segment, and the file's real path (symlinks resolved) lies inside the folder it was served
 * from. Nothing is ever written: spectra are read and processed in the browser.
 */
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream, promises as fsp } from 'node:fs';
import { join, sep, extname, resolve } from 'node:path';
import { UserError } from '../util/errors.js';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

export interface ServeOptions {
  /** folder of the built app (index.html, app.js, ...) */
  appDir: string;
  /** model directory to expose at /model/ (optional): the default model */
  modelDir?: string | null;
  /**
   * every model the app may choose from (src/util/modelChoice.ts), each exposed at /models/NAME/
   * and listed in /app-config.json as {name, url, element, edge}; names must be plain
   * (letters, digits, '.', '_', '-', not starting with '.')
   */
  models?: { name: string; dir: string; element?: string | null; edge?: string | null }[];
  /** γ table folder to expose at /tables/ (optional; for the 2-body re-simulation in the browser) */
  tablesDir?: string | null;
  /** extra JSON served at /app-config.json (model name, version) */
  config?: Record<string, unknown>;
  port?: number;
  host?: string;
  /** called for every request with its status (for logging) */
  log?: (line: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

/** Outcome of resolving a URL path: a file to send or a refusal with its status. */
export type Resolution = { ok: true; file: string } | { ok: false; status: number; reason: string };

interface Mount {
  prefix: string; // '/', '/model/'
  root: string; // real path of the folder
}

/**
 * Split a raw request target into safe path segments, or say why not. Exported for tests.
 * `raw` is the request target as sent (e.g. "/model/m0/weights.bin?x=1").
 */
export function safeSegments(
  raw: string,
): { ok: true; segments: string[]; trailingSlash: boolean } | { ok: false; status: number; reason: string } {
  let path = raw;
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  if (!path.startsWith('/')) return { ok: false, status: 400, reason: 'request target must start with /' };
  if (path.includes('\\')) return { ok: false, status: 400, reason: 'backslash in path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL in path' };
  if (decoded.includes('\\')) return { ok: false, status: 400, reason: 'encoded backslash in path' };
  if (decoded.includes('%')) return { ok: false, status: 400, reason: 'double percent-encoding' };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(decoded)) return { ok: false, status: 400, reason: 'control character in path' };
  const trailingSlash = decoded.endsWith('/');
  const parts = decoded.split('/').slice(1);
  if (trailingSlash) parts.pop();
  for (const s of parts) {
    if (s === '' || s === '.' || s === '..')
      return { ok: false, status: 403, reason: 'empty, . or .. segment' };
    if (s.startsWith('.')) return { ok: false, status: 403, reason: 'hidden file' };
  }
  return { ok: true, segments: parts, trailingSlash };
}

async function realDir(p: string): Promise<string> {
  const r = await fsp.realpath(resolve(p));
  const st = await fsp.stat(r);
  if (!st.isDirectory()) throw new UserError(`${p} is not a folder`);
  return r;
}

/** Map a request target to a file inside one of the mounts, following the rules above. */
export async function resolveRequest(raw: string, mounts: Mount[]): Promise<Resolution> {
  const seg = safeSegments(raw);
  if (!seg.ok) return seg;
  let segments = seg.segments;
  // longest prefix first: '/model/' before '/'
  const joined = '/' + segments.join('/') + (seg.trailingSlash && segments.length ? '/' : '');
  let mount: Mount | undefined;
  for (const m of mounts) {
    if (m.prefix === '/' || joined === m.prefix.slice(0, -1) || joined.startsWith(m.prefix)) {
      if (!mount || m.prefix.length > mount.prefix.length) mount = m;
    }
  }
  if (!mount) return { ok: false, status: 404, reason: 'not found' };
  const depth = mount.prefix.split('/').filter(Boolean).length;
  segments = segments.slice(depth);
  if (segments.length === 0) {
    if (mount.prefix !== '/') return { ok: false, status: 404, reason: 'no listing' };
    segments = ['index.html'];
  }
  const candidate = join(mount.root, ...segments);
  let real: string;
  try {
    real = await fsp.realpath(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (!(real === mount.root || real.startsWith(mount.root + sep)))
    return { ok: false, status: 403, reason: 'outside the served folder' };
  let st;
  try {
    st = await fsp.stat(real);
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (!st.isFile()) return { ok: false, status: 404, reason: 'not a file' };
  return { ok: true, file: real };
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // the app and its wasm come from here only; WebAssembly compilation needs 'wasm-unsafe-eval'
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'",
};

function refuse(res: ServerResponse, status: number, msg: string): void {
  const body = `${status} ${msg}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...SECURITY_HEADERS,
  });
  res.end(body);
}

/** Start the server; resolves once it listens. Port 0 picks a free port. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const mounts: Mount[] = [{ prefix: '/', root: await realDir(opts.appDir) }];
  if (opts.modelDir) mounts.push({ prefix: '/model/', root: await realDir(opts.modelDir) });
  if (opts.tablesDir) mounts.push({ prefix: '/tables/', root: await realDir(opts.tablesDir) });
  const models: { name: string; url: string; element: string | null; edge: string | null }[] = [];
  for (const m of opts.models ?? []) {
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(m.name))
      throw new UserError(
        `model "${m.name}": a served model's folder name must be letters, digits, '.', '_' or '-'`,
      );
    if (models.some((x) => x.name === m.name)) continue; // the first of a name wins (search order)
    const url = `/models/${m.name}/`;
    mounts.push({ prefix: url, root: await realDir(m.dir) });
    models.push({ name: m.name, url, element: m.element ?? null, edge: m.edge ?? null });
  }
  const configBody = JSON.stringify({
    model: opts.modelDir ? '/model/' : null,
    ...(opts.models ? { models } : {}),
    tables: opts.tablesDir ? '/tables/' : null,
    ...(opts.config ?? {}),
  });
  const log = opts.log ?? (() => {});

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      refuse(res, 405, 'method not allowed (this server is read-only)');
      log(`${req.method} ${raw} 405`);
      return;
    }
    if (raw === '/app-config.json' || raw.startsWith('/app-config.json?')) {
      res.writeHead(200, {
        'Content-Type': MIME['.json'],
        'Content-Length': Buffer.byteLength(configBody),
        'Cache-Control': 'no-cache',
        ...SECURITY_HEADERS,
      });
      res.end(req.method === 'HEAD' ? undefined : configBody);
      log(`${req.method} ${raw} 200`);
      return;
    }
    const r = await resolveRequest(raw, mounts);
    if (!r.ok) {
      refuse(res, r.status, r.status === 404 ? 'not found' : r.status === 403 ? 'forbidden' : 'bad request');
      log(`${req.method} ${raw} ${r.status} (${r.reason})`);
      return;
    }
    const st = await fsp.stat(r.file);
    const type = MIME[extname(r.file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': st.size,
      'Cache-Control': 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') {
      res.end();
    } else {
      const s = createReadStream(r.file);
      s.on('error', () => res.destroy());
      s.pipe(res);
    }
    log(`${req.method} ${raw} 200`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 8080, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 8080);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${port}/`,
    port,
    host,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections?.();
      }),
  };
}
