import { crc32 } from "./crc32.js";
import { MessageStoreError } from "./errors.js";
import type { StoredMessage } from "./types.js";

// On disk: the header line, then one record per line, `<crc32 as 8 hex digits> <json>\n`, the CRC
// taken over the JSON's UTF-8 bytes. A person can `cat` it; JSON escapes every "\n" in a text,
// so a newline byte only ever ends a record.

/** First line of every log; the number is the format version. */
export const HEADER = "wireweb-messages 1\n";
export const HEADER_BYTES = Buffer.from(HEADER, "latin1");

/** Width of `<crc> ` before the JSON. */
export const CRC_PREFIX = 9;

export const NEWLINE = 10; // "\n"
export const SPACE = 32; // " "

/** A record as written: a message, or a clear that empties the board. */
export type LogRecord =
  | { seq: number; postedAt: string; text: string }
  | { seq: number; type: "clear" };

// The JSON the writer produces for a message: {"seq":N,"postedAt":"<24 chars>","text":"…"}.
const SEQ_KEY = Buffer.from('{"seq":', "latin1");
const POSTED_AT_KEY = Buffer.from(',"postedAt":"', "latin1");
const TEXT_KEY = Buffer.from('","text":"', "latin1");
const POSTED_AT_LENGTH = 24;
const QUOTE = 34; // '"'
const CLOSE_BRACE = 125; // "}"
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * The sequence number of a message record in exactly the writer's layout, or 0 if the line
 * has another shape (then the caller parses it fully). The rest of the JSON is checked when the
 * message is first read: the checksum already vouches for the bytes.
 */
export function fastMessageSeq(buf: Buffer, start: number, end: number): number {
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

const HEX_DIGITS = "0123456789abcdef";

/** Encodes `records` as consecutive log lines in one buffer (one write for a whole batch). */
export function encodeRecords(records: readonly LogRecord[]): Buffer {
  let text = "";
  // Key order is fixed (seq, postedAt, text): the open-time fast path relies on it.
  for (const record of records) text += `00000000 ${JSON.stringify(record)}\n`;
  const bytes = Buffer.from(text, "utf8");
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    let crc = crc32(bytes, start + CRC_PREFIX, end);
    for (let i = start + 7; i >= start; i--) {
      bytes[i] = HEX_DIGITS.charCodeAt(crc & 15);
      crc >>>= 4;
    }
    start = end + 1;
  }
  return bytes;
}

/** Builds the error for a complete record that is not what the writer writes. */
export function corruptRecord(file: string, offset: number, why: string): MessageStoreError {
  return new MessageStoreError(
    "WW_STORE_CORRUPT",
    `message store ${file} is corrupt: ${why} in the record at byte offset ${offset}; ` +
      "the file was left untouched (restore it from a backup, or move the bad region aside by hand)",
    { file, offset },
  );
}

/**
 * Parses the line at `bytes[start..end)` (checksum prefix included, newline excluded) as a message
 * record, checking its shape. `seq` is what the scan already read from the same bytes; `fileOffset`
 * is where the line starts in the log, for the error.
 *
 * @throws MessageStoreError WW_STORE_CORRUPT
 */
export function decodeMessage(
  bytes: Buffer,
  start: number,
  end: number,
  seq: number,
  file: string,
  fileOffset: number,
): StoredMessage {
  if (fastMessageSeq(bytes, start + CRC_PREFIX, end) === seq) {
    // The writer's layout: read postedAt in place and parse only the text's JSON string.
    const postedAtStart =
      start + CRC_PREFIX + SEQ_KEY.length + String(seq).length + POSTED_AT_KEY.length;
    const postedAt = bytes.toString("latin1", postedAtStart, postedAtStart + POSTED_AT_LENGTH);
    const textStart = postedAtStart + POSTED_AT_LENGTH + TEXT_KEY.length - 1;
    let text: unknown;
    try {
      text = JSON.parse(bytes.toString("utf8", textStart, end - 1));
    } catch {
      throw corruptRecord(file, fileOffset, "invalid JSON");
    }
    if (typeof text !== "string" || !ISO_UTC_MS.test(postedAt)) {
      throw corruptRecord(file, fileOffset, "not a message record");
    }
    return Object.freeze({ id: String(seq), text, postedAt });
  }
  let record: unknown;
  try {
    record = JSON.parse(bytes.toString("utf8", start + CRC_PREFIX, end));
  } catch {
    throw corruptRecord(file, fileOffset, "invalid JSON");
  }
  const message = toMessage(record);
  if (message === undefined || message.id !== String(seq)) {
    throw corruptRecord(file, fileOffset, "not a message record");
  }
  return message;
}

const ISO_UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The message a parsed record describes, or undefined if it is not a message record. */
export function toMessage(record: unknown): StoredMessage | undefined {
  if (typeof record !== "object" || record === null) return undefined;
  const { seq, postedAt, text, ...rest } = record as Record<string, unknown>;
  if (!isSeq(seq) || typeof text !== "string" || typeof postedAt !== "string") return undefined;
  if (!ISO_UTC_MS.test(postedAt) || Object.keys(rest).length > 0) return undefined;
  return Object.freeze({ id: String(seq), text, postedAt });
}

/** Whether `record` is a clear record. */
export function isClear(record: unknown): record is { seq: number; type: "clear" } {
  if (typeof record !== "object" || record === null) return false;
  const keys = Object.keys(record);
  const r = record as Record<string, unknown>;
  return keys.length === 2 && r.type === "clear" && isSeq(r.seq);
}

function isSeq(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}
