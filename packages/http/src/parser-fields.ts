import {
  COLON,
  CR,
  FIELD_VALUE,
  HTAB,
  LF,
  latin1,
  SLASH,
  SP,
  skipFieldValue,
  skipToken,
  TCHAR,
} from "./bytes.js";
import { HttpError } from "./errors.js";
import { RawHeaderList } from "./header-list.js";
import { ParsedHead } from "./parsed-head.js";
import { Framing, MAY_FRAME } from "./parser-framing.js";
import {
  parseCommonRequestLine,
  parseRequestLine,
  type RequestLine,
} from "./parser-request-line.js";
import type { Limits, RequestHead } from "./types.js";

const indexOf = Uint8Array.prototype.indexOf;

// Outcomes of one complete line.
const LINE_MORE = 0;
const LINE_END = 1;
const LINE_SKIP = 2;

/**
 * Reads a header section (request line plus field lines) or a trailer section line by line,
 * from bytes that may arrive in any pieces. A section that sits inside one chunk is parsed in
 * place; one that straddles chunks is copied (and only it) into a buffer bounded by the limits.
 * Every line is validated as soon as its LF arrives and the limits are checked on byte counts,
 * so the error for a given input is the same at every split point.
 */
export class FieldLines {
  readonly #maxLine: number;
  readonly #maxHeader: number;
  readonly #maxCount: number;
  readonly #allowBareLf: boolean;
  /** Copy of a section that straddles chunks, or null. */
  #buf: Uint8Array | null = null;
  #len = 0;
  /** Start of the current line, relative to the section start. */
  #lineStart = 0;
  /** Stream offset of the section's first byte. */
  #at = 0;
  #head = true;
  #haveRequestLine = false;
  /** The finished section is `#rawBytes[#rawStart, #rawEnd)`: the chunk, or its own copy. */
  #rawBytes: Uint8Array = new Uint8Array(0);
  #rawStart = 0;
  #rawEnd = 0;
  #rawCopied = false;
  // A latin1 decode of part of the current chunk, shared by the pipelined heads inside it.
  #textOf: Uint8Array | null = null;
  #textFrom = 0;
  #textTo = 0;
  #text = "";
  #textBase = 0;
  #count = 0;
  /** [nameStart, nameEnd, valueStart, valueEnd] per field line, relative to the section start. */
  readonly #offsets: number[] = [];
  readonly #framing = new Framing();
  #endAt = 0;

  constructor(
    limits: Pick<Limits, "maxLineBytes" | "maxHeaderBytes" | "maxHeaderCount">,
    allowBareLf: boolean,
  ) {
    this.#maxLine = limits.maxLineBytes;
    this.#maxHeader = limits.maxHeaderBytes;
    this.#maxCount = limits.maxHeaderCount;
    this.#allowBareLf = allowBareLf;
  }

  /** Field lines in the section being (or just) read. */
  get count(): number {
    return this.#count;
  }

  /** No bytes of a section are buffered. */
  get idle(): boolean {
    return this.#len === 0;
  }

  /**
   * Consumes section bytes from `chunk[p…]`. Returns the index just past the section's final
   * empty line, or -1 when the chunk ended first (its bytes are kept for the next call).
   * @param chunkAt stream offset of `chunk[0]`.
   */
  read(chunk: Uint8Array, p: number, chunkAt: number, head: boolean, line: RequestLine): number {
    if (this.#len > 0) return this.#readBuffered(chunk, p, chunkAt, line);
    this.#begin(head, chunkAt + p);
    let start = p;
    let ls = p;
    for (;;) {
      // Fast paths for the common lines; anything else goes the general way below.
      if (this.#haveRequestLine) {
        const next = this.#fastField(chunk, start, ls, chunkAt);
        if (next !== -1) {
          ls = next;
          continue;
        }
        if (chunk[ls] === CR && chunk[ls + 1] === LF && ls + 2 - start <= this.#maxHeader) {
          this.#endAt = chunkAt + ls;
          this.#inChunk(chunk, start, ls + 2);
          return ls + 2;
        }
      } else if (this.#head && start === ls) {
        const next = parseCommonRequestLine(chunk, ls, this.#maxLine, this.#maxHeader, line);
        if (next !== -1) {
          line.targetStart -= start;
          line.targetEnd -= start;
          this.#haveRequestLine = true;
          ls = next;
          continue;
        }
      }
      const lf: number = indexOf.call(chunk, LF, ls);
      if (lf === -1) {
        const end = chunk.length;
        const cr = end > ls && chunk[end - 1] === CR ? 1 : 0;
        this.#checkLimits(end - ls - cr, end - start, this.#at + ls - start);
        this.#append(chunk, start, end);
        this.#lineStart = ls - start;
        return -1;
      }
      const r = this.#line(chunk, start, ls, lf, chunkAt + start, line);
      ls = lf + 1;
      if (r === LINE_END) {
        this.#inChunk(chunk, start, ls);
        return ls;
      }
      if (r === LINE_SKIP) {
        start = ls;
        this.#at = chunkAt + start;
      }
    }
  }

  #readBuffered(chunk: Uint8Array, p: number, chunkAt: number, line: RequestLine): number {
    for (;;) {
      const lf: number = indexOf.call(chunk, LF, p);
      if (lf === -1) {
        const end = chunk.length;
        const lineLen = this.#len - this.#lineStart + end - p;
        // A trailing CR may be the first half of the CRLF, not content.
        const last = end > p ? chunk[end - 1] : this.#buf![this.#len - 1];
        const cr = lineLen > 0 && last === CR ? 1 : 0;
        this.#checkLimits(lineLen - cr, this.#len + end - p, this.#at + this.#lineStart);
        this.#append(chunk, p, end);
        return -1;
      }
      // Check the limits before copying, so the buffer never outgrows them.
      const lineStart = this.#lineStart;
      const before =
        lf > p ? chunk[lf - 1] : this.#len > lineStart ? this.#buf![this.#len - 1] : -1;
      const lineLen = this.#len - lineStart + lf - p - (before === CR ? 1 : 0);
      this.#checkLimits(lineLen, this.#len + lf + 1 - p, this.#at + lineStart);
      this.#append(chunk, p, lf + 1);
      p = lf + 1;
      const buf = this.#buf!;
      const r = this.#line(buf, 0, lineStart, this.#len - 1, this.#at, line);
      this.#lineStart = this.#len;
      if (r === LINE_END) {
        this.#rawBytes = buf;
        this.#rawStart = 0;
        this.#rawEnd = this.#len;
        this.#rawCopied = true;
        this.#buf = null;
        this.#len = 0;
        return p;
      }
      if (r === LINE_SKIP) {
        this.#len = 0;
        if (p === chunk.length) return -1;
        return this.read(chunk, p, chunkAt, true, line);
      }
    }
  }

  #begin(head: boolean, at: number): void {
    this.#head = head;
    this.#at = at;
    this.#haveRequestLine = !head;
    this.#count = 0;
    this.#lineStart = 0;
    this.#framing.reset(head);
  }

  #append(chunk: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n === 0) return;
    let buf = this.#buf;
    if (buf === null || this.#len + n > buf.length) {
      const grown = new Uint8Array(Math.max(256, (this.#len + n) * 2));
      if (buf !== null) grown.set(buf.subarray(0, this.#len));
      buf = grown;
      this.#buf = buf;
    }
    buf.set(chunk.subarray(from, to), this.#len);
    this.#len += n;
  }

  /**
   * 414 when the request line's content passes maxLineBytes, 431 when the section passes
   * maxHeaderBytes. Offsets point at the first byte past the limit, so they do not depend on
   * where the input was split.
   */
  #checkLimits(lineLen: number, total: number, lineAt: number): void {
    const lineOver = !this.#haveRequestLine && lineLen > this.#maxLine;
    if (!lineOver && total <= this.#maxHeader) return;
    // Both may be past their limits by now: report the one crossed first in the byte stream
    // (431 on a tie: a trailing CR is not yet line content, but it already counts as head).
    const lineCross = lineOver ? lineAt + this.#maxLine : Number.POSITIVE_INFINITY;
    const totalCross =
      total > this.#maxHeader ? this.#at + this.#maxHeader : Number.POSITIVE_INFINITY;
    if (lineCross < totalCross) {
      throw new HttpError(
        "WW_HTTP_LINE_TOO_LONG",
        `request line longer than ${this.#maxLine} bytes`,
        lineCross,
      );
    }
    throw new HttpError(
      "WW_HTTP_HEADER_TOO_LARGE",
      `${this.#head ? "header" : "trailer"} section larger than ${this.#maxHeader} bytes`,
      totalCross,
    );
  }

  /**
   * One complete line `buf[ls, lf)` of the section that starts at `buf[start]`; `at` is the
   * stream offset of `buf[start]`.
   */
  #line(
    buf: Uint8Array,
    start: number,
    ls: number,
    lf: number,
    at: number,
    line: RequestLine,
  ): number {
    const cr = lf > ls && buf[lf - 1] === CR;
    const e = cr ? lf - 1 : lf;
    this.#checkLimits(e - ls, lf + 1 - start, at + ls - start);
    const base = at - start;
    if (!cr && !this.#allowBareLf) {
      throw new HttpError("WW_HTTP_BARE_LF", "LF not preceded by CR", base + lf);
    }
    if (e === ls) {
      if (!this.#haveRequestLine) return LINE_SKIP; // RFC 9112 §2.2: ignore empty lines before a request.
      this.#endAt = base + ls;
      return LINE_END;
    }
    if (!this.#haveRequestLine) {
      parseRequestLine(buf, ls, e, base, line);
      line.targetStart -= start;
      line.targetEnd -= start;
      this.#haveRequestLine = true;
      return LINE_MORE;
    }
    if (this.#count === this.#maxCount) {
      throw new HttpError(
        "WW_HTTP_TOO_MANY_HEADERS",
        `more than ${this.#maxCount} ${this.#head ? "header" : "trailer"} fields`,
        base + ls,
      );
    }
    this.#field(buf, start, ls, e, base);
    return LINE_MORE;
  }

  /**
   * The common case in one pass: a well-formed field line whose CRLF is inside `buf`, within
   * the limits. Returns the index past its LF, or -1 to let {@link #line} handle the line
   * (end of section, an error, a limit, or a line cut by the chunk end), so the result never
   * depends on which path ran.
   */
  #fastField(buf: Uint8Array, start: number, ls: number, base: number): number {
    const end = buf.length;
    const i = skipToken(buf, ls, end);
    if (i === ls || i === end || buf[i] !== COLON) return -1;
    let vs = i + 1;
    while (vs < end && (buf[vs] === SP || buf[vs] === HTAB)) vs++;
    const k = skipFieldValue(buf, vs, end);
    if (k + 1 >= end || buf[k] !== CR || buf[k + 1] !== LF) return -1;
    if (k + 2 - start > this.#maxHeader || this.#count === this.#maxCount) return -1;
    let ve = k;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
    this.#record(ls - start, i - start, vs - start, ve - start);
    if (MAY_FRAME[buf[ls]!] === 1) this.#framing.field(buf, ls, i - ls, vs, ve, base);
    return k + 2;
  }

  #record(ns: number, ne: number, vs: number, ve: number): void {
    const o = this.#offsets;
    const j = this.#count * 4;
    o[j] = ns;
    o[j + 1] = ne;
    o[j + 2] = vs;
    o[j + 3] = ve;
    this.#count++;
  }

  /** field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). */
  #field(buf: Uint8Array, start: number, ls: number, e: number, base: number): void {
    const b0 = buf[ls]!;
    if (b0 === SP || b0 === HTAB) {
      // RFC 9112 §5.2: obs-fold MUST be refused or replaced; §2.2: whitespace before the first
      // field line MUST be refused or the line ignored. Refuse both.
      const why =
        this.#count === 0 ? "whitespace before the first field line" : "obs-fold (line folding)";
      throw new HttpError("WW_HTTP_OBS_FOLD", why, base + ls);
    }
    let i = ls;
    while (i < e && TCHAR[buf[i]!] === 1) i++;
    if (i === e || buf[i] !== COLON) {
      const b = i < e ? buf[i] : -1;
      if (b === CR) throw new HttpError("WW_HTTP_BARE_CR", "CR not followed by LF", base + i);
      // "X : v" is the smuggling shape (CVE-2021-22959); "Hello world" has no colon at all, and
      // calling that "whitespace between field name and colon" sent people looking for a colon.
      const colon = buf.indexOf(COLON, i);
      const why =
        colon === -1 || colon >= e
          ? "field line without a colon"
          : b === SP || b === HTAB
            ? "whitespace between field name and colon"
            : "invalid byte in field name";
      throw new HttpError("WW_HTTP_INVALID_HEADER_NAME", why, base + i);
    }
    if (i === ls) throw new HttpError("WW_HTTP_INVALID_HEADER_NAME", "empty field name", base + i);
    let vs = i + 1;
    while (vs < e && (buf[vs] === SP || buf[vs] === HTAB)) vs++;
    let ve = e;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
    for (let k = vs; k < ve; k++) {
      if (FIELD_VALUE[buf[k]!] === 1) continue;
      if (buf[k] === CR) throw new HttpError("WW_HTTP_BARE_CR", "CR not followed by LF", base + k);
      throw new HttpError("WW_HTTP_INVALID_HEADER_VALUE", "invalid byte in field value", base + k);
    }
    this.#record(ls - start, i - start, vs - start, ve - start);
    this.#framing.field(buf, ls, i - ls, vs, ve, base);
  }

  /** Forgets decoded text: the next chunk may be the same array refilled. */
  newChunk(): void {
    this.#textOf = null;
  }

  #inChunk(chunk: Uint8Array, start: number, end: number): void {
    this.#rawBytes = chunk;
    this.#rawStart = start;
    this.#rawEnd = end;
    this.#rawCopied = false;
  }

  /**
   * A latin1 string holding the finished section at `#textBase`. Decoding is one native call
   * whatever the length, so a section inside the chunk is decoded together with up to 1 KiB
   * after it, where the next pipelined head usually is; the target and every name and value
   * are then slices of that one string.
   */
  #sectionText(): string {
    const chunk = this.#rawBytes;
    const start = this.#rawStart;
    const end = this.#rawEnd;
    if (this.#rawCopied) {
      this.#textBase = 0;
      return latin1(chunk, start, end);
    }
    if (chunk !== this.#textOf || start < this.#textFrom || end > this.#textTo) {
      this.#textOf = chunk;
      this.#textFrom = start;
      this.#textTo = Math.min(chunk.length, end + 1024);
      this.#text = latin1(chunk, start, this.#textTo);
    }
    this.#textBase = start - this.#textFrom;
    return this.#text;
  }

  /**
   * Builds the head of the section just read, after the checks that need every field.
   * @throws HttpError framing (RFC 9112 §6.1, §6.3) and Host (RFC 9112 §3.2) errors.
   */
  takeHead(line: RequestLine): RequestHead {
    const minor = line.versionMinor;
    const framing = this.#framing;
    const bodyKind = framing.bodyKind(minor);
    if (minor === 1 && framing.hosts === 0) {
      throw new HttpError("WW_HTTP_MISSING_HOST", "HTTP/1.1 request without Host", this.#endAt);
    }
    const text = this.#sectionText();
    const base = this.#textBase;
    const ts = line.targetStart;
    const bytes = this.#rawBytes;
    const start = this.#rawStart;
    return new ParsedHead(
      line.method,
      // "/" is by far the most common target: no string for it.
      line.targetEnd - ts === 1 && bytes[start + ts] === SLASH
        ? "/"
        : text.slice(base + ts, base + line.targetEnd),
      minor,
      new RawHeaderList(text, base, this.#offsets.slice(0, this.#count * 4), this.#count),
      minor === 1 ? !framing.close : framing.keepAlive && !framing.close,
      framing.expectContinue,
      bodyKind,
      bodyKind === "length" ? framing.contentLength : -1,
      bytes,
      start,
      this.#rawEnd,
    );
  }

  /** The trailer section just read. */
  takeTrailers(): RawHeaderList {
    const text = this.#sectionText();
    return new RawHeaderList(
      text,
      this.#textBase,
      this.#offsets.slice(0, this.#count * 4),
      this.#count,
    );
  }
}
