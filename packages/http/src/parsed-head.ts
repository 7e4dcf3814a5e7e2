import type { HeaderList, RequestHead } from "./types.js";

/**
 * The {@link RequestHead} the parser hands out. `raw` is a view of the bytes the head arrived
 * in, made on first use (so it is a getter, not an own property): a Buffer view costs more than
 * the rest of a small head, and most requests never look at their raw bytes.
 */
export class ParsedHead implements RequestHead {
  readonly method: string;
  readonly target: string;
  readonly versionMinor: number;
  readonly headers: HeaderList;
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
  readonly bodyKind: RequestHead["bodyKind"];
  readonly contentLength: number;
  #raw: Uint8Array | undefined;
  readonly #bytes: Uint8Array;
  readonly #start: number;
  readonly #end: number;

  constructor(
    method: string,
    target: string,
    versionMinor: number,
    headers: HeaderList,
    keepAlive: boolean,
    expectContinue: boolean,
    bodyKind: RequestHead["bodyKind"],
    contentLength: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ) {
    this.method = method;
    this.target = target;
    this.versionMinor = versionMinor;
    this.headers = headers;
    this.keepAlive = keepAlive;
    this.expectContinue = expectContinue;
    this.bodyKind = bodyKind;
    this.contentLength = contentLength;
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
  }

  /** The request line and header section as received, final CRLF CRLF included. */
  get raw(): Uint8Array {
    // A buffer transferred (detached) since parsing has no bytes left to view: an empty view,
    // as a view made at parse time would have become.
    this.#raw ??=
      this.#bytes.byteLength === 0
        ? new Uint8Array(0)
        : this.#bytes.subarray(this.#start, this.#end);
    return this.#raw;
  }
}
