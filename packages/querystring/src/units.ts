// Building blocks of the hand-written decoders in scan-text.ts and scan-bytes.ts: a hex table,
// scratch arrays kept between calls, and the native call that turns UTF-16 units into a string.
import { endianness } from "node:os";

/** A Buffer with the undocumented method Buffer#toString("utf16le") calls after its checks. */
interface Ucs2Buffer extends Buffer {
  ucs2Slice(start: number, end: number): string;
}

// ucs2Slice copies code units into a string with one memcpy. It is not documented, so the
// public (slower) toString stands in if a Node release drops it.
const HAS_UCS2_SLICE = typeof (Buffer.prototype as Partial<Ucs2Buffer>).ucs2Slice === "function";

function viewOf(out: Uint16Array): Ucs2Buffer {
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength) as Ucs2Buffer;
}

// ucs2Slice reads little-endian pairs of bytes; a Uint16Array stores in the machine's order.
const LITTLE_ENDIAN = endianness() === "LE";

/** U+FFFD, written for each invalid UTF-8 subpart. */
export const REPLACEMENT = 0xfffd;

/** Hex digit value per byte, -1 for anything else. */
export const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

// Scratch up to this size is kept between calls; a rare megabyte body gets arrays of its own,
// so the module never pins megabytes after one large request.
const KEEP = 64 * 1024;

let units = new Uint16Array(2048);
let unitBytes = viewOf(units);

/** A Uint16Array of at least `size` units, reused between calls when small. */
export function unitsFor(size: number): Uint16Array {
  if (size <= units.length) return units;
  if (size > KEEP) return new Uint16Array(size);
  units = new Uint16Array(KEEP);
  unitBytes = viewOf(units);
  return units;
}

/** The first `n` code units of `out` as one string. */
export function unitsToString(out: Uint16Array, n: number): string {
  if (n === 0) return "";
  if (LITTLE_ENDIAN) {
    const bytes = out === units ? unitBytes : viewOf(out);
    return HAS_UCS2_SLICE ? bytes.ucs2Slice(0, 2 * n) : bytes.toString("utf16le", 0, 2 * n);
  }
  let s = "";
  for (let i = 0; i < n; i += 4096) {
    s += String.fromCharCode(...out.subarray(i, Math.min(n, i + 4096)));
  }
  return s;
}

/** Code units `out[start, end)` as a string; `out` is the array unitsFor returned. */
export function unitsRange(out: Uint16Array, start: number, end: number): string {
  if (start === end) return "";
  if (LITTLE_ENDIAN && HAS_UCS2_SLICE && out === units)
    return unitBytes.ucs2Slice(2 * start, 2 * end);
  return unitsToString(out.subarray(start), end - start);
}

let table = new Int32Array(6 * 256);

/** The field table (6 slots per field), reused between calls. */
export function fieldTable(): Int32Array {
  return table;
}

/** A copy of `old` with twice the room, kept for reuse while small. */
export function growTable(old: Int32Array): Int32Array {
  const next = new Int32Array(old.length * 2);
  next.set(old);
  if (next.length <= KEEP) table = next;
  return next;
}
