import type { HttpResponse } from "@wireweb/http";
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

/** Where a send writes, and what it needs to know about the request. */
export interface SendContext {
  response: HttpResponse;
  isHead: boolean;
  signal: AbortSignal;
  chunkBytes: number;
}

/**
 * Answers with a short text/plain body naming the status, e.g. "404 Not Found".
 * Resolves with the body bytes sent.
 */
export async function sendStatus(
  ctx: SendContext,
  status: number,
  headers: Record<string, string> = {},
): Promise<number> {
  const body = `${status} ${REASONS[status] ?? "Error"}\n`;
  ctx.response.writeHead(status, {
    ...headers,
    "Content-Type": "text/plain; charset=utf-8",
    "X-Content-Type-Options": "nosniff",
    "Content-Length": body.length,
  });
  await ctx.response.end(ctx.isHead ? undefined : body);
  return ctx.isHead ? 0 : body.length;
}

/** Answers with an in-memory body (a listing, a redirect note) of the given status and type. */
export async function sendText(
  ctx: SendContext,
  status: number,
  text: string,
  headers: Record<string, string>,
): Promise<number> {
  const body = Buffer.from(text, "utf8");
  ctx.response.writeHead(status, { ...headers, "Content-Length": body.length });
  await ctx.response.end(ctx.isHead ? undefined : body);
  return ctx.isHead ? 0 : body.length;
}

/** 304 Not Modified: the validators and caching fields of the 200, no body. */
export async function sendNotModified(ctx: SendContext, rep: Representation): Promise<number> {
  const headers: Record<string, string> = {};
  for (const name of NOT_MODIFIED_FIELDS) {
    const value = rep.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  ctx.response.writeHead(304, headers);
  await ctx.response.end();
  return 0;
}

/** 416 with `Content-Range: bytes *\/size` and an empty body (RFC 9110 §15.5.17). */
export async function sendUnsatisfiable(ctx: SendContext, rep: Representation): Promise<number> {
  ctx.response.writeHead(416, {
    "Content-Range": `bytes */${rep.size}`,
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
    "Content-Length": 0,
  });
  await ctx.response.end();
  return 0;
}

/** The whole representation with `status` (200, or 404 for a custom not-found page). */
export async function sendWhole(
  ctx: SendContext,
  rep: Representation,
  status: number,
  headers: Record<string, string> = rep.headers,
): Promise<number> {
  const { response } = ctx;
  if (rep.body !== undefined) {
    if (ctx.isHead) {
      response.writeHead(status, { ...headers, "Content-Length": rep.body.length });
      await response.end();
      return 0;
    }
    // The hot path: prebuilt headers, and the body in the same socket write as the head.
    response.writeHead(status, headers);
    await response.end(rep.body);
    return rep.body.length;
  }
  response.writeHead(status, { ...headers, "Content-Length": rep.size });
  return finishStream(ctx, rep, [{ start: 0, end: rep.size - 1 }]);
}

/** 206 with one range and `Content-Range` (RFC 9110 §14.4, §15.3.7). */
export async function sendRange(
  ctx: SendContext,
  rep: Representation,
  range: ByteRange,
): Promise<number> {
  const { response } = ctx;
  const length = range.end - range.start + 1;
  response.writeHead(206, {
    ...rep.headers,
    "Content-Range": formatContentRange(range, rep.size),
    "Content-Length": length,
  });
  if (rep.body !== undefined) {
    await response.end(ctx.isHead ? undefined : rep.body.subarray(range.start, range.end + 1));
    return ctx.isHead ? 0 : length;
  }
  return finishStream(ctx, rep, [range]);
}

/** 206 with several ranges as multipart/byteranges (RFC 9110 §14.6). */
export async function sendMultipart(
  ctx: SendContext,
  rep: Representation,
  ranges: readonly ByteRange[],
): Promise<number> {
  const { response } = ctx;
  const plan = planMultipart(ranges, rep.size, rep.contentType);
  response.writeHead(206, {
    ...rep.headers,
    "Content-Type": plan.contentType,
    "Content-Length": plan.length,
  });
  if (ctx.isHead) {
    await response.end();
    return 0;
  }
  if (rep.body !== undefined) {
    const pieces: Buffer[] = [];
    for (const part of plan.parts) {
      pieces.push(part.head, rep.body.subarray(part.range.start, part.range.end + 1));
    }
    pieces.push(plan.tail);
    await response.end(Buffer.concat(pieces, plan.length));
    return plan.length;
  }
  let sent = 0;
  for (const part of plan.parts) {
    if (!(await writeUnlessGone(response, part.head, ctx.signal))) return sent;
    sent += part.head.length;
    const { start, end } = part.range;
    const partSent = await streamFileRange(
      rep.file!,
      start,
      end,
      response,
      ctx.signal,
      ctx.chunkBytes,
    );
    sent += partSent;
    // Less than the part: the client went away, so there is nothing left to finish.
    if (partSent < end - start + 1) return sent;
  }
  await response.end(plan.tail);
  return sent + plan.tail.length;
}

async function finishStream(
  ctx: SendContext,
  rep: Representation,
  ranges: ByteRange[],
): Promise<number> {
  const { response } = ctx;
  if (ctx.isHead || rep.size === 0) {
    await response.end();
    return 0;
  }
  let sent = 0;
  for (const { start, end } of ranges) {
    const rangeSent = await streamFileRange(
      rep.file!,
      start,
      end,
      response,
      ctx.signal,
      ctx.chunkBytes,
    );
    sent += rangeSent;
    // Less than the range: the client went away, so there is nothing left to finish.
    if (rangeSent < end - start + 1) return sent;
  }
  await response.end();
  return sent;
}
