/**
 * Shows bytes as text a person can read: printable ASCII as is, CR and LF as visible `\r` and
 * `\n` markers (followed by a real line break after LF), every other byte as `\xHH`. Nothing is
 * decoded, so what the page shows is exactly what came off the wire.
 */
export function showBytes(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    if (byte === 0x0d) out += "\\r";
    else if (byte === 0x0a) out += "\\n\n";
    else if (byte === 0x09) out += "\\t";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}
