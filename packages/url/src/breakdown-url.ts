import { UrlError } from "./errors.js";

/** The chapter's "breakdown of a URL", with the fields normalised as the WHATWG URL Standard does. */
export interface UrlBreakdown {
  /** Lower-case scheme with its colon: `"http:"`, `"https:"`, `"ws:"` or `"wss:"`. */
  protocol: string;
  /** The host name, lower-cased and IDNA-encoded (`"xn--..."`); IPv6 in brackets: WHATWG `hostname`. */
  host: string;
  /** The port as a number, the scheme's default (80 http/ws, 443 https/wss) when none is written. */
  port: number;
  /** The path, percent-encoded and with dot segments resolved: WHATWG `pathname`. */
  path: string;
  /** The query without its `?`, `""` if none. */
  query: string;
  /** The fragment without its `#`, `""` if none. */
  fragment: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  "http:": 80,
  "https:": 443,
  "ws:": 80,
  "wss:": 443,
};

// Per-character flags for the fast path: a character without the flag for its part means the
// WHATWG parser would change it (percent-encode, lower-case, strip...) or it needs a closer
// look, so the whole URL goes to the full parser instead.
const IN_HOST = 1; // lower-case letters, digits, "-", ".", "_": kept as-is by domain-to-ASCII
const IN_PATH = 2; // visible ASCII outside the path percent-encode set, less "\" (means "/")
const IN_QUERY = 4; // visible ASCII outside the special-query percent-encode set
const IN_FRAGMENT = 8; // visible ASCII outside the fragment percent-encode set
const FLAGS = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) {
  const ch = String.fromCharCode(c);
  let flags = 0;
  if (/[a-z0-9._-]/.test(ch)) flags |= IN_HOST;
  if (!`"#<>?\`{}^\\`.includes(ch)) flags |= IN_PATH;
  if (!`"#<>'`.includes(ch)) flags |= IN_QUERY;
  if (!'"<>`'.includes(ch)) flags |= IN_FRAGMENT;
  FLAGS[c] = flags;
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;
const COLON = 0x3a;
const DOT = 0x2e;

/** Length of the `scheme://` prefix and the protocol, for the four schemes with a fast path. */
function schemeOf(input: string): string | undefined {
  const c0 = input.charCodeAt(0) | 0x20;
  const c1 = input.charCodeAt(1) | 0x20;
  const c2 = input.charCodeAt(2) | 0x20;
  const c3 = input.charCodeAt(3) | 0x20;
  if (c0 === 0x68 && c1 === 0x74 && c2 === 0x74 && c3 === 0x70) {
    const c4 = input.charCodeAt(4);
    if (c4 === COLON) return "http:";
    if ((c4 | 0x20) === 0x73 && input.charCodeAt(5) === COLON) return "https:";
    return undefined;
  }
  if (c0 === 0x77 && c1 === 0x73) {
    if (input.charCodeAt(2) === COLON) return "ws:";
    if (c2 === 0x73 && input.charCodeAt(3) === COLON) return "wss:";
  }
  return undefined;
}

/** True if `host[start, end)` ends in a number (WHATWG "ends in a number checker"), roughly: its last label starts with a digit. */
function lastLabelStartsWithDigit(input: string, start: number, end: number): boolean {
  const dot = input.lastIndexOf(".", end - 1);
  const first = input.charCodeAt(dot < start ? start : dot + 1);
  return first >= 0x30 && first <= 0x39;
}

/** True for a dotted-quad IPv4 address the WHATWG parser leaves unchanged: 4 decimal parts, no leading zeros, each ≤ 255. */
function isPlainIPv4(host: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= host.length; i++) {
    const c = i === host.length ? DOT : host.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return false; // leading zero: octal in WHATWG
      value = value * 10 + (c - 0x30);
      digits++;
      if (digits > 3) return false;
    } else {
      return false;
    }
  }
  return parts === 4;
}

/** True if the segment `[start, end)` is a dot segment: "." or "..", either dot maybe written "%2e". */
function isDotSegment(input: string, start: number, end: number): boolean {
  let dots = 0;
  let i = start;
  while (i < end) {
    if (input.charCodeAt(i) === DOT) {
      i++;
    } else if (
      input.charCodeAt(i) === 0x25 &&
      input.charCodeAt(i + 1) === 0x32 &&
      (input.charCodeAt(i + 2) | 0x20) === 0x65
    ) {
      i += 3;
    } else {
      return false;
    }
    dots++;
  }
  return i === end && dots > 0 && dots <= 2;
}

/**
 * The breakdown of a plain ASCII http(s)/ws(s) URL that the WHATWG parser would return
 * unchanged, or undefined for anything that needs the full parser: userinfo, IPv6, IDNA,
 * numeric hosts other than dotted quads, characters it would encode, dot segments, "\",
 * whitespace, missing "//". Exported for tests only; not part of the package index.
 */
export function fastBreakdown(input: string): UrlBreakdown | undefined {
  const protocol = schemeOf(input);
  if (protocol === undefined) return undefined;
  let i = protocol.length;
  if (input.charCodeAt(i) !== SLASH || input.charCodeAt(i + 1) !== SLASH) return undefined;
  i += 2;
  const length = input.length;
  const hostStart = i;
  let lower = false;
  let previous = DOT; // a label must not be empty, so the host may not start with "."
  for (; i < length; i++) {
    const c = input.charCodeAt(i);
    if (c === SLASH || c === QUESTION || c === HASH || c === COLON) break;
    if (c >= 0x41 && c <= 0x5a) {
      lower = true;
    } else if (c > 0x7f || ((FLAGS[c] ?? 0) & IN_HOST) === 0) {
      return undefined;
    } else if (c === DOT && previous === DOT) {
      return undefined;
    }
    previous = c;
  }
  const hostEnd = i;
  if (hostEnd === hostStart || previous === DOT) return undefined;
  let host = input.slice(hostStart, hostEnd);
  if (lower) host = host.toLowerCase();
  if (lastLabelStartsWithDigit(input, hostStart, hostEnd) && !isPlainIPv4(host)) return undefined;
  if (host.startsWith("xn--") || host.includes(".xn--")) return undefined;

  let port = DEFAULT_PORTS[protocol] as number;
  if (input.charCodeAt(i) === COLON) {
    i++;
    const portStart = i;
    let value = 0;
    for (; i < length; i++) {
      const c = input.charCodeAt(i);
      if (c === SLASH || c === QUESTION || c === HASH) break;
      if (c < 0x30 || c > 0x39) return undefined;
      value = value * 10 + (c - 0x30);
      if (value > 65535) return undefined;
    }
    if (i > portStart) port = value;
  }

  let path = "/";
  if (input.charCodeAt(i) === SLASH) {
    const pathStart = i;
    let segmentStart = i + 1;
    for (i++; i < length; i++) {
      const c = input.charCodeAt(i);
      if (c === SLASH) {
        if (isDotSegment(input, segmentStart, i)) return undefined;
        segmentStart = i + 1;
      } else if (c > 0x7f || ((FLAGS[c] ?? 0) & IN_PATH) === 0) {
        if (c === QUESTION || c === HASH) break;
        return undefined;
      }
    }
    if (isDotSegment(input, segmentStart, i)) return undefined;
    path = input.slice(pathStart, i);
  }

  let query = "";
  if (input.charCodeAt(i) === QUESTION) {
    const queryStart = ++i;
    for (; i < length; i++) {
      const c = input.charCodeAt(i);
      if (c > 0x7f || ((FLAGS[c] ?? 0) & IN_QUERY) === 0) {
        if (c === HASH) break;
        return undefined;
      }
    }
    query = input.slice(queryStart, i);
  }

  let fragment = "";
  if (input.charCodeAt(i) === HASH) {
    const fragmentStart = ++i;
    for (; i < length; i++) {
      const c = input.charCodeAt(i);
      if (c > 0x7f || ((FLAGS[c] ?? 0) & IN_FRAGMENT) === 0) return undefined;
    }
    fragment = input.slice(fragmentStart);
  }
  return { protocol, host, port, path, query, fragment };
}

/** Full WHATWG parsing through `URL`, for everything the fast path hands over. */
function fullBreakdown(input: string): UrlBreakdown {
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    const shown = JSON.stringify(input.length > 100 ? `${input.slice(0, 100)}…` : input);
    throw new UrlError("WW_URL_INVALID_URL", `invalid URL ${shown}`, { cause: error });
  }
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined) {
    throw new UrlError(
      "WW_URL_UNSUPPORTED_SCHEME",
      `scheme ${url.protocol} is not http, https, ws or wss`,
    );
  }
  return {
    protocol: url.protocol,
    host: url.hostname,
    port: url.port === "" ? defaultPort : Number(url.port),
    path: url.pathname,
    query: url.search.slice(1),
    fragment: url.hash.slice(1),
  };
}

/**
 * Breaks an absolute http, https, ws or wss URL into `{ protocol, host, port, path, query,
 * fragment }`, normalised exactly as the WHATWG URL Standard does (Node's `URL` agrees on every
 * field), with the port a number and the scheme's default filled in. Plain ASCII URLs take a
 * hand-written fast path; anything unusual goes through `URL`.
 *
 * @throws {UrlError} `WW_URL_INVALID_URL` for whatever WHATWG URL rejects (relative URLs included),
 *   `WW_URL_UNSUPPORTED_SCHEME` for a valid URL of another scheme.
 * @example
 * breakdownUrl("http://Example.com/board?page=2#top");
 * // { protocol: "http:", host: "example.com", port: 80, path: "/board", query: "page=2", fragment: "top" }
 */
export function breakdownUrl(input: string): UrlBreakdown {
  if (typeof input !== "string") throw new TypeError("input must be a string");
  return fastBreakdown(input) ?? fullBreakdown(input);
}
