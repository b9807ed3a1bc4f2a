/**
 * Turning file bytes into text in any JavaScript runtime: gzip (Athena projects are usually
 * gzipped) is inflated with the standard DecompressionStream (browsers, Node ≥ 18); text is
 * decoded as UTF-8 (BOM dropped), UTF-16 LE/BE (with a BOM, as Windows PowerShell `>` writes, or
 * recognised by its zero bytes), else Latin-1. Binary files (images, PDF, spreadsheets, HDF5, …)
 * are refused with one message shared by the command line and the app.
 */
import { UserError } from '../util/errors.js';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const MAGIC: Array<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['TIFF image', [0x49, 0x49, 0x2a, 0x00]],
  ['TIFF image', [0x4d, 0x4d, 0x00, 0x2a]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ZIP archive (or .xlsx/.docx/.ods)', [0x50, 0x4b, 0x03, 0x04]],
  ['HDF5 file', [0x89, 0x48, 0x44, 0x46]],
  ['Microsoft Office (.xls/.doc) file', [0xd0, 0xcf, 0x11, 0xe0]],
  ['bzip2 archive', [0x42, 0x5a, 0x68]],
  ['xz archive', [0xfd, 0x37, 0x7a, 0x58, 0x5a]],
  ['7-zip archive', [0x37, 0x7a, 0xbc, 0xaf]],
  ['NumPy .npy file', [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]],
];

/** UTF-16 byte order from a BOM, or from the zero bytes of ASCII text encoded as UTF-16. */
export function utf16Order(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const half = n / 2;
  if (oddZero > 0.9 * half && evenZero === 0) return 'utf-16le';
  if (evenZero > 0.9 * half && oddZero === 0) return 'utf-16be';
  return null;
}

/** What kind of binary file these (decompressed) bytes are, or null for text. */
export function binaryKind(bytes: Uint8Array): string | null {
  for (const [name, sig] of MAGIC)
    if (bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b)) return name;
  if (utf16Order(bytes)) return null;
  const head = bytes.subarray(0, 4096);
  let ctrl = 0;
  for (const b of head) if (b === 0 || b < 8 || (b > 13 && b < 32 && b !== 27)) ctrl++;
  // text may hold a stray control character; binary data holds many (and NUL bytes)
  if (head.includes(0) || ctrl > Math.max(2, head.length / 100)) return 'binary file';
  return null;
}

/** The message for a binary file, the same words in the command line and the app. */
export function binaryFileMessage(name: string, kind: string): string {
  const what = kind === 'binary file' ? 'a binary file' : `a binary file (${kind})`;
  return `${name}: this is ${what}, not a text spectrum (expected XDI, columns of numbers, an Athena project or a χ(k) file)`;
}

/** Decode text bytes (UTF-8, UTF-16 with or without BOM, Latin-1); binary data throws UserError. */
export function decodeText(bytes: Uint8Array, name = 'input'): string {
  const kind = binaryKind(bytes);
  if (kind) throw new UserError(binaryFileMessage(name, kind));
  const u16 = utf16Order(bytes);
  if (u16) {
    try {
      return new TextDecoder(u16, { fatal: true }).decode(bytes);
    } catch {
      throw new UserError(
        `${name}: looks like UTF-16 text (${u16.toUpperCase()}) but does not decode as such`,
      );
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** File bytes → text, inflating gzip with DecompressionStream. */
export async function spectrumTextFromBytes(bytes: Uint8Array, name = 'input'): Promise<string> {
  if (!isGzip(bytes)) return decodeText(bytes, name);
  const ds = new DecompressionStream('gzip');
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(ds);
  let buf: Uint8Array;
  try {
    buf = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new UserError(`${name}: looks gzip-compressed but does not inflate (${(e as Error).message})`);
  }
  return decodeText(buf, name);
}
