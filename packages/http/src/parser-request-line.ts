import {
  ASTERISK,
  CR,
  DIGIT_0,
  DIGIT_1,
  DIGIT_9,
  DOT,
  HASH,
  LF,
  latin1,
  SLASH,
  SP,
  skipTarget,
  TARGET,
  TCHAR,
} from "./bytes.js";
import { HttpError } from "./errors.js";
import { isValidHost } from "./parser-host.js";

/** The parts of a request line: the method decoded, the target as offsets into the buffer. */
export interface RequestLine {
  method: string;
  targetStart: number;
  targetEnd: number;
  versionMinor: number;
}

const HTTP_ = [72, 84, 84, 80, 47]; // "HTTP/"
const HTTP_1_ = [72, 84, 84, 80, 47, 49, 46]; // "HTTP/1."

/**
 * Parses `method SP request-target SP HTTP-version` (RFC 9112 §3) from `buf[start, end)`, the
 * line without its CRLF, into `out`. Exactly one SP between the parts: lenient whitespace is a
 * known smuggling vector (RFC 9112 §3, HTTP Garden class 6), so it is refused, not guessed at.
 *
 * @param at stream offset of `buf[0]`, for error offsets.
 * @throws HttpError WW_HTTP_INVALID_METHOD, WW_HTTP_INVALID_TARGET, WW_HTTP_INVALID_VERSION (400),
 *   WW_HTTP_UNSUPPORTED_VERSION (505), WW_HTTP_BARE_CR (400).
 */
export function parseRequestLine(
  buf: Uint8Array,
  start: number,
  end: number,
  at: number,
  out: RequestLine,
): void {
  let i = start;
  while (i < end && TCHAR[buf[i]!] === 1) i++;
  if (i === start || (i < end && buf[i] !== SP)) {
    const b = buf[i];
    if (b === CR) throw new HttpError("WW_HTTP_BARE_CR", "CR not followed by LF", at + i);
    throw new HttpError(
      "WW_HTTP_INVALID_METHOD",
      i === start ? "request line does not start with a method token" : "invalid byte in method",
      at + i,
    );
  }
  if (i === end) {
    throw new HttpError("WW_HTTP_INVALID_TARGET", "request line has no request-target", at + i);
  }
  const methodEnd = i;
  const targetStart = i + 1;
  let lastSp = end - 1;
  while (buf[lastSp] !== SP) lastSp--;
  if (lastSp === methodEnd) {
    throw new HttpError("WW_HTTP_INVALID_VERSION", "request line has no HTTP-version", at + end);
  }
  out.versionMinor = parseVersion(buf, lastSp + 1, end, at);
  checkTargetBytes(buf, targetStart, lastSp, at);
  out.method = methodName(buf, start, methodEnd);
  checkTargetForm(buf, targetStart, lastSp, out.method, at);
  out.targetStart = targetStart;
  out.targetEnd = lastSp;
}

/** `HTTP/` DIGIT `.` DIGIT, case-sensitive (RFC 9112 §2.3); returns the minor version to serve. */
function parseVersion(buf: Uint8Array, start: number, end: number, at: number): number {
  let ok = end - start === 8 && buf[start + 6] === DOT;
  for (let k = 0; ok && k < 5; k++) ok = buf[start + k] === HTTP_[k];
  const major = buf[start + 5]!;
  const minor = buf[start + 7]!;
  if (!ok || !isDigit(major) || !isDigit(minor)) {
    const cr = indexOfByte(buf, CR, start, end);
    if (cr !== -1) throw new HttpError("WW_HTTP_BARE_CR", "CR not followed by LF", at + cr);
    throw new HttpError("WW_HTTP_INVALID_VERSION", "malformed HTTP-version", at + start);
  }
  if (major !== DIGIT_1) {
    throw new HttpError("WW_HTTP_UNSUPPORTED_VERSION", "only HTTP/1.x is supported", at + start);
  }
  // RFC 9110 §2.5: a higher minor version is served as the highest we support, 1.1.
  return minor === DIGIT_0 ? 0 : 1;
}

function checkTargetBytes(buf: Uint8Array, start: number, end: number, at: number): void {
  if (start === end) {
    throw new HttpError("WW_HTTP_INVALID_TARGET", "empty request-target", at + start);
  }
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (TARGET[b] === 1) continue;
    if (b === CR) throw new HttpError("WW_HTTP_BARE_CR", "CR not followed by LF", at + i);
    const why =
      b === SP
        ? "whitespace in request-target"
        : b === HASH
          ? "fragment in request-target"
          : "invalid byte in request-target";
    throw new HttpError("WW_HTTP_INVALID_TARGET", why, at + i);
  }
}

/**
 * The four request-target forms (RFC 9112 §3.2): origin-form "/…", absolute-form "scheme:…",
 * authority-form only for CONNECT, asterisk-form only for OPTIONS.
 */
function checkTargetForm(
  buf: Uint8Array,
  start: number,
  end: number,
  method: string,
  at: number,
): void {
  if (!isAllowedForm(buf, start, end, method)) {
    throw new HttpError(
      "WW_HTTP_INVALID_TARGET",
      `request-target form not allowed for ${method}`,
      at + start,
    );
  }
}

function isAllowedForm(buf: Uint8Array, start: number, end: number, method: string): boolean {
  const first = buf[start];
  if (method === "CONNECT") return isValidHost(buf, start, end, true);
  if (first === SLASH) return true;
  if (first === ASTERISK && end - start === 1) return method === "OPTIONS";
  return isAbsoluteForm(buf, start, end);
}

/**
 * The common request line in one pass: `token SP target SP "HTTP/1." DIGIT CRLF` with every
 * byte valid, read straight from `buf` at `start` (no search for the LF first). Returns the
 * index past the LF, or -1 to leave the line to {@link parseRequestLine}, which then reaches the
 * same verdict (this path accepts only lines that one accepts) and reports any error.
 * @param maxLine the request line limit and `maxHead` the head limit: a line past either is
 *   left to the slow path, which throws.
 */
export function parseCommonRequestLine(
  buf: Uint8Array,
  start: number,
  maxLine: number,
  maxHead: number,
  out: RequestLine,
): number {
  const end = buf.length;
  let i = start;
  while (i < end && TCHAR[buf[i]!] === 1) i++;
  if (i === start || i === end || buf[i] !== SP) return -1;
  const methodEnd = i;
  const targetStart = ++i;
  i = skipTarget(buf, i, end);
  // " HTTP/1.x\r\n" is 11 bytes.
  if (i === targetStart || i + 11 > end || buf[i] !== SP) return -1;
  if (i + 9 - start > maxLine || i + 11 - start > maxHead) return -1;
  for (let k = 0; k < 7; k++) if (buf[i + 1 + k] !== HTTP_1_[k]) return -1;
  const minor = buf[i + 8]!;
  if (minor < DIGIT_0 || minor > DIGIT_9 || buf[i + 9] !== CR || buf[i + 10] !== LF) return -1;
  const method = methodName(buf, start, methodEnd);
  if (!isAllowedForm(buf, targetStart, i, method)) return -1;
  out.method = method;
  out.targetStart = targetStart;
  out.targetEnd = i;
  out.versionMinor = minor === DIGIT_0 ? 0 : 1;
  return i + 11;
}

/** scheme ":" … (RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )). */
function isAbsoluteForm(buf: Uint8Array, start: number, end: number): boolean {
  if (!isAlpha(buf[start]!)) return false;
  for (let i = start + 1; i < end; i++) {
    const b = buf[i]!;
    if (b === 58) return true; // ":"
    if (!(isAlpha(b) || isDigit(b) || b === 43 || b === 45 || b === DOT)) return false;
  }
  return false;
}

const isDigit = (b: number) => b >= DIGIT_0 && b <= DIGIT_9;
const isAlpha = (b: number) => (b | 32) >= 97 && (b | 32) <= 122;

function indexOfByte(buf: Uint8Array, byte: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i] === byte) return i;
  return -1;
}

/** Interns the common methods so that most requests allocate no string for the method. */
function methodName(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  const b0 = buf[start];
  if (len === 3 && b0 === 71 && buf[start + 1] === 69 && buf[start + 2] === 84) return "GET";
  if (
    len === 4 &&
    b0 === 80 &&
    buf[start + 1] === 79 &&
    buf[start + 2] === 83 &&
    buf[start + 3] === 84
  ) {
    return "POST";
  }
  if (len === 4 && b0 === 72 && latin1(buf, start, end) === "HEAD") return "HEAD";
  return latin1(buf, start, end);
}
