import {
  DEFAULT_TEXT_TYPE,
  isLightResponse,
  LightResponse,
  NativeResponse,
  type ResponseParts,
} from "./light-response.js";
import { isBodylessStatus } from "./status-codes.js";
import type { HttpResponse } from "./types.js";

/**
 * Framing is the server's to choose (Content-Length or chunked, from what the body turns out
 * to be); a Transfer-Encoding copied from the application's Response could contradict it.
 */
const SKIPPED_HEADERS = new Set(["transfer-encoding", "set-cookie"]);

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/** The outcome of a read that was already settled, or `undefined` if it would have to wait. */
async function readIfReady(read: Promise<ReadResult>): Promise<ReadResult | undefined> {
  // Two ticks: a read the stream can serve from its queue (or a closed stream) settles in one.
  return Promise.race([read, Promise.resolve().then(() => undefined)]);
}

function cancel(reader: ReadableStreamDefaultReader<Uint8Array>, reason?: unknown): void {
  reader.cancel(reason).catch(() => {});
}

/**
 * Writes a web `Response` to `out`: its status, its headers (each `Set-Cookie` as a field of
 * its own, `Headers.getSetCookie()`), and its body. A body already complete when it is first
 * read (a string, bytes, a finished stream) goes out with a Content-Length, in one write when
 * small; any other streams chunk by chunk, each write awaited, so a slow client slows the
 * stream's producer down (backpressure). HEAD and bodyless statuses (1xx, 204, 304) send no
 * body: the stream is cancelled, not drained. A client that leaves cancels the stream too.
 *
 * @throws TypeError when `response` is not a Response (the server answers 500 and logs it).
 */
export function sendFetchResponse(
  response: Response,
  out: HttpResponse,
  isHead: boolean,
): Promise<void> {
  const parts = isLightResponse(response) ? LightResponse.partsOf(response) : undefined;
  if (parts !== undefined) return sendParts(parts, out, isHead);
  if (!(response instanceof NativeResponse)) {
    throw new TypeError(`the fetch handler must return a Response, got ${String(response)}`);
  }
  const status = response.status;
  if (status === 0) throw new TypeError("the fetch handler returned Response.error()");
  out.statusCode = status;
  // The body first: another adapter's light Response (srvx's, which h3 builds) becomes a
  // native one on `body`, and only then do its headers include the Content-Type its body implies.
  const body = response.body;
  setHeaders(out, response.headers);
  return sendBody(body, out, status, isHead);
}

/** A light Response's parts, written without ever building the native one. */
function sendParts(parts: ResponseParts, out: HttpResponse, isHead: boolean): Promise<void> {
  const { status, body } = parts;
  out.statusCode = status;
  if (parts.headers !== undefined) {
    setHeaders(out, parts.headers);
  } else {
    const init = parts.init;
    if (init !== undefined && isPlainRecord(init)) {
      // The common case (`{ "content-type": … }`): names as the application spelled them.
      for (const name of Object.keys(init)) {
        // String(): what Headers makes of a number or an array.
        if (name.toLowerCase() !== "transfer-encoding") {
          out.setHeader(name, String((init as Record<string, unknown>)[name]));
        }
      }
    } else if (init !== undefined) {
      // A Headers object is read as it is now (by reference, as @hono/node-server and srvx do);
      // pairs become one, for their duplicates and Set-Cookie handling.
      setHeaders(out, init instanceof Headers ? init : new Headers(init));
    }
    if (typeof body === "string" && !out.hasHeader("content-type")) {
      out.setHeader("content-type", DEFAULT_TEXT_TYPE);
    }
  }
  if (typeof body === "string" || body instanceof Uint8Array) {
    if (isBodylessStatus(status)) return out.end();
    return out.end(body);
  }
  return sendBody(body, out, status, isHead);
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function setHeaders(out: HttpResponse, headers: Headers): void {
  for (const [name, value] of headers) {
    if (!SKIPPED_HEADERS.has(name)) out.setHeader(name, value);
  }
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out.setHeader("set-cookie", cookies);
}

async function sendBody(
  body: ReadableStream<Uint8Array> | null,
  out: HttpResponse,
  status: number,
  isHead: boolean,
): Promise<void> {
  if (body === null) {
    // For HEAD, send the head before ending so that no "Content-Length: 0" claims that the
    // GET body would be empty (RFC 9110 §9.3.2); it is simply unknown here.
    if (isHead) await out.write("");
    await out.end();
    return;
  }
  const reader = body.getReader();
  if (isBodylessStatus(status)) {
    cancel(reader);
    await out.end();
    return;
  }
  try {
    await pump(reader, out, isHead);
  } catch (error) {
    cancel(reader, error);
    throw error;
  }
}

/**
 * Bytes gathered from chunks that are ready at once before the head goes out: enough for any
 * body built in one piece to get a Content-Length, small enough that a fast producer cannot
 * make the server hold a large body instead of streaming it.
 */
const GATHER_BYTES = 64 * 1024;

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  out: HttpResponse,
  isHead: boolean,
): Promise<void> {
  // Gather what is ready at once: if that is the whole body, its length is known.
  const ready: Uint8Array[] = [];
  let gathered = 0;
  let next: Promise<ReadResult> | undefined = reader.read();
  while (gathered < GATHER_BYTES) {
    const result = await readIfReady(next);
    if (result === undefined) break;
    next = undefined;
    if (result.done) {
      await out.end(ready.length === 1 ? ready[0] : Buffer.concat(ready));
      return;
    }
    ready.push(result.value);
    gathered += result.value.length;
    next = reader.read();
  }
  if (isHead) {
    // No body goes out for HEAD, and this one is not finished: do not wait for it, and do
    // not let the server count what was gathered as the whole length.
    cancel(reader);
    await out.write("");
    await out.end();
    return;
  }
  // The head goes out now, even before the first chunk: a client of a slow stream (server-sent
  // events, say) sees the status at once.
  await out.write(ready.length === 0 ? "" : ready.length === 1 ? ready[0]! : Buffer.concat(ready));
  for (;;) {
    const { done, value } = await (next ?? reader.read());
    next = undefined;
    if (done) break;
    await out.write(value);
  }
  await out.end();
}
