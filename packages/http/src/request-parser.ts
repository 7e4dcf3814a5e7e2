import {
  CR,
  DQUOTE,
  EQUALS,
  HEX,
  HTAB,
  LF,
  MAX_SAFE_LENGTH,
  QDTEXT,
  QUOTED_PAIR,
  SEMI,
  SP,
  TCHAR,
} from "./bytes.js";
import { HttpError } from "./errors.js";
import { FieldLines } from "./parser-fields.js";
import type { RequestLine } from "./parser-request-line.js";
import type { HeaderList, Limits, RequestHead } from "./types.js";

/** Options of {@link RequestParser}. */
export interface ParserOptions {
  limits: Pick<Limits, "maxLineBytes" | "maxHeaderBytes" | "maxHeaderCount">;
  /** Accept a bare LF as a line end (RFC 9112 §2.2 MAY). Default false: 400. */
  allowBareLf: boolean;
}

/**
 * Default parser limits: an 8 KiB request line (RFC 9112 §3 asks for at least 8000 octets),
 * a 16 KiB head (Node's current default) and 100 field lines.
 */
export const DEFAULT_PARSER_LIMITS: ParserOptions["limits"] = Object.freeze({
  maxLineBytes: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
});

/** Total bytes of chunk extensions accepted per message (RFC 9112 §7.1.1 asks for a cap). */
export const MAX_CHUNK_EXTENSION_BYTES = 4096;

/** What {@link RequestParser} calls as a message goes by. Return `false` to pause after an event. */
export interface ParserCallbacks {
  /** Head complete. Return false to pause right after it. */
  // biome-ignore lint/suspicious/noConfusingVoidType: callbacks that return nothing must fit.
  onHead(head: RequestHead): void | false;
  /** A piece of body: a view (subarray) into the chunk given to execute, never a copy. Return false to pause. */
  // biome-ignore lint/suspicious/noConfusingVoidType: callbacks that return nothing must fit.
  onBody(chunk: Uint8Array): void | false;
  /** Chunked trailers, kept apart from headers (RFC 9112 §7.1.2). Not called if there were none. */
  onTrailers?(trailers: HeaderList): void;
  /** Message complete (also for bodyless requests, right after onHead). Return false to pause. */
  // biome-ignore lint/suspicious/noConfusingVoidType: callbacks that return nothing must fit.
  onComplete(): void | false;
}

// Parser states. The chunk-line states walk RFC 9112 §7.1's grammar one byte at a time.
const S_HEAD = 0;
const S_BODY = 1;
const S_SIZE_FIRST = 2;
const S_SIZE = 3;
const S_EXT_NAME_FIRST = 4;
const S_EXT_NAME = 5;
const S_EXT_VALUE_FIRST = 6;
const S_EXT_TOKEN = 7;
const S_EXT_QUOTED = 8;
const S_EXT_QUOTED_PAIR = 9;
const S_EXT_AFTER_QUOTED = 10;
const S_SIZE_LF = 11;
const S_DATA = 12;
const S_DATA_CR = 13;
const S_DATA_LF = 14;
const S_TRAILERS = 15;
const S_COMPLETE = 16;

/**
 * An incremental, strict HTTP/1.1 request parser (RFC 9112) over bytes. Feed it the bytes of a
 * connection in whatever pieces they arrive; it calls back with each request's head, body
 * pieces (views, never copies), trailers and completion, pipelined messages included.
 *
 * @example
 * const parser = new RequestParser({
 *   onHead: (head) => console.log(head.method, head.target),
 *   onBody: (piece) => void chunks.push(piece),
 *   onComplete: () => console.log("done"),
 * });
 * parser.execute(bytes);
 * parser.finish();
 */
export class RequestParser {
  readonly #cb: ParserCallbacks;
  readonly #allowBareLf: boolean;
  readonly #fields: FieldLines;
  readonly #line: RequestLine = { method: "", targetStart: 0, targetEnd: 0, versionMinor: 1 };
  #state = S_HEAD;
  /** Stream offset of the current chunk's first byte. */
  #offset = 0;
  /** Set once execute or finish has thrown; what they threw is thrown again. */
  #failed = false;
  #failure: unknown;
  /** Body bytes left in the current Content-Length body or chunk. */
  #remaining = 0;
  #chunkSize = 0;
  #extensionBytes = 0;

  /** @throws RangeError if a limit is not a positive integer. */
  constructor(callbacks: ParserCallbacks, options?: Partial<ParserOptions>) {
    const limits = { ...DEFAULT_PARSER_LIMITS, ...options?.limits };
    for (const key of ["maxLineBytes", "maxHeaderBytes", "maxHeaderCount"] as const) {
      const v = limits[key];
      if (!Number.isSafeInteger(v) || v < 1) {
        throw new RangeError(`options.limits.${key} must be a positive integer, got ${v}`);
      }
    }
    this.#cb = callbacks;
    this.#allowBareLf = options?.allowBareLf ?? false;
    this.#fields = new FieldLines(limits, this.#allowBareLf);
  }

  /** True when no part of a message is buffered or in progress (between requests). */
  get idle(): boolean {
    return this.#state === S_HEAD && this.#fields.idle;
  }

  /**
   * True when a message has been read to its end but `onComplete` was not called yet, because a
   * callback paused the parser right before it. `execute` with any chunk, even an empty one,
   * delivers it: a caller that resumes with no bytes left must not wait for more first.
   */
  get completionPending(): boolean {
    return this.#state === S_COMPLETE && !this.#failed;
  }

  /**
   * Parses as much of `chunk` as it can and returns the number of bytes consumed: `chunk.length`
   * unless a callback returned false, in which case it returns the offset just past that event
   * and the caller passes the rest (`chunk.subarray(n)`) to execute later.
   * @throws HttpError (status + stable code + offset into the connection's byte stream). After a throw the parser is dead.
   *   An exception thrown by a callback propagates unchanged and also kills the parser, since the
   *   message it was in cannot be resumed consistently.
   * @throws TypeError if `chunk` is not a Uint8Array.
   */
  execute(chunk: Uint8Array): number {
    if (this.#failed) throw this.#failure;
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(`chunk must be a Uint8Array, got ${typeof chunk}`);
    }
    let n: number;
    this.#fields.newChunk();
    try {
      n = this.#run(chunk);
    } catch (error) {
      this.#failed = true;
      this.#failure = error;
      throw error;
    }
    this.#offset += n;
    return n;
  }

  /**
   * End of input.
   * @throws HttpError WW_HTTP_INCOMPLETE_MESSAGE (400) if a message is partly received.
   */
  finish(): void {
    if (this.#failed) throw this.#failure;
    if (this.#state === S_COMPLETE) {
      // A pause right before completion: the message is whole, deliver it.
      this.#state = S_HEAD;
      this.#cb.onComplete();
    }
    if (!this.idle) {
      this.#failed = true;
      this.#failure = new HttpError(
        "WW_HTTP_INCOMPLETE_MESSAGE",
        "connection ended inside a request",
        this.#offset,
      );
      throw this.#failure;
    }
  }

  #run(chunk: Uint8Array): number {
    const end = chunk.length;
    const cb = this.#cb;
    let p = 0;
    for (;;) {
      switch (this.#state) {
        case S_HEAD: {
          if (p === end) return end;
          p = this.#fields.read(chunk, p, this.#offset, true, this.#line);
          if (p < 0) return end;
          const head = this.#fields.takeHead(this.#line);
          this.#startBody(head);
          if (cb.onHead(head) === false) return p;
          break;
        }
        case S_BODY:
        case S_DATA: {
          if (p === end) return end;
          const n = Math.min(this.#remaining, end - p);
          const piece = chunk.subarray(p, p + n);
          p += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = this.#state === S_BODY ? S_COMPLETE : S_DATA_CR;
          if (cb.onBody(piece) === false) return p;
          break;
        }
        case S_TRAILERS: {
          if (p === end) return end;
          p = this.#fields.read(chunk, p, this.#offset, false, this.#line);
          if (p < 0) return end;
          this.#state = S_COMPLETE;
          if (this.#fields.count > 0 && cb.onTrailers) cb.onTrailers(this.#fields.takeTrailers());
          break;
        }
        case S_COMPLETE: {
          this.#state = S_HEAD;
          if (cb.onComplete() === false) return p;
          break;
        }
        default: {
          if (p === end) return end;
          p = this.#chunkLine(chunk, p, end);
        }
      }
    }
  }

  #startBody(head: RequestHead): void {
    if (head.bodyKind === "chunked") {
      this.#state = S_SIZE_FIRST;
      this.#extensionBytes = 0;
    } else if (head.contentLength > 0) {
      this.#state = S_BODY;
      this.#remaining = head.contentLength;
    } else {
      this.#state = S_COMPLETE;
    }
  }

  /**
   * Walks chunk-size, chunk-ext and the CRLF around chunk data (RFC 9112 §7.1) byte by byte,
   * from `p` until the state leaves the chunk-line states or the chunk ends.
   */
  #chunkLine(chunk: Uint8Array, p: number, end: number): number {
    let state = this.#state;
    for (; p < end; p++) {
      const b = chunk[p]!;
      switch (state) {
        case S_SIZE_FIRST:
        case S_SIZE: {
          const d = HEX[b]!;
          if (d !== 255) {
            const size = this.#chunkSize * 16 + d;
            if (size > MAX_SAFE_LENGTH) {
              this.#fail("WW_HTTP_BODY_TOO_LARGE", "chunk size above 2^53-1", p);
            }
            this.#chunkSize = state === S_SIZE_FIRST ? d : size;
            state = S_SIZE;
            continue;
          }
          if (state === S_SIZE_FIRST) this.#fail("WW_HTTP_INVALID_CHUNK", "chunk size expected", p);
          if (b === SEMI) {
            state = S_EXT_NAME_FIRST;
            this.#countExtension(p);
            continue;
          }
          break;
        }
        case S_EXT_NAME_FIRST:
        case S_EXT_NAME: {
          this.#countExtension(p);
          if (TCHAR[b] === 1) {
            state = S_EXT_NAME;
            continue;
          }
          if (state === S_EXT_NAME_FIRST) {
            this.#fail("WW_HTTP_INVALID_CHUNK", "chunk extension name expected", p);
          }
          if (b === EQUALS) {
            state = S_EXT_VALUE_FIRST;
            continue;
          }
          if (b === SEMI) {
            state = S_EXT_NAME_FIRST;
            continue;
          }
          break;
        }
        case S_EXT_VALUE_FIRST:
        case S_EXT_TOKEN: {
          this.#countExtension(p);
          if (TCHAR[b] === 1) {
            state = S_EXT_TOKEN;
            continue;
          }
          if (state === S_EXT_VALUE_FIRST) {
            if (b === DQUOTE) {
              state = S_EXT_QUOTED;
              continue;
            }
            this.#fail("WW_HTTP_INVALID_CHUNK", "chunk extension value expected", p);
          }
          if (b === SEMI) {
            state = S_EXT_NAME_FIRST;
            continue;
          }
          break;
        }
        case S_EXT_QUOTED: {
          this.#countExtension(p);
          if (b === DQUOTE) state = S_EXT_AFTER_QUOTED;
          else if (b === 92)
            state = S_EXT_QUOTED_PAIR; // "\\"
          else if (QDTEXT[b] !== 1)
            this.#invalidByte(b, p, "invalid byte in quoted chunk extension");
          continue;
        }
        case S_EXT_QUOTED_PAIR: {
          this.#countExtension(p);
          if (QUOTED_PAIR[b] !== 1)
            this.#invalidByte(b, p, "invalid quoted-pair in chunk extension");
          state = S_EXT_QUOTED;
          continue;
        }
        case S_EXT_AFTER_QUOTED: {
          this.#countExtension(p);
          if (b === SEMI) {
            state = S_EXT_NAME_FIRST;
            continue;
          }
          break;
        }
        case S_SIZE_LF: {
          if (b !== LF) this.#fail("WW_HTTP_BARE_CR", "CR not followed by LF", p - 1);
          return this.#endSizeLine(p + 1);
        }
        case S_DATA_CR: {
          if (b === CR) {
            state = S_DATA_LF;
            continue;
          }
          if (b === LF && this.#allowBareLf) {
            this.#state = S_SIZE_FIRST;
            this.#chunkSize = 0;
            return p + 1;
          }
          this.#fail("WW_HTTP_INVALID_CHUNK", "CRLF expected after chunk data", p);
          break;
        }
        case S_DATA_LF: {
          if (b !== LF) this.#fail("WW_HTTP_BARE_CR", "CR not followed by LF", p - 1);
          this.#state = S_SIZE_FIRST;
          this.#chunkSize = 0;
          return p + 1;
        }
      }
      // The end of a chunk-size line: CRLF, or a bare LF where allowed.
      if (b === CR) {
        state = S_SIZE_LF;
        continue;
      }
      if (b === LF) {
        if (this.#allowBareLf) return this.#endSizeLine(p + 1);
        this.#fail("WW_HTTP_BARE_LF", "LF not preceded by CR", p);
      }
      if (b === SP || b === HTAB) {
        // RFC 9112 §7.1.1 allows BWS before ";", but no real sender writes it and parsers that
        // disagree about it are a smuggling vector (llhttp strict refuses it too).
        this.#fail("WW_HTTP_INVALID_CHUNK", "whitespace in chunk line", p);
      }
      this.#invalidByte(b, p, "invalid byte in chunk line");
    }
    this.#state = state;
    return p;
  }

  #endSizeLine(p: number): number {
    if (this.#chunkSize === 0) {
      this.#state = S_TRAILERS;
    } else {
      this.#state = S_DATA;
      this.#remaining = this.#chunkSize;
    }
    this.#chunkSize = 0;
    return p;
  }

  #countExtension(p: number): void {
    if (++this.#extensionBytes > MAX_CHUNK_EXTENSION_BYTES) {
      this.#fail(
        "WW_HTTP_INVALID_CHUNK",
        `chunk extensions above ${MAX_CHUNK_EXTENSION_BYTES} bytes`,
        p,
      );
    }
  }

  #invalidByte(b: number, p: number, message: string): never {
    if (b === CR) this.#fail("WW_HTTP_BARE_CR", "CR not followed by LF", p);
    if (b === LF && !this.#allowBareLf) this.#fail("WW_HTTP_BARE_LF", "LF not preceded by CR", p);
    this.#fail("WW_HTTP_INVALID_CHUNK", message, p);
  }

  #fail(code: HttpError["code"], message: string, p: number): never {
    throw new HttpError(code, message, this.#offset + p);
  }
}
