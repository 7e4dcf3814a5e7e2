import type { HttpErrorCode } from "../../src/errors.js";
import { HttpError } from "../../src/errors.js";
import { type ParserOptions, RequestParser } from "../../src/request-parser.js";

/** One parsed message, flattened so that results from different split points compare equal. */
export interface ParsedMessage {
  method: string;
  target: string;
  versionMinor: number;
  headers: [string, string][];
  raw: string;
  keepAlive: boolean;
  expectContinue: boolean;
  bodyKind: "none" | "length" | "chunked";
  contentLength: number;
  body: string;
  trailers?: [string, string][];
}

export interface ParseResult {
  messages: ParsedMessage[];
  error?: { code: HttpErrorCode; status: number; offset: number };
  /** finish() returned: the input ended between messages. */
  complete: boolean;
}

/** Encodes a test string one byte per char (latin1), so "\xff" is the byte 0xFF. */
export function bytes(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, "latin1"));
}

const text = (b: Uint8Array) =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

/**
 * Feeds `pieces` to a fresh parser in order, then calls finish(). Any throw that is not an
 * HttpError propagates (a bug). Body pieces are joined, so only the message content counts.
 */
export function parsePieces(pieces: Uint8Array[], options?: Partial<ParserOptions>): ParseResult {
  const messages: ParsedMessage[] = [];
  let current: ParsedMessage | undefined;
  const parser = new RequestParser(
    {
      onHead(head) {
        current = {
          method: head.method,
          target: head.target,
          versionMinor: head.versionMinor,
          headers: [...head.headers],
          raw: text(head.raw),
          keepAlive: head.keepAlive,
          expectContinue: head.expectContinue,
          bodyKind: head.bodyKind,
          contentLength: head.contentLength,
          body: "",
        };
      },
      onBody(chunk) {
        if (current === undefined) throw new Error("onBody before onHead");
        current.body += text(chunk);
      },
      onTrailers(trailers) {
        if (current === undefined) throw new Error("onTrailers before onHead");
        current.trailers = [...trailers];
      },
      onComplete() {
        if (current === undefined) throw new Error("onComplete before onHead");
        messages.push(current);
        current = undefined;
      },
    },
    options,
  );
  try {
    for (const piece of pieces) {
      const n = parser.execute(piece);
      if (n !== piece.length)
        throw new Error(`execute consumed ${n} of ${piece.length} without a pause`);
    }
    parser.finish();
    return { messages, complete: true };
  } catch (error) {
    if (!HttpError.is(error)) throw error;
    return {
      messages,
      complete: false,
      error: { code: error.code, status: error.status, offset: error.offset },
    };
  }
}

/** `input` cut at the given offsets. */
export function splitAt(input: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(input.subarray(from, cut));
    from = cut;
  }
  out.push(input.subarray(from));
  return out;
}

/** `input` in pieces of `size` bytes. */
export function pieces(input: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < input.length; i += size) out.push(input.subarray(i, i + size));
  return out;
}
