import { randomBytes } from "node:crypto";
import { type ByteRange, formatContentRange } from "./range.js";

/** The head of one part of a multipart/byteranges body, and the range it carries. */
export interface BytePart {
  head: Buffer;
  range: ByteRange;
}

/** A planned multipart/byteranges body (RFC 9110 §14.6): parts, closing delimiter, length. */
export interface MultipartPlan {
  contentType: string;
  parts: BytePart[];
  tail: Buffer;
  /** Exact body length, so the response has a Content-Length. */
  length: number;
}

/**
 * Plans a `multipart/byteranges` body for `ranges` of a `size`-byte file of `contentType`.
 * The boundary is random, so file bytes cannot end a part early by guessing it.
 */
export function planMultipart(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
): MultipartPlan {
  const boundary = randomBytes(12).toString("hex");
  const parts = ranges.map((range, i) => ({
    head: Buffer.from(
      `${i === 0 ? "" : "\r\n"}--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: ${formatContentRange(range, size)}\r\n\r\n`,
      "latin1",
    ),
    range,
  }));
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, "latin1");
  let length = tail.length;
  for (const part of parts) length += part.head.length + part.range.end - part.range.start + 1;
  return { contentType: `multipart/byteranges; boundary=${boundary}`, parts, tail, length };
}
