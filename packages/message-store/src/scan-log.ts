import type { FileHandle } from "node:fs/promises";
import { crc32 } from "./crc32.js";
import { MessageStoreError } from "./errors.js";
import { MessageIndex } from "./message-index.js";
import {
  CRC_PREFIX,
  corruptRecord,
  fastMessageSeq,
  HEADER,
  HEADER_BYTES,
  isClear,
  NEWLINE,
  SPACE,
  toMessage,
} from "./record.js";

/** What a log holds, as read at open. */
export interface LogState {
  index: MessageIndex;
  /** Highest sequence number in the log (0 if none): the next record gets `lastSeq + 1`. */
  lastSeq: number;
  /** Sequence number of the last clear record (0 if none). */
  lastClearSeq: number;
  /** Length of the complete lines, header included; bytes after it are a torn tail. */
  validLength: number;
  /** Whether the header line is complete. */
  hasHeader: boolean;
}

const HEX_VALUE = /* @__PURE__ */ (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 16; i++) table["0123456789abcdef".charCodeAt(i)] = i;
  return table;
})();

const VERSION_LINE = /^wireweb-messages (\d+)$/;

/** Longest line accepted: far above any record the writer makes (16 MiB of text, escaped). */
const MAX_LINE_BYTES = 128 * 1024 * 1024;

/**
 * Checks a log as it is read: the header, then every complete line's checksum, JSON and order.
 * Feed it consecutive chunks with `scan`; bytes after the last newline are a torn tail, never
 * an error.
 */
export class LogScanner {
  readonly state: LogState;
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
    this.state = {
      index: new MessageIndex(),
      lastSeq: 0,
      lastClearSeq: 0,
      validLength: 0,
      hasHeader: false,
    };
  }

  /**
   * Checks the complete lines of `chunk`, which holds the log from byte `at` on. Returns how many
   * bytes it consumed (through the last newline); the caller passes the rest again, followed by
   * the next bytes.
   *
   * @throws MessageStoreError WW_STORE_CORRUPT (with the offending record's byte offset),
   *   WW_STORE_UNSUPPORTED_VERSION
   */
  scan(chunk: Buffer, at: number): number {
    const { state } = this;
    let pos = 0;
    if (!state.hasHeader) {
      const headerEnd = chunk.indexOf(NEWLINE);
      if (headerEnd === -1) {
        // Only a prefix of the header can be a header still being read (or torn at creation).
        const length = Math.min(chunk.length, HEADER_BYTES.length);
        if (!HEADER_BYTES.subarray(0, length).equals(chunk.subarray(0, length))) {
          throw notALog(this.#file);
        }
        return 0;
      }
      checkHeader(chunk.toString("latin1", 0, headerEnd), this.#file);
      state.hasHeader = true;
      pos = headerEnd + 1;
    }
    for (;;) {
      state.validLength = at + pos;
      const end = chunk.indexOf(NEWLINE, pos);
      if (end === -1) break;
      readLine(chunk, pos, end, at, state, this.#file);
      pos = end + 1;
    }
    if (chunk.length - pos > MAX_LINE_BYTES) {
      throw corruptRecord(this.#file, at + pos, "a line longer than any record");
    }
    return pos;
  }
}

/**
 * Reads and checks the log behind `handle` (`size` bytes) through one reused buffer.
 *
 * @throws MessageStoreError WW_STORE_CORRUPT, WW_STORE_UNSUPPORTED_VERSION; the file system's
 *   errors as they are
 */
export async function scanFile(
  handle: FileHandle,
  size: number,
  file: string,
  chunkBytes = 4 * 1024 * 1024,
): Promise<LogState> {
  const scanner = new LogScanner(file);
  let buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(size, 1)));
  let base = 0; // log offset of buf[0]
  let filled = 0;
  while (base + filled < size) {
    if (filled === buf.length) {
      // One line fills the buffer: grow it (the scanner caps how far).
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const want = Math.min(buf.length - filled, size - base - filled);
    const { bytesRead } = await handle.read(buf, filled, want, base + filled);
    if (bytesRead === 0) break; // the file shrank under us: what was read is the log
    filled += bytesRead;
    const used = scanner.scan(buf.subarray(0, filled), base);
    buf.copy(buf, 0, used, filled);
    base += used;
    filled -= used;
  }
  return scanner.state;
}

function checkHeader(first: string, file: string): void {
  if (first === HEADER.slice(0, -1)) return;
  const version = VERSION_LINE.exec(first);
  if (version === null) throw notALog(file);
  throw new MessageStoreError(
    "WW_STORE_UNSUPPORTED_VERSION",
    `message store ${file} has format version ${version[1]}; this version reads version 1; the file was left untouched`,
    { file, offset: 0 },
  );
}

function readLine(
  buf: Buffer,
  pos: number,
  end: number,
  at: number,
  state: LogState,
  file: string,
): void {
  const offset = at + pos;
  if (end - pos < CRC_PREFIX + 2 || buf[pos + 8] !== SPACE) {
    throw corruptRecord(file, offset, "a malformed line");
  }
  let stored = 0;
  for (let i = pos; i < pos + 8; i++) {
    const digit = HEX_VALUE[buf[i]!]!;
    if (digit < 0) throw corruptRecord(file, offset, "a malformed checksum");
    stored = stored * 16 + digit;
  }
  const computed = crc32(buf, pos + CRC_PREFIX, end);
  if (stored !== computed) {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    throw corruptRecord(
      file,
      offset,
      `checksum mismatch (stored ${hex(stored)}, computed ${hex(computed)})`,
    );
  }
  let seq = fastMessageSeq(buf, pos + CRC_PREFIX, end);
  if (seq === 0) {
    let record: unknown;
    try {
      record = JSON.parse(buf.toString("utf8", pos + CRC_PREFIX, end));
    } catch {
      throw corruptRecord(file, offset, "invalid JSON");
    }
    if (isClear(record)) {
      checkOrder(record.seq, state, file, offset);
      state.lastClearSeq = record.seq;
      state.index = new MessageIndex();
      return;
    }
    const message = toMessage(record);
    if (message === undefined) throw corruptRecord(file, offset, "an unknown record type");
    seq = Number(message.id);
  }
  checkOrder(seq, state, file, offset);
  state.index.addOffset(seq, offset);
}

function checkOrder(seq: number, state: LogState, file: string, offset: number): void {
  if (seq <= state.lastSeq) {
    throw corruptRecord(file, offset, `sequence number ${seq} not above ${state.lastSeq}`);
  }
  state.lastSeq = seq;
}

function notALog(file: string): MessageStoreError {
  return new MessageStoreError(
    "WW_STORE_CORRUPT",
    `${file} is not a wireweb message log (its first line is not "${HEADER.slice(0, -1)}"); ` +
      "the file was left untouched",
    { file, offset: 0 },
  );
}
