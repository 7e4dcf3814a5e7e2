import * as fs from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import type { StoreFileSystem } from "./types.js";

/** node:fs behind the {@link StoreFileSystem} interface. */
export const NODE_FS: StoreFileSystem = {
  write: (fd, buffer, offset, length, position) =>
    new Promise((resolve, reject) => {
      fs.write(fd, buffer, offset, length, position, (err, written) =>
        err ? reject(err) : resolve(written),
      );
    }),
  fdatasync: (fd) =>
    new Promise((resolve, reject) => {
      fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
    }),
  truncate: (fd, length) =>
    new Promise((resolve, reject) => {
      fs.ftruncate(fd, length, (err) => (err ? reject(err) : resolve()));
    }),
  fsync: (fd) =>
    new Promise((resolve, reject) => {
      fs.fsync(fd, (err) => (err ? reject(err) : resolve()));
    }),
};

/** Writes all of `bytes` at `position`, continuing after short writes. */
export async function writeAll(
  layer: StoreFileSystem,
  fd: number,
  bytes: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const written = await layer.write(fd, bytes, done, bytes.length - done, position + done);
    if (!(written > 0)) throw new Error(`write made no progress at byte ${position + done}`);
    done += written;
  }
}

/**
 * fsyncs a folder, which makes a file created or renamed in it durable (POSIX leaves the
 * directory entry in the cache until then).
 */
export async function syncFolder(layer: StoreFileSystem, folder: string): Promise<void> {
  const handle = await open(folder, "r");
  try {
    await layer.fsync(handle.fd);
  } finally {
    await handle.close();
  }
}

/** Reads `length` bytes at `position`; fewer if the file ends first. */
export async function readRange(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return bytes.subarray(0, done);
}
