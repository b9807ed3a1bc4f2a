/**
 * γ tables in the browser: the file format of src/theory/table.ts (magic, JSON header, float32
 * body) read with browser APIs, the body's SHA-256 checked with WebCrypto. Only what the 2-body
 * re-simulation needs is used (header, k, γ2 body).
 */
import type { GammaTables } from '../../src/theory/table.js';
import { splitTableFile, tablesFromBody } from '../../src/theory/tableFormat.js';
import { UserError } from '../../src/util/errors.js';

export async function parseTablesBrowser(buf: Uint8Array, file: string): Promise<GammaTables> {
  const { header, bodyBytes: view } = splitTableFile(buf, file);
  const bodyBytes = view.slice(); // an aligned copy for the float32 view
  if (globalThis.crypto?.subtle) {
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bodyBytes));
    const hex = Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
    if (hex !== header.checksum?.body)
      throw new UserError(`${file}: checksum mismatch (damaged or truncated download)`);
  }
  return tablesFromBody(header, new Float32Array(bodyBytes.buffer, 0, bodyBytes.byteLength >> 2), file);
}

const cache = new Map<string, Promise<GammaTables | null>>();

/** The served table for an element/edge, or null when the server has none (404). */
export function fetchTables(element: string, edge: string): Promise<GammaTables | null> {
  const name = `${element}-${edge}.gamma`;
  let p = cache.get(name);
  if (!p) {
    p = (async () => {
      const res = await fetch(`tables/${encodeURIComponent(name)}`);
      if (res.status === 404) return null;
      if (!res.ok) throw new UserError(`tables/${name}: HTTP ${res.status}`);
      return parseTablesBrowser(new Uint8Array(await res.arrayBuffer()), name);
    })();
    cache.set(name, p);
  }
  return p;
}
