import { parseQs } from "@wireweb/querystring";
import { BoardError } from "./errors.js";

/**
 * What a POST carries: the text to store, or a clear: `"ask"` when "Clear Messages" was pressed
 * (any `clear` value but `confirm`), `"confirm"` from the confirmation step; `false` otherwise.
 */
export interface Submission {
  text: string;
  clear: false | "ask" | "confirm";
}

/** A form has two fields at most; a few more are tolerated, thousands are an attack. */
const MAX_FORM_FIELDS = 32;

/** The media type of a `Content-Type` value, lower-cased, parameters dropped; `""` when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  if (contentType === undefined) return "";
  const semicolon = contentType.indexOf(";");
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/** Whether a media type is JSON (`application/json` or any `+json` type). */
export function isJsonMediaType(type: string): boolean {
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * Decodes an `application/x-www-form-urlencoded` body into its fields (blank values kept).
 *
 * @throws BoardError `ERR_INVALID_FORM` (400) for more than 32 fields.
 */
export function parseFormFields(body: Uint8Array): Record<string, string[]> {
  try {
    return parseQs(body, { keepBlankValues: true, maxFields: MAX_FORM_FIELDS });
  } catch (error) {
    throw new BoardError("ERR_INVALID_FORM", 400, "The form has too many fields.", {
      cause: error,
    });
  }
}

/**
 * Decodes an `application/x-www-form-urlencoded` body as the board's forms send it: `message`
 * (or `text`) is the text to store; `clear=confirm` clears, any other `clear` asks to confirm first.
 *
 * @throws BoardError `ERR_INVALID_FORM` (400) for more than 32 fields.
 */
export function parseFormSubmission(body: Uint8Array): Submission {
  const fields = parseFormFields(body);
  // A form has one message field; if a client repeats it, the first one counts.
  const values = fields.message ?? fields.text ?? [];
  const clear =
    fields.clear === undefined ? false : fields.clear[0] === "confirm" ? "confirm" : "ask";
  return { text: values[0] ?? "", clear };
}

/**
 * Decodes a JSON body `{ "text": "…" }` (`message` is accepted as a synonym).
 *
 * @throws BoardError `ERR_INVALID_JSON` (400) when the body is not such an object.
 */
export function parseJsonSubmission(body: Uint8Array): Submission {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    throw new BoardError("ERR_INVALID_JSON", 400, "The body is not valid UTF-8 JSON.", {
      cause: error,
    });
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const text = Object.hasOwn(record, "text") ? record.text : record.message;
    if (typeof text === "string") return { text, clear: false };
  }
  throw new BoardError(
    "ERR_INVALID_JSON",
    400,
    'Send a JSON object with a string "text", e.g. {"text":"Hello"}.',
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Normalizes a message for storage and checks it: line breaks become `\n` (browsers send a
 * textarea's lines as CRLF), unpaired surrogates (possible in JSON) become U+FFFD, and the text
 * must contain something other than white space and fit `maxMessageBytes` UTF-8 bytes.
 *
 * @throws BoardError `ERR_EMPTY_MESSAGE` (400), `ERR_MESSAGE_TOO_LARGE` (413).
 */
export function normalizeMessage(text: string, maxMessageBytes: number): string {
  const normalized = text.replace(/\r\n?/g, "\n").replace(LONE_SURROGATE, "\uFFFD");
  if (/^\s*$/u.test(normalized)) {
    throw new BoardError("ERR_EMPTY_MESSAGE", 400, "Please write a message before saving it.");
  }
  const bytes = Buffer.byteLength(normalized, "utf8");
  if (bytes > maxMessageBytes) {
    throw new BoardError(
      "ERR_MESSAGE_TOO_LARGE",
      413,
      `Your message is ${bytes} bytes long; the limit is ${maxMessageBytes} bytes ` +
        `(letters outside English often take 2 to 4 bytes each). Shorten it by ` +
        `${bytes - maxMessageBytes} bytes and save again.`,
    );
  }
  return normalized;
}
