import type { FileHandle } from "node:fs/promises";
import { HttpError, type HttpResponse } from "@wireweb/http";
import { StaticError } from "./errors.js";

/**
 * Writes one chunk and waits until the socket has taken it. Resolves false, without waiting
 * further, when the client has gone: the request was aborted, or the write found the
 * connection closed. That ends a download; it is no failure.
 */
export async function writeUnlessGone(
  response: HttpResponse,
  chunk: Uint8Array,
  signal: AbortSignal,
): Promise<boolean> {
  if (signal.aborted) return false;
  const write = response.write(chunk);
  // If the client vanishes mid-write the write may never settle: stop waiting for it then.
  // A listener per write, removed after it, so a 10 GB download does not pile up reactions.
  let onAbort = () => {};
  const settled = new Promise<void>((resolve, reject) => {
    onAbort = resolve;
    write.then(resolve, reject);
  });
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await settled;
  } catch (error) {
    if (HttpError.is(error) && error.code === "WW_HTTP_CONNECTION_CLOSED") return false;
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  return !signal.aborted;
}

/** Chunks read ahead of the one being written: enough that a drained socket finds data ready. */
export const READ_AHEAD = 2;

/**
 * Chunks at least this big are read into again once written (three per stream in turn), instead
 * of a fresh buffer per chunk: a 100 MB download then allocates 3 MiB, not 100, and leaves the
 * garbage collector alone. Safe because a write of a chunk larger than the socket's
 * highWaterMark (16 KiB on Node 20, 64 KiB on 22+) always reports backpressure, so its awaited
 * promise settles only at 'drain', when every byte written so far is in the kernel.
 */
export const RECYCLE_MIN_BYTES = 256 * 1024;

/**
 * Sends bytes `start..end` (inclusive) of an open file in large chunks. Up to
 * {@link READ_AHEAD} chunks are read from disk while the current one is written, and each
 * `write` is awaited, so a slow client holds at most `READ_AHEAD + 1` chunks in memory however
 * big the file is, and a fast one never waits for the disk. Stops quietly when `signal` aborts
 * (the client went away). Resolves with the bytes the socket took.
 * The caller owns `file` and closes it; FileHandle.close waits for reads still in flight.
 *
 * @throws StaticError `WW_STATIC_FILE_CHANGED` when the file ends before `end`.
 */
export async function streamFileRange(
  file: FileHandle,
  start: number,
  end: number,
  response: HttpResponse,
  signal: AbortSignal,
  chunkBytes: number,
): Promise<number> {
  const queue: Promise<Buffer>[] = [];
  /** Written chunks whose buffers may be read into again (see RECYCLE_MIN_BYTES). */
  const spare: Buffer[] = [];
  const recycle = chunkBytes >= RECYCLE_MIN_BYTES;
  let next = start; // first byte not yet asked for
  let sent = 0;
  const fill = () => {
    while (queue.length < READ_AHEAD && next <= end) {
      const length = Math.min(chunkBytes, end - next + 1);
      const reuse = length === chunkBytes ? spare.pop() : undefined;
      const read = readChunk(file, next, length, reuse);
      // Settled later, or never awaited after an abort: must not become an unhandled rejection.
      read.catch(() => {});
      queue.push(read);
      next += length;
    }
  };
  try {
    fill();
    while (queue.length > 0) {
      const expected = Math.min(chunkBytes, end - (start + sent) + 1);
      const chunk = await queue.shift()!;
      // Regular files read short only at their end: the file shrank after its length was sent.
      if (chunk.length < expected) {
        throw new StaticError("WW_STATIC_FILE_CHANGED", "the file got shorter while it was sent");
      }
      fill();
      if (signal.aborted) break;
      if (!(await writeUnlessGone(response, chunk, signal))) break;
      sent += chunk.length;
      // Only after a completed write, never after an abort: the socket may still hold it then.
      if (recycle && chunk.length === chunkBytes) spare.push(chunk);
    }
    return sent;
  } finally {
    await Promise.allSettled(queue);
  }
}

async function readChunk(
  file: FileHandle,
  position: number,
  length: number,
  reuse: Buffer | undefined,
): Promise<Buffer> {
  // Never from Buffer's shared pool: the chunk is handed to the socket.
  const buffer = reuse ?? Buffer.allocUnsafeSlow(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
}

/** Reads a whole small file (up to `size` bytes) into one buffer. */
export async function readWhole(file: FileHandle, size: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await file.read(buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? buffer : buffer.subarray(0, filled);
}
