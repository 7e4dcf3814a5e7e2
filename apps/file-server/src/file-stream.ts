import type { FileHandle } from "node:fs/promises";
import type { Response } from "@wireweb/http";

/** Thrown when a file got shorter while it was being sent, after its length was promised. */
export class FileChangedError extends Error {
  override readonly name = "FileChangedError";
  readonly code = "ERR_FILE_CHANGED";
}

/** Resolves when `signal` aborts; `dispose` removes the listener. */
export interface AbortWatch {
  aborted: Promise<void>;
  dispose(): void;
}

/** Watches a request's signal so a write to a vanished client can be abandoned. */
export function watchAbort(signal: AbortSignal): AbortWatch {
  let dispose = () => {};
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
    dispose = () => signal.removeEventListener("abort", resolve as () => void);
  });
  return { aborted, dispose };
}

/**
 * Sends bytes `start..end` (inclusive) of an open file, one large chunk at a time: the next
 * chunk is read from disk while the previous one is being written, and each `write` is awaited,
 * so a slow client holds at most two chunks in memory however big the file is. Stops quietly
 * when `signal` aborts (the client went away). Resolves with the bytes handed to the socket.
 * The caller owns `file` and closes it; FileHandle.close waits for a read still in flight.
 *
 * @throws FileChangedError `ERR_FILE_CHANGED` when the file ends before `end`.
 */
export async function streamFileRange(
  file: FileHandle,
  start: number,
  end: number,
  response: Response,
  signal: AbortSignal,
  chunkBytes: number,
): Promise<number> {
  const watch = watchAbort(signal);
  let position = start;
  let sent = 0;
  let pending: Promise<Buffer> | undefined = readChunk(file, position, end, chunkBytes);
  try {
    while (pending !== undefined) {
      const chunk = await pending;
      pending = undefined;
      if (chunk.length === 0) throw new FileChangedError("the file got shorter while it was sent");
      position += chunk.length;
      if (position <= end) pending = readChunk(file, position, end, chunkBytes);
      if (signal.aborted) break;
      const write = response.write(chunk);
      // If the client vanishes mid-write the write may never settle: stop waiting for it then.
      write.catch(() => {});
      await Promise.race([write, watch.aborted]);
      if (signal.aborted) break;
      sent += chunk.length;
    }
    return sent;
  } finally {
    watch.dispose();
    // A read-ahead left behind by an abort or an error must not become an unhandled rejection.
    pending?.catch(() => {});
    if (pending !== undefined) await pending.catch(() => {});
  }
}

async function readChunk(
  file: FileHandle,
  position: number,
  end: number,
  chunkBytes: number,
): Promise<Buffer> {
  const length = Math.min(chunkBytes, end - position + 1);
  // Not from the shared pool: the chunk is handed to the socket and must not be reused.
  const buffer = Buffer.allocUnsafeSlow(length);
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
