/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of ZIP entries and of dataset
 * journal records. Browser-safe, no dependencies.
 */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of bytes[a, b). */
export function crc32(bytes: Uint8Array, a = 0, b = bytes.length): number {
  let c = 0xffffffff;
  for (let i = a; i < b; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
