/**
 * γ tables in the browser: the file format of src/theory/table.ts (magic, JSON header, float32
 * body) read with browser APIs, the body's SHA-256 checked with WebCrypto. Only what the 2-body
 * re-simulation needs is used (header, k, γ2 body).
 */
import type { GammaTables, TableHeader } from '../../src/theory/table.js';

const MAGIC = 'EXNNGAM1';

export async function parseTablesBrowser(buf: Uint8Array, file: string): Promise<GammaTables> {
  if (buf.length < 12 || new TextDecoder('latin1').decode(buf.subarray(0, 8)) !== MAGIC)
    throw new Error(`${file}: not an exafsnn γ table`);
  const hlen = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(8, true);
  const header = JSON.parse(new TextDecoder('utf-8').decode(buf.subarray(12, 12 + hlen))) as TableHeader;
  if (header.format !== 'exafsnn-gamma-tables')
    throw new Error(`${file}: header.format is ${JSON.stringify(header.format)}`);
  const bodyBytes = buf.slice(12 + hlen);
  if (globalThis.crypto?.subtle) {
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bodyBytes));
    const hex = Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
    if (hex !== header.checksum?.body)
      throw new Error(`${file}: checksum mismatch (damaged or truncated download)`);
  }
  const body = new Float32Array(bodyBytes.buffer, 0, bodyBytes.byteLength >> 2);
  const g2 = header.gamma2;
  const g3 = header.gamma3;
  const nk = header.k.length;
  if (g2.count !== g2.nr * g2.components.length * 2 * nk || body.length < g2.offset + g2.count)
    throw new Error(`${file}: γ2 block does not match its grids`);
  return {
    header,
    element: header.element,
    edge: header.edge,
    path: file,
    k: Float64Array.from(header.k),
    g2: body.subarray(g2.offset, g2.offset + g2.count),
    basis: body.subarray(g3.basisOffset, g3.basisOffset + g3.m * nk),
    coef: body.subarray(g3.coefOffset, g3.coefOffset + g3.nodes * g3.classes.length * g3.m * 2),
  };
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
      if (!res.ok) throw new Error(`tables/${name}: HTTP ${res.status}`);
      return parseTablesBrowser(new Uint8Array(await res.arrayBuffer()), name);
    })();
    cache.set(name, p);
  }
  return p;
}
