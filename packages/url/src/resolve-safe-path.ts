import { isAbsolute, resolve, sep } from "node:path";
import { decodePath } from "./decode-path.js";
import { UrlError } from "./errors.js";

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const PERCENT = 0x25;
const COLON = 0x3a;
const DOT = 0x2e;

// path.resolve costs more than the rest of a typical call, and a server passes the same root
// every time.
let lastRoot = "";
let lastResolvedRoot = "";

function resolveRoot(root: string): string {
  if (root === lastRoot) return lastResolvedRoot;
  if (typeof root !== "string" || root.length === 0 || !isAbsolute(root)) {
    throw new TypeError(`root must be an absolute path, got ${JSON.stringify(root)}`);
  }
  lastResolvedRoot = resolve(root);
  lastRoot = root;
  return lastResolvedRoot;
}

/** True if `%XX` at `index` encodes "/" or "\" (either case). */
function isEncodedSeparator(rawPath: string, index: number): boolean {
  if (rawPath.charCodeAt(index + 1) === 0x32)
    return (rawPath.charCodeAt(index + 2) | 0x20) === 0x66; // %2F
  if (rawPath.charCodeAt(index + 1) === 0x35)
    return (rawPath.charCodeAt(index + 2) | 0x20) === 0x63; // %5C
  return false;
}

/** Refuses what must never appear in the raw path, before anything is decoded. */
function checkRaw(rawPath: string): boolean {
  let hasEscape = false;
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c > 0x20 && c < 0x7f && c !== BACKSLASH && c !== PERCENT && c !== 0x3f && c !== 0x23)
      continue;
    if (c === PERCENT) {
      hasEscape = true;
      // Refused, not decoded: one raw segment must never become two, and routers that match
      // the raw path would otherwise be bypassed (@fastify/static CVE-2026-6414).
      if (isEncodedSeparator(rawPath, i)) {
        throw new UrlError(
          "WW_URL_ENCODED_SEPARATOR",
          `encoded separator ${rawPath.slice(i, i + 3)} at index ${i}`,
        );
      }
    } else if (c === BACKSLASH) {
      // A separator on Windows whatever this process runs on (vertx-web CVE-2018-12542).
      throw new UrlError("WW_URL_BACKSLASH", `backslash at index ${i}`);
    } else if (c === 0) {
      throw new UrlError("WW_URL_NUL_BYTE", `NUL byte at index ${i}`);
    } else if (c < 0x20 || c === 0x7f) {
      throw new UrlError("WW_URL_CONTROL_CHAR", `control character at index ${i}`);
    } else {
      const what =
        c === 0x20 ? "space" : c === 0x3f ? '"?"' : c === 0x23 ? '"#"' : "non-ASCII character";
      throw new UrlError(
        "WW_URL_INVALID_PATH",
        `raw ${what} at index ${i}; rawPath must be a percent-encoded path without query`,
      );
    }
  }
  return hasEscape;
}

function traversal(rawPath: string, why: string): UrlError {
  return new UrlError("WW_URL_TRAVERSAL", `path ${JSON.stringify(rawPath.slice(0, 200))} ${why}`);
}

/** Refuses decoded names that some file system reads as something else. */
function checkSegment(segment: string): void {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      // Log and header injection; C1 controls too, as a terminal honours some of them.
      throw new UrlError(
        "WW_URL_CONTROL_CHAR",
        `control character U+${c.toString(16).padStart(4, "0")} in a path segment`,
      );
    }
    if (c === COLON) {
      // Drive letters ("C:"), NTFS streams ("::$DATA") and device paths (HTTP.jl JLSEC-2026-612).
      throw new UrlError("WW_URL_COLON", `":" in path segment ${JSON.stringify(segment)}`);
    }
  }
}

/**
 * True for a name made only of dots and spaces. Windows drops trailing dots and spaces from
 * names, so "...", ".. " and ". ." can climb or alias there (Mojolicious #738; CPython #157504,
 * `GET /..%20/secret.txt` against http.server); no real file is worth that risk.
 */
function isDotAlias(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== DOT && c !== 0x20) return false;
  }
  return true;
}

/**
 * Maps a request's raw path onto a file path inside `root`, or refuses. The order follows what
 * the CVEs taught: refuse `\`, `%2F`, `%5C`, controls and NUL before decoding; decode each
 * segment exactly once, strictly (no overlong UTF-8); refuse `:`; then resolve `.`/`..` and
 * **refuse** a climb above the root instead of clamping it (RFC 3986 §5.2.4 clamps, which hides
 * attacks from logs). Empty segments collapse, so `//etc/passwd` stays inside the root.
 *
 * Pure string work: it never touches the file system, so symlinks are the caller's job
 * (`realpath` the result and re-check it against `root + sep`). Dot-files are not refused here;
 * see {@link hasDotSegment}.
 *
 * @param root Absolute directory; normalised with `path.resolve`.
 * @param rawPath The request's path as sent: starts with `/`, still percent-encoded, no query.
 * @returns An absolute path inside `root` (`root` itself for `/`), ending in the platform
 *   separator if the request's path ended in `/` (or in a `.`/`..` segment).
 * @throws {UrlError} 400: `WW_URL_INVALID_PATH`, `WW_URL_BAD_ESCAPE`, `WW_URL_INVALID_UTF8`, `WW_URL_NUL_BYTE`,
 *   `WW_URL_CONTROL_CHAR`. 403: `WW_URL_TRAVERSAL`, `WW_URL_ENCODED_SEPARATOR`, `WW_URL_BACKSLASH`, `WW_URL_COLON`.
 * @throws {TypeError} if `root` is not an absolute path.
 * @example
 * resolveSafePath("/srv/www", "/docs/caf%C3%A9.html"); // "/srv/www/docs/café.html"
 * resolveSafePath("/srv/www", "/%2e%2e/etc/passwd");   // throws UrlError WW_URL_TRAVERSAL (403)
 */
export function resolveSafePath(root: string, rawPath: string): string {
  const base = resolveRoot(root);
  if (typeof rawPath !== "string") throw new TypeError("rawPath must be a string");
  if (rawPath.charCodeAt(0) !== SLASH) {
    throw new UrlError(
      "WW_URL_INVALID_PATH",
      `path must start with "/", got ${JSON.stringify(rawPath.slice(0, 40))}`,
    );
  }
  const hasEscape = checkRaw(rawPath);
  const names: string[] = [];
  let trailing = false;
  let start = 1;
  while (start <= rawPath.length) {
    let end = rawPath.indexOf("/", start);
    if (end === -1) end = rawPath.length;
    const raw = rawPath.slice(start, end);
    start = end + 1;
    trailing = true;
    if (raw.length === 0) continue;
    const name = hasEscape ? decodePath(raw) : raw;
    checkSegment(name);
    const first = name.charCodeAt(0);
    if (name === ".") continue;
    if (name === "..") {
      if (names.length === 0) throw traversal(rawPath, "climbs above the root");
      names.pop();
      continue;
    }
    if ((first === DOT || first === 0x20) && isDotAlias(name)) {
      throw traversal(rawPath, `segment ${JSON.stringify(name)} means "." or ".." on Windows`);
    }
    names.push(name);
    trailing = false;
  }
  if (names.length === 0) return base;
  const joint = base.endsWith(sep) ? "" : sep;
  return base + joint + names.join(sep) + (trailing ? sep : "");
}

/**
 * True if any segment of `path` (split on `/` and `\`) starts with `.`, i.e. names a dot-file
 * or dot-directory such as `.env` or `.git/config`. For a server's dot-file policy, which
 * {@link resolveSafePath} leaves to the caller; pass it the part below the root.
 *
 * @example
 * hasDotSegment("site/.git/config"); // true
 * hasDotSegment("site/a.b/c");       // false
 */
export function hasDotSegment(path: string): boolean {
  if (typeof path !== "string") throw new TypeError("path must be a string");
  for (let i = 0; i < path.length; i++) {
    if (path.charCodeAt(i) !== DOT) continue;
    const before = i === 0 ? SLASH : path.charCodeAt(i - 1);
    if (before === SLASH || before === BACKSLASH) return true;
  }
  return false;
}
