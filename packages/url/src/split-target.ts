import { UrlError } from "./errors.js";

/** The four request-target forms of RFC 9112 §3.2. */
export type TargetForm = "origin" | "absolute" | "authority" | "asterisk";

/** A request-target split into its parts, nothing decoded. */
export interface SplitTarget {
  form: TargetForm;
  /** The path as sent (`"/"` for an absolute-form target without one, `"*"` for asterisk-form, `""` for authority-form). */
  path: string;
  /** The query without its `?`; `""` if there is none. */
  query: string;
  /** `host[:port]` of absolute-form and authority-form targets. */
  authority?: string;
  /** Lower-cased scheme of an absolute-form target, e.g. `"http"`. */
  scheme?: string;
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const COLON = 0x3a;

// Characters allowed raw in each part. Paths take RFC 3986 pchar plus "/", and also the
// few characters browsers send unencoded ("[", "]", "^", "|", and "\" from non-browser
// clients) so that real requests are not refused; what they mean is resolveSafePath's call.
// Queries take any visible ASCII but "#", as the WHATWG query state leaves those raw.
const PATH_CHARS = new Uint8Array(128);
const QUERY_CHARS = new Uint8Array(128);
const AUTHORITY_CHARS = new Uint8Array(128);
const SCHEME_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  const unreserved = alnum || "-._~".includes(ch);
  const subDelim = "!$&'()*+,;=".includes(ch);
  PATH_CHARS[c] = unreserved || subDelim || ":@/%[]^|\\".includes(ch) ? 1 : 0;
  QUERY_CHARS[c] = c > 0x20 && c < 0x7f && ch !== "#" ? 1 : 0;
  AUTHORITY_CHARS[c] = unreserved || subDelim || ":[]%".includes(ch) ? 1 : 0;
  SCHEME_CHARS[c] = alnum || "+-.".includes(ch) ? 1 : 0;
}

function invalid(target: string, why: string): UrlError {
  const shown = JSON.stringify(target.length > 80 ? `${target.slice(0, 80)}…` : target);
  return new UrlError("WW_URL_INVALID_TARGET", `invalid request-target ${shown}: ${why}`);
}

function describe(target: string, index: number): string {
  const code = target.charCodeAt(index);
  return `character ${code < 0x21 || code > 0x7e ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : JSON.stringify(target[index])} at index ${index}`;
}

/** Splits `path?query` from `start`; checks every character against its part's table. */
function splitPathQuery(target: string, start: number): { path: string; query: string } {
  const length = target.length;
  let i = start;
  for (; i < length; i++) {
    const c = target.charCodeAt(i);
    if (c === QUESTION) break;
    if (c > 0x7f || PATH_CHARS[c] === 0)
      throw invalid(target, `${describe(target, i)} is not allowed in a path`);
  }
  if (i === length) return { path: target.slice(start), query: "" };
  for (let j = i + 1; j < length; j++) {
    const c = target.charCodeAt(j);
    if (c > 0x7f || QUERY_CHARS[c] === 0)
      throw invalid(target, `${describe(target, j)} is not allowed in a query`);
  }
  return { path: target.slice(start, i), query: target.slice(i + 1) };
}

/** Checks `host[:port]` (RFC 3986 §3.2.2, §3.2.3); userinfo is refused per RFC 9110 §4.2.4. */
function checkAuthority(target: string, authority: string, portRequired: boolean): void {
  if (authority.length === 0) throw invalid(target, "empty authority");
  for (let i = 0; i < authority.length; i++) {
    const c = authority.charCodeAt(i);
    if (c === 0x40) throw invalid(target, "userinfo (@) is not allowed in a request-target");
    if (c > 0x7f || AUTHORITY_CHARS[c] === 0) {
      throw invalid(target, `${describe(authority, i)} is not allowed in an authority`);
    }
  }
  let hostEnd: number;
  if (authority.charCodeAt(0) === 0x5b) {
    hostEnd = authority.indexOf("]") + 1;
    if (hostEnd === 0 || authority.lastIndexOf("[") !== 0)
      throw invalid(target, "unbalanced IP-literal brackets");
  } else {
    if (authority.includes("[") || authority.includes("]"))
      throw invalid(target, "brackets outside an IP literal");
    hostEnd = authority.indexOf(":");
    if (hostEnd === -1) hostEnd = authority.length;
  }
  if (hostEnd === 0) throw invalid(target, "empty host");
  if (hostEnd === authority.length) {
    if (portRequired) throw invalid(target, "authority-form needs a port");
    return;
  }
  if (authority.charCodeAt(hostEnd) !== COLON)
    throw invalid(target, "unexpected text after the host");
  const port = authority.slice(hostEnd + 1);
  if (!/^\d{0,5}$/.test(port) || Number(port) > 65535 || (portRequired && port.length === 0)) {
    throw invalid(target, `bad port ${JSON.stringify(port)}`);
  }
}

/**
 * Recognises the form of an HTTP request-target (RFC 9112 §3.2) and splits it into path and
 * query, without decoding anything. Origin-form (`/path?query`) is the common case and costs
 * one scan. Absolute-form needs `scheme://authority`; authority-form (CONNECT) needs a port.
 *
 * @throws {UrlError} `WW_URL_INVALID_TARGET` for an empty target, a character not allowed where it
 *   stands (controls, space, `#`, non-ASCII, `<`, `>`, `"`, `{`, `}`, `` ` `` in a path), userinfo,
 *   or a malformed authority.
 * @example
 * splitTarget("/board/thread?id=42"); // { form: "origin", path: "/board/thread", query: "id=42" }
 */
export function splitTarget(target: string): SplitTarget {
  if (typeof target !== "string") throw new TypeError("target must be a string");
  if (target.length === 0) throw invalid(target, "empty");
  const first = target.charCodeAt(0);
  if (first === SLASH) {
    const { path, query } = splitPathQuery(target, 0);
    return { form: "origin", path, query };
  }
  if (target === "*") return { form: "asterisk", path: "*", query: "" };
  const schemeEnd = target.indexOf("://");
  if (schemeEnd > 0 && isScheme(target, schemeEnd)) {
    const scheme = target.slice(0, schemeEnd).toLowerCase();
    const authorityStart = schemeEnd + 3;
    let authorityEnd = authorityStart;
    while (authorityEnd < target.length) {
      const c = target.charCodeAt(authorityEnd);
      if (c === SLASH || c === QUESTION) break;
      authorityEnd++;
    }
    const authority = target.slice(authorityStart, authorityEnd);
    checkAuthority(target, authority, false);
    const { path, query } = splitPathQuery(target, authorityEnd);
    // RFC 9112 §3.2.2 with RFC 9110 §4.2.3: an empty path means "/".
    return { form: "absolute", path: path === "" ? "/" : path, query, authority, scheme };
  }
  checkAuthority(target, target, true);
  return { form: "authority", path: "", query: "", authority: target };
}

function isScheme(target: string, end: number): boolean {
  const first = target.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a) return false;
  for (let i = 1; i < end; i++) {
    const c = target.charCodeAt(i);
    if (c > 0x7f || SCHEME_CHARS[c] === 0) return false;
  }
  return true;
}
