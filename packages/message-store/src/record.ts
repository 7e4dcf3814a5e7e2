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
    "ERR_STORE_CORRUPT",
    `message store ${file} is corrupt: ${why} in the record at byte offset ${offset}; ` +
      "the file was left untouched (restore it from a backup, or move the bad region aside by hand)",
    { file, offset },
  );
}

/**
 * Parses the JSON of one line as a message record, checking its shape. `seq` is what the scan
 * already read from the same bytes.
 *
 * @throws MessageStoreError ERR_STORE_CORRUPT
 */
export function decodeMessage(
  source: Buffer,
  offset: number,
  end: number,
  seq: number,
  file: string,
): StoredMessage {
  let record: unknown;
  try {
    record = JSON.parse(source.toString("utf8", offset + CRC_PREFIX, end));
  } catch {
    throw corruptRecord(file, offset, "invalid JSON");
  }
  const message = toMessage(record);
  if (message === undefined || message.id !== String(seq)) {
    throw corruptRecord(file, offset, "not a message record");
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
