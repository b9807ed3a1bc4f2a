/**
 * The γ-table file layout, browser-safe (no node: imports): magic "EXNNGAM1", a little-endian uint32
 * header length, the JSON header, then the float32 body. Node (table.ts) and the browser app
 * (web/src/tables.ts) both read files through these two functions and differ only in how they
 * compute the body's SHA-256.
 */
import { FileFormatError } from '../util/errors.js';
import type { GammaTables, TableHeader } from './table.js';

export const TABLE_MAGIC = 'EXNNGAM1';
export const TABLE_FORMAT_VERSION = 1;

/** Check the magic, parse and check the header; return it with the body's bytes (a view into buf). */
export function splitTableFile(
  buf: Uint8Array,
  file: string,
): { header: TableHeader; bodyBytes: Uint8Array } {
  if (buf.length < 12 || new TextDecoder('latin1').decode(buf.subarray(0, 8)) !== TABLE_MAGIC) {
    throw new FileFormatError(file, null, `not an exafsnn γ table (expected magic "${TABLE_MAGIC}")`);
  }
  const hlen = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(8, true);
  let header: TableHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8').decode(buf.subarray(12, 12 + hlen))) as TableHeader;
  } catch (e) {
    throw new FileFormatError(file, null, `header is not valid JSON: ${(e as Error).message}`);
  }
  if (header.format !== 'exafsnn-gamma-tables')
    throw new FileFormatError(
      file,
      null,
      `header.format: expected "exafsnn-gamma-tables", got ${JSON.stringify(header.format)}`,
    );
  if (header.version !== TABLE_FORMAT_VERSION)
    throw new FileFormatError(
      file,
      null,
      `header.version: this program reads version ${TABLE_FORMAT_VERSION}, the file is version ${header.version}`,
    );
  return { header, bodyBytes: buf.subarray(12 + hlen) };
}

/** Check the body against the header's grids and return the tables (body: its own aligned copy). */
export function tablesFromBody(header: TableHeader, body: Float32Array, file: string): GammaTables {
  const g2 = header.gamma2;
  const g3 = header.gamma3;
  const nk = header.k.length;
  if (g2.count !== g2.nr * g2.components.length * 2 * nk)
    throw new FileFormatError(file, null, `gamma2.count ${g2.count} does not match the grids`);
  if (
    g3.count !== g3.m * nk + g3.nodes * g3.classes.length * g3.m * 2 ||
    g3.nodes !== ((g3.nr * (g3.nr + 1)) / 2) * g3.theta.length
  ) {
    throw new FileFormatError(file, null, `gamma3 sizes do not match the grids`);
  }
  if (body.length !== g2.count + g3.count)
    throw new FileFormatError(
      file,
      null,
      `body has ${body.length} floats, header describes ${g2.count + g3.count}`,
    );
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
