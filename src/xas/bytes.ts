/**
 * Turning file bytes into text in any JavaScript runtime: gzip (Athena projects are usually
 * gzipped) is inflated with the standard DecompressionStream (browsers, Node ≥ 18); other bytes
 * are decoded as UTF-8 (Latin-1 when they are not valid UTF-8).
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** File bytes → text, inflating gzip with DecompressionStream. */
export async function spectrumTextFromBytes(bytes: Uint8Array): Promise<string> {
  if (!isGzip(bytes)) return decodeText(bytes);
  const ds = new DecompressionStream('gzip');
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(ds);
  const buf = new Uint8Array(await new Response(stream).arrayBuffer());
  return decodeText(buf);
}
