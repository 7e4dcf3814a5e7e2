import {
  ascii,
  COMMA,
  DIGIT_0,
  DIGIT_9,
  equalsLower,
  HTAB,
  MAX_SAFE_LENGTH,
  SEMI,
  SP,
  TCHAR,
} from "./bytes.js";
import { HttpError } from "./errors.js";
import { isValidHost } from "./parser-host.js";
import type { RequestHead } from "./types.js";

const HOST = ascii("host");
const EXPECT = ascii("expect");
const CONNECTION = ascii("connection");
const CONTENT_LENGTH = ascii("content-length");
const TRANSFER_ENCODING = ascii("transfer-encoding");
const CHUNKED = ascii("chunked");
const CLOSE = ascii("close");
const KEEP_ALIVE = ascii("keep-alive");
const CONTINUE = ascii("100-continue");

/**
 * 1 for a byte that can start a field name {@link Framing.field} looks at, in either case: a
 * line whose name starts otherwise need not be shown to it. Derived from the names above, so
 * the two cannot drift apart.
 */
export const MAY_FRAME: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const name of [HOST, EXPECT, CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING]) {
    t[name[0]!] = 1;
    t[name[0]! - 32] = 1; // the upper-case letter
  }
  return t;
})();

/**
 * The facts about one header (or trailer) section that decide how its message is framed and
 * whether its connection persists (RFC 9112 §6, §9.3), gathered in bytes as each field line
 * goes by. Errors that one line proves are thrown at that line; those that need the whole
 * section (Transfer-Encoding lists, CL with TE) in {@link Framing.bodyKind}.
 */
export class Framing {
  #head = true;
  contentLength = -1;
  /** Stream offset of the Content-Length line, or -1. */
  clAt = -1;
  /** Stream offset of the first Transfer-Encoding line, or -1. */
  teAt = -1;
  teChunked = 0;
  teLastChunked = false;
  teOther = false;
  hosts = 0;
  close = false;
  keepAlive = false;
  expectContinue = false;

  /** Starts a new section: a head, or trailers (which may not carry framing fields). */
  reset(head: boolean): void {
    this.#head = head;
    this.contentLength = -1;
    this.clAt = -1;
    this.teAt = -1;
    this.teChunked = 0;
    this.teLastChunked = false;
    this.teOther = false;
    this.hosts = 0;
    this.close = false;
    this.keepAlive = false;
    this.expectContinue = false;
  }

  /**
   * Examines one validated field line (name at `buf[ns]`, value `buf[vs, ve)`) if it is one of
   * Host, Expect, Connection, Content-Length or Transfer-Encoding; `base` is the stream offset
   * of `buf[0]`.
   * @throws HttpError WW_HTTP_INVALID_HOST, WW_HTTP_INVALID_CONTENT_LENGTH, WW_HTTP_BODY_TOO_LARGE,
   *   WW_HTTP_INVALID_TRANSFER_ENCODING, WW_HTTP_INVALID_TRAILER.
   */
  field(buf: Uint8Array, ns: number, nameLen: number, vs: number, ve: number, base: number): void {
    switch (nameLen) {
      case 4:
        if (!equalsLower(buf, ns, HOST)) return;
        if (!this.#head) this.#forbiddenTrailer("Host", base + ns);
        if (++this.hosts > 1) {
          throw new HttpError("WW_HTTP_INVALID_HOST", "more than one Host field", base + ns);
        }
        if (!isValidHost(buf, vs, ve, false)) {
          throw new HttpError("WW_HTTP_INVALID_HOST", "invalid Host value", base + vs);
        }
        return;
      case 6:
        if (this.#head && equalsLower(buf, ns, EXPECT) && listHas(buf, vs, ve, CONTINUE) !== 0) {
          this.expectContinue = true;
        }
        return;
      case 10: {
        if (!this.#head || !equalsLower(buf, ns, CONNECTION)) return;
        const found = listHas(buf, vs, ve, CLOSE, KEEP_ALIVE);
        if (found & 1) this.close = true;
        if (found & 2) this.keepAlive = true;
        return;
      }
      case 14:
        if (!equalsLower(buf, ns, CONTENT_LENGTH)) return;
        if (!this.#head) this.#forbiddenTrailer("Content-Length", base + ns);
        this.#parseContentLength(buf, ns, vs, ve, base);
        return;
      case 17:
        if (!equalsLower(buf, ns, TRANSFER_ENCODING)) return;
        if (!this.#head) this.#forbiddenTrailer("Transfer-Encoding", base + ns);
        if (this.teAt === -1) this.teAt = base + ns;
        this.#parseCodings(buf, vs, ve, base);
        return;
    }
  }

  #forbiddenTrailer(name: string, at: number): never {
    // RFC 9110 §6.5.1: framing and routing fields never come from trailers.
    throw new HttpError("WW_HTTP_INVALID_TRAILER", `${name} is not allowed in trailers`, at);
  }

  /** Content-Length = 1*DIGIT (RFC 9110 §8.6); one line only, since duplicates are ambiguous. */
  #parseContentLength(buf: Uint8Array, ns: number, vs: number, ve: number, base: number): void {
    if (this.clAt !== -1) {
      throw new HttpError(
        "WW_HTTP_INVALID_CONTENT_LENGTH",
        "more than one Content-Length",
        base + ns,
      );
    }
    this.clAt = base + ns;
    if (vs === ve) {
      throw new HttpError("WW_HTTP_INVALID_CONTENT_LENGTH", "empty Content-Length", base + vs);
    }
    let n = 0;
    for (let k = vs; k < ve; k++) {
      const b = buf[k]!;
      if (b < DIGIT_0 || b > DIGIT_9) {
        throw new HttpError(
          "WW_HTTP_INVALID_CONTENT_LENGTH",
          "Content-Length is not 1*DIGIT",
          base + k,
        );
      }
      n = n * 10 + (b - DIGIT_0);
    }
    if (n > MAX_SAFE_LENGTH) {
      throw new HttpError("WW_HTTP_BODY_TOO_LARGE", "Content-Length above 2^53-1", base + vs);
    }
    this.contentLength = n;
  }

  /**
   * transfer-coding list (RFC 9112 §6.1, §7): records whether chunked appears, how often, and
   * whether it is last. Empty list elements are ignored (RFC 9110 §5.6.1).
   */
  #parseCodings(buf: Uint8Array, vs: number, ve: number, base: number): void {
    let i = vs;
    while (i < ve) {
      const b = buf[i]!;
      if (b === COMMA || b === SP || b === HTAB) {
        i++;
        continue;
      }
      const ts = i;
      while (i < ve && TCHAR[buf[i]!] === 1) i++;
      if (i === ts) {
        throw new HttpError(
          "WW_HTTP_INVALID_TRANSFER_ENCODING",
          "invalid transfer coding",
          base + i,
        );
      }
      const chunked = i - ts === 7 && equalsLower(buf, ts, CHUNKED);
      let k = i;
      while (k < ve && (buf[k] === SP || buf[k] === HTAB)) k++;
      if (k < ve && buf[k] === SEMI) {
        if (chunked) {
          throw new HttpError(
            "WW_HTTP_INVALID_TRANSFER_ENCODING",
            "chunked takes no parameters",
            base + k,
          );
        }
        // Parameters of a coding we refuse anyway (501): skip to the next element.
        while (k < ve && buf[k] !== COMMA) k++;
      } else if (k < ve && buf[k] !== COMMA) {
        throw new HttpError(
          "WW_HTTP_INVALID_TRANSFER_ENCODING",
          "invalid transfer coding",
          base + k,
        );
      }
      if (chunked) this.teChunked++;
      else this.teOther = true;
      this.teLastChunked = chunked;
      i = k;
    }
  }

  /**
   * How the body is framed, once every field line has been seen (RFC 9112 §6.1, §6.3).
   * @throws HttpError WW_HTTP_CL_TE_CONFLICT, WW_HTTP_INVALID_TRANSFER_ENCODING (400),
   *   WW_HTTP_UNSUPPORTED_TRANSFER_ENCODING (501).
   */
  bodyKind(versionMinor: number): RequestHead["bodyKind"] {
    if (this.teAt === -1) return this.clAt === -1 ? "none" : "length";
    const at = this.teAt;
    if (this.clAt !== -1) {
      throw new HttpError(
        "WW_HTTP_CL_TE_CONFLICT",
        "both Content-Length and Transfer-Encoding",
        at,
      );
    }
    if (versionMinor === 0) {
      throw new HttpError("WW_HTTP_INVALID_TRANSFER_ENCODING", "Transfer-Encoding in HTTP/1.0", at);
    }
    if (!this.teLastChunked) {
      throw new HttpError(
        "WW_HTTP_INVALID_TRANSFER_ENCODING",
        "chunked is not the final coding",
        at,
      );
    }
    if (this.teChunked > 1) {
      throw new HttpError(
        "WW_HTTP_INVALID_TRANSFER_ENCODING",
        "chunked applied more than once",
        at,
      );
    }
    if (this.teOther) {
      throw new HttpError("WW_HTTP_UNSUPPORTED_TRANSFER_ENCODING", "only chunked is supported", at);
    }
    return "chunked";
  }
}

/**
 * Which of `first` (bit 1) and `second` (bit 2) the comma-separated list in `buf[vs, ve)` has
 * as an element, ASCII case-insensitively: one pass for both words a Connection list may hold.
 */
function listHas(
  buf: Uint8Array,
  vs: number,
  ve: number,
  first: Uint8Array,
  second?: Uint8Array,
): number {
  let found = 0;
  let i = vs;
  while (i < ve) {
    while (i < ve && (buf[i] === COMMA || buf[i] === SP || buf[i] === HTAB)) i++;
    const s = i;
    while (i < ve && buf[i] !== COMMA) i++;
    let e = i;
    while (e > s && (buf[e - 1] === SP || buf[e - 1] === HTAB)) e--;
    if (e - s === first.length && equalsLower(buf, s, first)) found |= 1;
    else if (second && e - s === second.length && equalsLower(buf, s, second)) found |= 2;
  }
  return found;
}
