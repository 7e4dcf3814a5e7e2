import { charset, lookup } from "mime-types";

/** What unknown extensions are served as: bytes the browser must not guess about (with nosniff). */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/**
 * The `Content-Type` for a file name, from the mime-db database (through mime-types), with
 * `charset=utf-8` added for every textual type: `text/*`, and the types mime-db marks as UTF-8,
 * plus `+xml`/`+json` structured-syntax types (RFC 6839) such as `image/svg+xml`.
 * Unknown extensions get `application/octet-stream`, never a guess from the bytes.
 *
 * @example contentTypeFor("index.html") // "text/html; charset=utf-8"
 * @example contentTypeFor("picture.png") // "image/png"
 */
export function contentTypeFor(fileName: string): string {
  const type = lookup(fileName);
  if (type === false) return DEFAULT_CONTENT_TYPE;
  return isTextual(type) ? `${type}; charset=utf-8` : type;
}

/** Whether a media type carries text, so a charset parameter belongs on it. */
export function isTextual(type: string): boolean {
  if (type.startsWith("text/")) return true;
  if (type.endsWith("+xml") || type.endsWith("+json")) return true;
  return charset(type) === "UTF-8";
}
