// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) in JS: opening a log checks one CRC per record,
// and a table loop over the whole buffer is several times faster than a native zlib.crc32 call
// per record, whose cost is the per-call overhead, not the bytes.

const TABLE = /* @__PURE__ */ (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 of `bytes[start..end)`, as an unsigned 32-bit integer (equal to `zlib.crc32`). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = -1;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 255]! ^ (c >>> 8);
  return ~c >>> 0;
}
