// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) in JS, slicing-by-8 (Intel's table method, eight
// bytes per step): opening a log checks one CRC per record, and one JS pass over the buffer beats
// a native zlib.crc32 call per record, whose cost is the per-call overhead, not the bytes.

const TABLES = /* @__PURE__ */ (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const previous = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (previous >>> 8) ^ t[previous & 255]!;
    }
  }
  return t;
})();

/** CRC-32 of `bytes[start..end)`, as an unsigned 32-bit integer (equal to `zlib.crc32`). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let c = -1;
  let i = start;
  for (const stop = end - 7; i < stop; i += 8) {
    const a =
      c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    const b = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
    c =
      t[1792 + (a & 255)]! ^
      t[1536 + ((a >>> 8) & 255)]! ^
      t[1280 + ((a >>> 16) & 255)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + (b & 255)]! ^
      t[512 + ((b >>> 8) & 255)]! ^
      t[256 + ((b >>> 16) & 255)]! ^
      t[b >>> 24]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 255]! ^ (c >>> 8);
  return ~c >>> 0;
}
