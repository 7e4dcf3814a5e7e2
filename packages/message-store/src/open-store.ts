import type { Stats } from "node:fs";
import { type FileHandle, mkdir, open, stat, unlink } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { MessageStoreError } from "./errors.js";
import { NODE_FS, readRange, syncFolder, writeAll } from "./file-layer.js";
import { FileMessageStore } from "./file-message-store.js";
import { acquireLock, releaseLock } from "./lock.js";
import { HEADER_BYTES } from "./record.js";
import { scanFile } from "./scan-log.js";
import type { MessageStore, OpenStoreOptions, StoreFileSystem } from "./types.js";

/** Default and ceiling of `maxMessageBytes`. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4096;
const MAX_MESSAGE_BYTES_CEILING = 16 * 1024 * 1024;

/**
 * Opens (or creates, with its folder) the append-only message log at `file` and returns the
 * store writing it. Opening checks every record's CRC-32; a torn last record (the process died
 * mid-write) is copied to `<file>.torn-<time>`, cut off and reported through `onWarning`; any
 * other damage refuses to open and leaves the file exactly as it was. A second process opening
 * the same file is refused through `<file>.lock`.
 *
 * @throws MessageStoreError WW_STORE_CORRUPT (with `file` and `offset`),
 *   WW_STORE_UNSUPPORTED_VERSION, WW_STORE_LOCKED, WW_STORE_IO
 * @throws TypeError or RangeError for a bad argument
 * @example
 * const store = await openStore("data/messages.log");
 * const message = await store.append("hello"); // on disk once this resolves
 * const { messages, next } = await store.list({ limit: 50 });
 * await store.close();
 */
export async function openStore(
  file: string,
  options: OpenStoreOptions = {},
): Promise<MessageStore> {
  if (typeof file !== "string" || file === "") {
    throw new TypeError(`file must be a non-empty path, got ${JSON.stringify(file)}`);
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError("options must be an object");
  }
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (
    !Number.isInteger(maxMessageBytes) ||
    maxMessageBytes < 1 ||
    maxMessageBytes > MAX_MESSAGE_BYTES_CEILING
  ) {
    throw new RangeError(
      `option maxMessageBytes must be an integer from 1 to ${MAX_MESSAGE_BYTES_CEILING}, got ${maxMessageBytes}`,
    );
  }
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  if (typeof onWarning !== "function") throw new TypeError("option onWarning must be a function");
  const layer: StoreFileSystem = { ...NODE_FS, ...options.fs };

  const path = resolve(file);
  // Before the lock, which would otherwise put `null.lock` into /dev for `--data /dev/null`.
  await refuseNonFile(path);
  const folder = dirname(path);
  const madeFolder = await io(path, "create the folder of", () =>
    mkdir(folder, { recursive: true }),
  );
  const lockFile = `${path}.lock`;
  await acquireLock(lockFile, path);
  let handle: FileHandle | undefined;
  try {
    let created = false;
    try {
      handle = await open(path, "r+");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw ioError(path, "open", err);
      handle = await io(path, "create", () => open(path, "wx+"));
      created = true;
    }
    const opened = handle;
    const { size: fileSize } = await io(path, "read", () => opened.stat());
    const state = await io(path, "read", () => scanFile(opened, fileSize, path));
    let size = state.validLength;
    await io(path, "recover", async () => {
      const tail = fileSize - state.validLength;
      if (tail > 0 && state.hasHeader) {
        const torn = await readRange(opened, state.validLength, tail);
        const aside = await quarantine(path, torn, layer);
        await opened.truncate(state.validLength);
        await layer.fsync(opened.fd);
        onWarning(
          `message store ${path}: cut off a torn last record of ${tail} bytes at byte offset ` +
            `${state.validLength} (a write that never completed: the process stopped mid-write, ` +
            `or the write failed and could not be undone; that post was never acknowledged); ` +
            `the bytes were saved to ${aside}`,
        );
      }
      if (!state.hasHeader) {
        if (tail > 0) {
          onWarning(`message store ${path}: completing a header torn while creating the file`);
        }
        await opened.truncate(0);
        await writeAll(layer, opened.fd, HEADER_BYTES, 0);
        await layer.fsync(opened.fd);
        size = HEADER_BYTES.length;
        created = true;
      }
      if (created) await syncFolder(layer, folder);
      if (madeFolder !== undefined) {
        // New folders are durable only once the folder holding each of them is synced too.
        for (let f = folder; f !== dirname(madeFolder); f = dirname(f)) {
          await syncFolder(layer, dirname(f));
        }
      }
      await removeLeftover(`${path}${FileMessageStore.CLEAR_SUFFIX}`, onWarning);
    });
    state.index.attach({ handle: opened, file: path, end: state.validLength });
    return new FileMessageStore({
      file: path,
      lockFile,
      handle: opened,
      layer,
      size,
      state,
      maxMessageBytes,
      onWarning,
    });
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await releaseLock(lockFile).catch(() => undefined);
    throw err;
  }
}

/**
 * A log must be a regular file (or not exist yet): a directory, a device such as /dev/null, a FIFO
 * or a socket would fail later with an errno that names none of that (EINVAL from ftruncate).
 */
async function refuseNonFile(path: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw ioError(path, "open", err);
  }
  if (stats.isFile()) return;
  const kind = stats.isDirectory()
    ? "a directory"
    : stats.isCharacterDevice() || stats.isBlockDevice()
      ? "a device"
      : stats.isFIFO()
        ? "a named pipe"
        : "not a regular file";
  throw new MessageStoreError(
    "WW_STORE_NOT_A_FILE",
    `message store ${path} is ${kind}; the log must be a regular file (it is created if missing)`,
    { file: path },
  );
}

/** Saves a torn tail next to the log, durably, before the log is cut: nothing vanishes. */
async function quarantine(path: string, tail: Uint8Array, layer: StoreFileSystem) {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  for (let n = 0; ; n++) {
    const name = `${path}.torn-${stamp}${n === 0 ? "" : `-${n}`}`;
    let handle: FileHandle;
    try {
      handle = await open(name, "wx");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST" && n < 100) continue;
      throw err;
    }
    try {
      await writeAll(layer, handle.fd, tail, 0);
      await layer.fsync(handle.fd);
    } finally {
      await handle.close();
    }
    await syncFolder(layer, dirname(path));
    return name;
  }
}

/** A temporary file left by a clear that died before its rename: the log never included it. */
async function removeLeftover(name: string, onWarning: (message: string) => void) {
  try {
    await unlink(name);
    onWarning(`message store: removed ${name}, left by a clear that did not finish`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

async function io<T>(path: string, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (MessageStoreError.is(err)) throw err;
    throw ioError(path, action, err);
  }
}

function ioError(path: string, action: string, cause: unknown): MessageStoreError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MessageStoreError(
    "WW_STORE_IO",
    `message store ${path}: cannot ${action} it (${reason})`,
    {
      file: path,
      cause,
    },
  );
}
