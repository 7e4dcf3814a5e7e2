import { UrlError } from "./errors.js";

const PERCENT = 0x25; // "%"

/** Value of one hex digit, or -1; NaN (past the end) also gives -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
}

/** The byte written as `%XX` at `index` (which holds the `%`), or -1 if it is not a valid escape. */
function escapedByte(text: string, index: number): number {
  const high = hexValue(text.charCodeAt(index + 1));
  const low = hexValue(text.charCodeAt(index + 2));
  return high < 0 || low < 0 ? -1 : (high << 4) | low;
}

function badEscape(path: string, index: number): UrlError {
  const shown = JSON.stringify(path.slice(index, index + 3));
  return new UrlError("WW_URL_BAD_ESCAPE", `malformed percent-escape ${shown} at index ${index}`);
}

function invalidUtf8(index: number): UrlError {
  return new UrlError(
    "WW_URL_INVALID_UTF8",
    `escapes starting at index ${index} are not valid UTF-8`,
  );
}

/**
 * Decodes one UTF-8 sequence written as escapes from `index`; returns the code point and moves
 * past it. Byte ranges follow the Unicode Standard's Table 3-7, which leaves out overlong forms
 * (`%C0%AE` for "."), surrogates and values past U+10FFFF: a lenient decoder that accepts them
 * lets two spellings name one file, which is how the IIS Unicode traversal worked.
 */
function decodeSequence(
  path: string,
  start: number,
  first: number,
  cursor: { index: number },
): number {
  let need: number;
  let codePoint: number;
  let low = 0x80;
  let high = 0xbf;
  if (first >= 0xc2 && first <= 0xdf) {
    need = 1;
    codePoint = first & 0x1f;
  } else if (first >= 0xe0 && first <= 0xef) {
    need = 2;
    codePoint = first & 0x0f;
    if (first === 0xe0) low = 0xa0;
    else if (first === 0xed) high = 0x9f;
  } else if (first >= 0xf0 && first <= 0xf4) {
    need = 3;
    codePoint = first & 0x07;
    if (first === 0xf0) low = 0x90;
    else if (first === 0xf4) high = 0x8f;
  } else {
    throw invalidUtf8(start);
  }
  let index = cursor.index;
  for (; need > 0; need--) {
    if (path.charCodeAt(index) !== PERCENT) throw invalidUtf8(start);
    const byte = escapedByte(path, index);
    if (byte < 0) throw badEscape(path, index);
    if (byte < low || byte > high) throw invalidUtf8(start);
    low = 0x80;
    high = 0xbf;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    index += 3;
  }
  cursor.index = index;
  return codePoint;
}

/**
 * Percent-decodes a URL path to text, strictly: bytes are UTF-8, and anything that is not a
 * well-formed escape of valid UTF-8 is an error rather than a U+FFFD or a literal `%`, so that
 * one file has exactly one spelling (RFC 3986 §2.1, §2.5). `+` stays `+` (it means a space only
 * in form bodies). Decodes exactly once: `%252e` becomes the text `%2e`, never `.`.
 *
 * @throws {UrlError} `WW_URL_BAD_ESCAPE` for `%` not followed by two hex digits,
 *   `WW_URL_INVALID_UTF8` for invalid, truncated or overlong UTF-8, `WW_URL_NUL_BYTE` for NUL (raw or `%00`).
 * @example
 * decodePath("/caf%C3%A9/my%20notes.txt"); // "/café/my notes.txt"
 */
export function decodePath(path: string): string {
  if (typeof path !== "string") throw new TypeError("path must be a string");
  if (path.indexOf("\0") !== -1) {
    throw new UrlError("WW_URL_NUL_BYTE", `NUL byte at index ${path.indexOf("\0")}`);
  }
  let index = path.indexOf("%");
  if (index === -1) return path;
  let out = "";
  let copied = 0;
  const cursor = { index: 0 };
  while (index !== -1) {
    out += path.slice(copied, index);
    const byte = escapedByte(path, index);
    if (byte < 0) throw badEscape(path, index);
    if (byte < 0x80) {
      if (byte === 0) throw new UrlError("WW_URL_NUL_BYTE", `%00 at index ${index}`);
      out += String.fromCharCode(byte);
      index += 3;
    } else {
      cursor.index = index + 3;
      out += String.fromCodePoint(decodeSequence(path, index, byte, cursor));
      index = cursor.index;
    }
    copied = index;
    index = path.indexOf("%", index);
  }
  return out + path.slice(copied);
}
