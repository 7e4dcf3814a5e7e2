import { parseInto, WHATWG_RULES } from "./parse-qs.js";

interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * Parses `application/x-www-form-urlencoded` text or bytes into ordered [name, value] pairs,
 * exactly as the WHATWG URL Standard's urlencoded parser (§5.1) does.
 *
 * Unlike `new URLSearchParams(s)`, a leading "?" is data: the standard's parser has no
 * special case for it, only the constructor strips one. There is no field limit; for untrusted
 * bodies bound the body size, or use {@link parseQsl} with `maxFields`.
 *
 * @throws {TypeError} when `input` is neither a string nor a Uint8Array.
 * @example
 * parse("a=1&b=%F0%9F%98%80&c");
 * // => [["a", "1"], ["b", "😀"], ["c", ""]]
 */
export function parse(input: string | Uint8Array): [string, string][] {
  // The standard UTF-8-encodes the string first, which turns lone surrogates into U+FFFD.
  if (typeof input === "string" && !(input as unknown as WellFormed).isWellFormed()) {
    input = (input as unknown as WellFormed).toWellFormed();
  }
  const pairs: [string, string][] = [];
  parseInto(input, WHATWG_RULES, null, pairs);
  return pairs;
}
