import {
  COLON,
  DIGIT_0,
  DIGIT_9,
  HEX,
  IP_LITERAL,
  LBRACKET,
  PERCENT,
  RBRACKET,
  REG_NAME,
} from "./bytes.js";

/**
 * Whether `buf[start, end)` is `uri-host [ ":" port ]` (RFC 9110 §7.2 Host, RFC 3986 §3.2.2).
 * With `authority` it must be the authority-form of a CONNECT target instead (RFC 9112 §3.2.3):
 * a non-empty host and a non-empty port. An empty Host value is valid (RFC 9110 §7.2: a target
 * without an authority is sent with an empty Host).
 */
export function isValidHost(
  buf: Uint8Array,
  start: number,
  end: number,
  authority: boolean,
): boolean {
  let i = start;
  if (i < end && buf[i] === LBRACKET) {
    i++;
    const inner = i;
    while (i < end && IP_LITERAL[buf[i]!] === 1) i++;
    if (i === end || buf[i] !== RBRACKET || i === inner) return false;
    i++;
  } else {
    for (;;) {
      while (i < end && REG_NAME[buf[i]!] === 1) i++;
      // pct-encoded = "%" HEXDIG HEXDIG (REG_NAME leaves "%" out to bring it here).
      if (i === end || buf[i] !== PERCENT) break;
      if (i + 2 >= end || HEX[buf[i + 1]!] === 255 || HEX[buf[i + 2]!] === 255) return false;
      i += 3;
    }
  }
  if (authority && i === start) return false;
  if (i === end) return !authority;
  if (buf[i] !== COLON) return false;
  const port = ++i;
  while (i < end && buf[i]! >= DIGIT_0 && buf[i]! <= DIGIT_9) i++;
  return i === end && (!authority || i > port);
}
