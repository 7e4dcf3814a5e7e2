import { MIME_TYPES } from "./mime-table.js";

/** What unknown extensions are served as: bytes the browser must not guess about (with nosniff). */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

const DOT = 46; // "."
const SLASH = 47; // "/"
const BACKSLASH = 92; // "\"

/**
 * The `Content-Type` for a file name, from a table of about 100 web extensions taken from
 * mime-db (`src/mime-table.ts`), with `charset=utf-8` on every textual type (`text/*`, JSON,
 * JavaScript, `+xml`/`+json` types such as `image/svg+xml`). Unknown extensions, and names with
 * none (`.env` has none, as with `path.extname`), get `application/octet-stream`, never a
 * guess from the bytes. A table in the package keeps the answer the same on every host (Python
 * reads the host's) and the package free of runtime dependencies.
 *
 * @example contentTypeFor("index.html") // "text/html; charset=utf-8"
 * @example contentTypeFor("picture.png") // "image/png"
 */
export function contentTypeFor(fileName: string): string {
  let dot = -1;
  for (let i = fileName.length - 1; i >= 0; i--) {
    const c = fileName.charCodeAt(i);
    if (c === SLASH || c === BACKSLASH) break;
    if (c === DOT) {
      dot = i;
      break;
    }
  }
  if (dot <= 0) return DEFAULT_CONTENT_TYPE;
  const before = fileName.charCodeAt(dot - 1);
  if (before === SLASH || before === BACKSLASH) return DEFAULT_CONTENT_TYPE; // "dir/.env"
  const extension = fileName.slice(dot + 1).toLowerCase();
  // hasOwn: "x.constructor" must not find Object.prototype's.
  return Object.hasOwn(MIME_TYPES, extension) ? MIME_TYPES[extension]! : DEFAULT_CONTENT_TYPE;
}
