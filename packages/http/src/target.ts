/**
 * The server's split of a request-target into path and query, strict in the same way as
 * `@wireweb/url`'s `splitTarget` (the two packages never import each other; a workspace test,
 * tests/target-agreement.test.ts, checks that they agree on every vector). The parser has
 * already checked the target's bytes and form (RFC 9112 §3.2); this adds what an origin server
 * serves: origin-form, asterisk-form, and absolute-form for http and https only (RFC 9112
 * §3.2.2), with characters allowed where they stand (RFC 3986 §3.3, §3.4).
 */

/** A target the server serves: `path` starts with "/" or is "*". */
export interface RequestTarget {
  /** Not decoded; "/" for an absolute-form target without a path. */
  path: string;
  /** After the first "?", without it; "" if none. */
  query: string;
  /** `host[:port]` of an absolute-form target: it replaces Host (RFC 9112 §3.2.2). */
  authority?: string;
}

const SLASH = 0x2f; // "/"
const QUESTION = 0x3f; // "?"
const COLON = 0x3a; // ":"

// The same tables as @wireweb/url's splitTarget. Paths take RFC 3986 pchar plus "/" and the few
// characters browsers send unencoded ("[", "]", "^", "|", and "\" from non-browser clients);
// `"`, "<", ">", "`", "{", "}" are refused (browsers always encode them). Queries take any
// visible ASCII but "#".
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

/**
 * Checks the path and query of `target` from `start`: the index of the "?" that starts the
 * query, `length` when there is none, or -1 when a character is not allowed where it stands.
 */
function scanPathQuery(target: string, start: number): number {
  const length = target.length;
  let i = start;
  for (; i < length; i++) {
    const c = target.charCodeAt(i);
    if (c === QUESTION) break;
    if (c > 0x7f || PATH_CHARS[c] === 0) return -1;
  }
  for (let j = i + 1; j < length; j++) {
    const c = target.charCodeAt(j);
    if (c > 0x7f || QUERY_CHARS[c] === 0) return -1;
  }
  return i;
}

/**
 * The common case without allocating: for an origin-form target ("/…"), the index of its "?"
 * (its length when there is none), or -1 if it is refused or not origin-form.
 */
export function scanOriginForm(target: string): number {
  if (target.charCodeAt(0) !== SLASH) return -1;
  return scanPathQuery(target, 0);
}

/**
 * Splits a request-target the server will serve, or returns undefined for one it refuses with
 * 400: a character not allowed in its part, a scheme other than http or https, an absolute
 * URI without an authority, userinfo, a malformed host or port, or authority-form (CONNECT
 * never reaches this).
 *
 * @example
 * splitRequestTarget("/a/b?x=1"); // { path: "/a/b", query: "x=1" }
 * splitRequestTarget("http://example.com:8080?q"); // { path: "/", query: "q", authority: "example.com:8080" }
 * splitRequestTarget("a:b/../x"); // undefined
 */
export function splitRequestTarget(target: string): RequestTarget | undefined {
  const length = target.length;
  if (length === 0) return undefined;
  if (target.charCodeAt(0) === SLASH) {
    const question = scanPathQuery(target, 0);
    if (question === -1) return undefined;
    return question === length
      ? { path: target, query: "" }
      : { path: target.slice(0, question), query: target.slice(question + 1) };
  }
  if (target === "*") return { path: "*", query: "" };
  // absolute-form: scheme "://" authority path-abempty [ "?" query ]
  const schemeEnd = target.indexOf("://");
  if (schemeEnd <= 0 || !isScheme(target, schemeEnd)) return undefined;
  const scheme = target.slice(0, schemeEnd).toLowerCase();
  if (scheme !== "http" && scheme !== "https") return undefined;
  const authorityStart = schemeEnd + 3;
  let authorityEnd = authorityStart;
  while (authorityEnd < length) {
    const c = target.charCodeAt(authorityEnd);
    if (c === SLASH || c === QUESTION) break;
    authorityEnd++;
  }
  const authority = target.slice(authorityStart, authorityEnd);
  if (!isAuthority(authority)) return undefined;
  const question = scanPathQuery(target, authorityEnd);
  if (question === -1) return undefined;
  // RFC 9112 §3.2.2 with RFC 9110 §4.2.3: an empty path means "/".
  const path = question === authorityEnd ? "/" : target.slice(authorityEnd, question);
  const query = question === length ? "" : target.slice(question + 1);
  return { path, query, authority };
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

/** `host [":" port]` (RFC 3986 §3.2.2, §3.2.3); userinfo is refused (RFC 9110 §4.2.4). */
function isAuthority(authority: string): boolean {
  if (authority.length === 0) return false;
  for (let i = 0; i < authority.length; i++) {
    const c = authority.charCodeAt(i);
    if (c > 0x7f || AUTHORITY_CHARS[c] === 0) return false; // "@" is not in the table
  }
  let hostEnd: number;
  if (authority.charCodeAt(0) === 0x5b /* "[" */) {
    hostEnd = authority.indexOf("]") + 1;
    if (hostEnd === 0 || authority.lastIndexOf("[") !== 0) return false;
  } else {
    if (authority.includes("[") || authority.includes("]")) return false;
    hostEnd = authority.indexOf(":");
    if (hostEnd === -1) hostEnd = authority.length;
  }
  if (hostEnd === 0) return false;
  if (hostEnd === authority.length) return true;
  if (authority.charCodeAt(hostEnd) !== COLON) return false;
  const port = authority.slice(hostEnd + 1);
  return /^\d{0,5}$/.test(port) && Number(port) <= 65535;
}
