// Deliberately plain reimplementations, written straight from the two specifications, that the
// property tests compare the fast code against.

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** CPython's unquote_to_bytes: split on "%", and a piece starting with two hex digits is a byte. */
function unquoteToBytes(ascii: string): Uint8Array {
  const bits = ascii.split("%");
  const bytes: number[] = [...Buffer.from(bits[0]!, "latin1")];
  for (const bit of bits.slice(1)) {
    if (/^[0-9A-Fa-f]{2}/.test(bit)) {
      bytes.push(Number.parseInt(bit.slice(0, 2), 16), ...Buffer.from(bit.slice(2), "latin1"));
    } else {
      bytes.push(0x25, ...Buffer.from(bit, "latin1"));
    }
  }
  return Uint8Array.from(bytes);
}

/** CPython's unquote(errors="replace"): ASCII runs are decoded one by one, the rest is copied. */
function unquote(s: string): string {
  if (!s.includes("%")) return s;
  return s
    .split(/([\x00-\x7f]+)/)
    .map((bit, i) => (i % 2 === 1 ? decoder.decode(unquoteToBytes(bit)) : bit))
    .join("");
}

export interface ReferenceOptions {
  keepBlankValues: boolean;
  strictParsing: boolean;
  maxFields: number;
  separator: string;
}

/** CPython 3.11.7's parse_qsl, line by line; errors are thrown as { code }. */
export function referenceParseQsl(qs: string, o: ReferenceOptions): [string, string][] {
  if (qs.length > 0 && o.maxFields < 1 + qs.split(o.separator).length - 1) {
    throw { code: "WW_QS_TOO_MANY_FIELDS" };
  }
  const out: [string, string][] = [];
  for (const piece of qs.length > 0 ? qs.split(o.separator) : []) {
    if (piece === "" && !o.strictParsing) continue;
    const eq = piece.indexOf("=");
    const nv = eq === -1 ? [piece] : [piece.slice(0, eq), piece.slice(eq + 1)];
    if (nv.length !== 2) {
      if (o.strictParsing) throw { code: "WW_QS_BAD_FIELD" };
      if (!o.keepBlankValues) continue;
      nv.push("");
    }
    if (nv[1]!.length > 0 || o.keepBlankValues) {
      out.push([unquote(nv[0]!.replaceAll("+", " ")), unquote(nv[1]!.replaceAll("+", " "))]);
    }
  }
  return out;
}

function percentDecode(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  const isHex = (b: number | undefined) =>
    b !== undefined && /[0-9A-Fa-f]/.test(String.fromCharCode(b));
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out.push(Number.parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16));
      i += 2;
    } else {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/** The WHATWG urlencoded parser (URL Standard §5.1) over bytes, step by step. */
export function referenceWhatwg(input: Uint8Array): [string, string][] {
  const sequences: number[][] = [[]];
  for (const b of input) {
    if (b === 0x26) sequences.push([]);
    else sequences.at(-1)!.push(b);
  }
  const out: [string, string][] = [];
  for (const seq of sequences) {
    if (seq.length === 0) continue;
    const eq = seq.indexOf(0x3d);
    const name = eq === -1 ? seq : seq.slice(0, eq);
    const value = eq === -1 ? [] : seq.slice(eq + 1);
    const text = (part: number[]) =>
      decoder.decode(percentDecode(Uint8Array.from(part, (b) => (b === 0x2b ? 0x20 : b))));
    out.push([text(name), text(value)]);
  }
  return out;
}
