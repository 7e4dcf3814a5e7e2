import type { HttpRequest, HttpResponse } from "@wireweb/http";
import { streamFileRange, writeUnlessGone } from "./file-stream.js";
import { planMultipart } from "./multipart.js";
import { type ByteRange, formatContentRange } from "./range.js";
import type { Representation } from "./representation.js";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  412: "Precondition Failed",
  416: "Range Not Satisfiable",
  500: "Internal Server Error",
};

/** Header fields a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5). */
const NOT_MODIFIED_FIELDS = [
  "ETag",
  "Last-Modified",
  "Cache-Control",
  "Vary",
  "X-Content-Type-Options",
];

/** Where a send writes, what it needs to know about the request, and what it sent. */
export interface SendContext {
  request: HttpRequest;
  response: HttpResponse;
  isHead: boolean;
  chunkBytes: number;
  /** Body bytes handed to the socket so far (for the access log). */
  sent: number;
}

// Every send returns the promise of its last write, without an `await` of its own where the
// body is in memory: a handler that hands back `end()`'s settled promise costs the server no
// microtask, which is measurable on a cached 1 KB file.

/** Answers with a short text/plain body naming the status, e.g. "404 Not Found". */
export function sendStatus(
  ctx: SendContext,
  status: number,
  headers: Record<string, string> = {},
): Promise<void> {
  const body = Buffer.from(`${status} ${REASONS[status] ?? "Error"}\n`, "latin1");
  ctx.response.writeHead(status, {
    ...headers,
    "Content-Type": "text/plain; charset=utf-8",
    "X-Content-Type-Options": "nosniff",
    "Content-Length": String(body.length),
  });
  if (ctx.isHead) return ctx.response.end();
  ctx.sent += body.length;
  return ctx.response.end(body);
}

/** Answers with an in-memory body (a listing, a redirect note) of the given status and type. */
export function sendText(
  ctx: SendContext,
  status: number,
  text: string,
  headers: Record<string, string>,
): Promise<void> {
  const body = Buffer.from(text, "utf8");
  ctx.response.writeHead(status, { ...headers, "Content-Length": String(body.length) });
  if (ctx.isHead) return ctx.response.end();
  ctx.sent += body.length;
  return ctx.response.end(body);
}

/** 304 Not Modified: the validators and caching fields of the 200, no body. */
export function sendNotModified(ctx: SendContext, rep: Representation): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of NOT_MODIFIED_FIELDS) {
    const value = rep.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  ctx.response.writeHead(304, headers);
  return ctx.response.end();
}

/** 416 with `Content-Range: bytes *\/size` and an empty body (RFC 9110 §15.5.17). */
export function sendUnsatisfiable(ctx: SendContext, rep: Representation): Promise<void> {
  ctx.response.writeHead(416, {
    "Content-Range": `bytes */${rep.size}`,
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
    "Content-Length": "0",
  });
  return ctx.response.end();
}

/** The whole representation with `status` (200, or 404 for a custom not-found page). */
export function sendWhole(
  ctx: SendContext,
  rep: Representation,
  status: number,
  headers: Record<string, string> = rep.headers,
): Promise<void> {
  const { response } = ctx;
  if (rep.body !== undefined) {
    if (ctx.isHead) {
      response.writeHead(status, { ...headers, "Content-Length": String(rep.body.length) });
      return response.end();
    }
    // The hot path: prebuilt headers, and the body in the same socket write as the head.
    response.writeHead(status, headers);
    ctx.sent += rep.body.length;
    return response.end(rep.body);
  }
  response.writeHead(status, { ...headers, "Content-Length": String(rep.size) });
  return finishStream(ctx, rep, [{ start: 0, end: rep.size - 1 }]);
}

/** 206 with one range and `Content-Range` (RFC 9110 §14.4, §15.3.7). */
export function sendRange(ctx: SendContext, rep: Representation, range: ByteRange): Promise<void> {
  const { response } = ctx;
  const length = range.end - range.start + 1;
  response.writeHead(206, {
    ...rep.headers,
    "Content-Range": formatContentRange(range, rep.size),
    "Content-Length": String(length),
  });
  if (rep.body !== undefined) {
    if (ctx.isHead) return response.end();
    ctx.sent += length;
    return response.end(rep.body.subarray(range.start, range.end + 1));
  }
  return finishStream(ctx, rep, [range]);
}

/** 206 with several ranges as multipart/byteranges (RFC 9110 §14.6). */
export async function sendMultipart(
  ctx: SendContext,
  rep: Representation,
  ranges: readonly ByteRange[],
): Promise<void> {
  const { response } = ctx;
  const plan = planMultipart(ranges, rep.size, rep.contentType);
  response.writeHead(206, {
    ...rep.headers,
    "Content-Type": plan.contentType,
    "Content-Length": String(plan.length),
  });
  if (ctx.isHead) return response.end();
  if (rep.body !== undefined) {
    const pieces: Buffer[] = [];
    for (const part of plan.parts) {
      pieces.push(part.head, rep.body.subarray(part.range.start, part.range.end + 1));
    }
    pieces.push(plan.tail);
    ctx.sent += plan.length;
    return response.end(Buffer.concat(pieces, plan.length));
  }
  for (const part of plan.parts) {
    if (!(await writeUnlessGone(response, part.head, ctx.request.signal))) return;
    ctx.sent += part.head.length;
    const { start, end } = part.range;
    const partSent = await streamFileRange(
      rep.file!,
      start,
      end,
      response,
      ctx.request.signal,
      ctx.chunkBytes,
    );
    ctx.sent += partSent;
    // Less than the part: the client went away, so there is nothing left to finish.
    if (partSent < end - start + 1) return;
  }
  ctx.sent += plan.tail.length;
  return response.end(plan.tail);
}

async function finishStream(
  ctx: SendContext,
  rep: Representation,
  ranges: ByteRange[],
): Promise<void> {
  const { response } = ctx;
  if (ctx.isHead || rep.size === 0) return response.end();
  for (const { start, end } of ranges) {
    const rangeSent = await streamFileRange(
      rep.file!,
      start,
      end,
      response,
      ctx.request.signal,
      ctx.chunkBytes,
    );
    ctx.sent += rangeSent;
    // Less than the range: the client went away, so there is nothing left to finish.
    if (rangeSent < end - start + 1) return;
  }
  return response.end();
}
