import { crc32 } from "./crc32.js";
import { MessageStoreError } from "./errors.js";
import { MessageIndex } from "./message-index.js";
import {
  CRC_PREFIX,
  corruptRecord,
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

// The JSON the writer produces for a message: {"seq":N,"postedAt":"<24 chars>","text":"…"}.
const SEQ_KEY = Buffer.from('{"seq":', "latin1");
const POSTED_AT_KEY = Buffer.from(',"postedAt":"', "latin1");
const TEXT_KEY = Buffer.from('","text":"', "latin1");
const POSTED_AT_LENGTH = 24;
const QUOTE = 34; // '"'
const CLOSE_BRACE = 125; // "}"
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const VERSION_LINE = /^wireweb-messages (\d+)$/;

/**
 * Checks a log as it is read: the header, then every complete line's checksum, JSON and order.
 * Call `scan` each time more of the buffer has been filled, then `finish`. Bytes after the last
 * newline are reported as a torn tail, never as an error.
 */
export class LogScanner {
  readonly state: LogState;
  readonly #buf: Buffer;
  readonly #file: string;
  #pos = 0;

  constructor(buf: Buffer, file: string) {
    this.#buf = buf;
    this.#file = file;
    this.state = {
      index: new MessageIndex(file, buf),
      lastSeq: 0,
      lastClearSeq: 0,
      validLength: 0,
      hasHeader: false,
    };
  }

  /**
   * Checks the complete lines within the first `filled` bytes.
   *
   * @throws MessageStoreError ERR_STORE_CORRUPT (with the offending record's byte offset),
   *   ERR_STORE_UNSUPPORTED_VERSION
   */
  scan(filled: number): void {
    // A view bounded by what has been read: indexOf on the full buffer could see stale bytes.
    const view = this.#buf.subarray(0, filled);
    const { state } = this;
    let pos = this.#pos;
    if (!state.hasHeader) {
      const headerEnd = view.indexOf(NEWLINE);
      if (headerEnd === -1) return;
      checkHeader(view.toString("latin1", 0, headerEnd), this.#file);
      state.hasHeader = true;
      pos = headerEnd + 1;
    }
    for (;;) {
      state.validLength = pos;
      const end = view.indexOf(NEWLINE, pos);
      if (end === -1) break;
      readLine(view, pos, end, state, this.#file);
      pos = end + 1;
    }
    this.#pos = pos;
  }

  /**
   * The log's state once all `length` bytes were scanned.
   *
   * @throws MessageStoreError ERR_STORE_CORRUPT when there is no header line and the bytes are
   *   not the start of one
   */
  finish(length: number): LogState {
    // A crash while creating the file leaves a prefix of the header: torn, not corrupt.
    const buf = this.#buf.subarray(0, length);
    if (!this.state.hasHeader && !HEADER_BYTES.subarray(0, length).equals(buf)) {
      throw notALog(this.#file);
    }
    return this.state;
  }
}

/**
 * Checks a whole log at once (see {@link LogScanner}).
 *
 * @throws MessageStoreError ERR_STORE_CORRUPT, ERR_STORE_UNSUPPORTED_VERSION
 */
export function scanLog(buf: Buffer, file: string): LogState {
  const scanner = new LogScanner(buf, file);
  scanner.scan(buf.length);
  return scanner.finish(buf.length);
}

function checkHeader(first: string, file: string): void {
  if (first === HEADER.slice(0, -1)) return;
  const version = VERSION_LINE.exec(first);
  if (version === null) throw notALog(file);
  throw new MessageStoreError(
    "ERR_STORE_UNSUPPORTED_VERSION",
    `message store ${file} has format version ${version[1]}; this version reads version 1; the file was left untouched`,
    { file, offset: 0 },
  );
}

function readLine(buf: Buffer, pos: number, end: number, state: LogState, file: string): void {
  if (end - pos < CRC_PREFIX + 2 || buf[pos + 8] !== SPACE) {
    throw corruptRecord(file, pos, "a malformed line");
  }
  let stored = 0;
  for (let i = pos; i < pos + 8; i++) {
    const digit = HEX_VALUE[buf[i]!]!;
    if (digit < 0) throw corruptRecord(file, pos, "a malformed checksum");
    stored = stored * 16 + digit;
  }
  const computed = crc32(buf, pos + CRC_PREFIX, end);
  if (stored !== computed) {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    throw corruptRecord(
      file,
      pos,
      `checksum mismatch (stored ${hex(stored)}, computed ${hex(computed)})`,
    );
  }
  const seq = fastMessageSeq(buf, pos + CRC_PREFIX, end);
  if (seq > 0) {
    checkOrder(seq, state, file, pos);
    state.index.addOffset(seq, pos);
    return;
  }
  let record: unknown;
  try {
    record = JSON.parse(buf.toString("utf8", pos + CRC_PREFIX, end));
  } catch {
    throw corruptRecord(file, pos, "invalid JSON");
  }
  if (isClear(record)) {
    checkOrder(record.seq, state, file, pos);
    state.lastClearSeq = record.seq;
    state.index = new MessageIndex(file, buf);
    return;
  }
  const message = toMessage(record);
  if (message === undefined) throw corruptRecord(file, pos, "an unknown record type");
  const messageSeq = Number(message.id);
  checkOrder(messageSeq, state, file, pos);
  state.index.add(messageSeq, message);
}

/**
 * The sequence number of a message record in exactly the writer's layout, or 0 if the line
 * has another shape (then the caller parses it fully). The rest of the JSON is checked when the
 * message is first read: the checksum already vouches for the bytes.
 */
function fastMessageSeq(buf: Buffer, start: number, end: number): number {
  if (!startsWith(buf, start, SEQ_KEY)) return 0;
  let i = start + SEQ_KEY.length;
  const digitsStart = i;
  let seq = 0;
  for (let b = buf[i]!; b >= DIGIT_0 && b <= DIGIT_9 && i < end; b = buf[++i]!) {
    seq = seq * 10 + (b - DIGIT_0);
  }
  const digits = i - digitsStart;
  if (digits === 0 || digits > 15 || (buf[digitsStart] === DIGIT_0 && digits > 1)) return 0;
  if (!startsWith(buf, i, POSTED_AT_KEY)) return 0;
  i += POSTED_AT_KEY.length + POSTED_AT_LENGTH;
  if (!startsWith(buf, i, TEXT_KEY)) return 0;
  i += TEXT_KEY.length;
  if (end - i < 2 || buf[end - 2] !== QUOTE || buf[end - 1] !== CLOSE_BRACE) return 0;
  return seq;
}

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > buf.length) return false;
  for (let k = 0; k < prefix.length; k++) if (buf[at + k] !== prefix[k]) return false;
  return true;
}

function checkOrder(seq: number, state: LogState, file: string, offset: number): void {
  if (seq <= state.lastSeq) {
    throw corruptRecord(file, offset, `sequence number ${seq} not above ${state.lastSeq}`);
  }
  state.lastSeq = seq;
}

function notALog(file: string): MessageStoreError {
  return new MessageStoreError(
    "ERR_STORE_CORRUPT",
    `${file} is not a wireweb message log (its first line is not "${HEADER.slice(0, -1)}"); ` +
      "the file was left untouched",
    { file, offset: 0 },
  );
}
