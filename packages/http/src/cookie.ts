/**
 * Cookies on the server side: reading a `Cookie` request header and writing a `Set-Cookie`
 * response header (RFC 6265; draft-ietf-httpbis-rfc6265bis for prefixes, limits and SameSite;
 * CHIPS for Partitioned). Reading is lenient, as browsers send whatever they stored; writing is
 * strict, so a `Set-Cookie` this module produces is one every browser stores as written, and no
 * name, value or attribute can smuggle a `;`, a line break or another header into it.
 */

/** Attributes of a `Set-Cookie` header (RFC 6265 §4.1.2; rfc6265bis §4.1.2). */
export interface CookieOptions {
  /**
   * Lifetime in whole seconds (`Max-Age`); 0 or less deletes the cookie now. Takes precedence
   * over `expires`. Browsers cap lifetimes at 400 days (rfc6265bis §5.6.2).
   */
  maxAge?: number;
  /** Expiry date (`Expires`, an IMF-fixdate); years 1601 to 9999. */
  expires?: Date;
  /** `Domain`: send to this host and its subdomains. Absent: this host only (safer). */
  domain?: string;
  /** `Path`: must start with `/`. Absent: the browser uses the request path's directory. */
  path?: string;
  /** `Secure`: HTTPS only. Required by `SameSite=None`, `Partitioned` and the `__` prefixes. */
  secure?: boolean;
  /** `HttpOnly`: invisible to `document.cookie`. */
  httpOnly?: boolean;
  /** `SameSite`: when cross-site requests carry the cookie. `None` requires `secure`. */
  sameSite?: "Strict" | "Lax" | "None";
  /** `Partitioned` (CHIPS): one jar per top-level site. Requires `secure`. */
  partitioned?: boolean;
}

// RFC 9110 §5.6.2 tchar: the cookie-name of RFC 6265 §4.1.1 and of rfc6265bis.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265 §4.1.1 cookie-value: cookie-octets, optionally inside one pair of DQUOTEs. The octets
// leave out CTLs, space, DQUOTE, comma, semicolon and backslash; nothing outside US-ASCII.
const COOKIE_VALUE =
  /^(?:[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*|"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*")$/;
// RFC 1034 §3.5 labels (RFC 1123 §2.1 lets them start with a digit), 63 octets each. A leading
// "." is allowed: browsers ignore it (rfc6265bis §5.6.3), and old servers send it.
const DOMAIN =
  /^\.?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
// rfc6265bis path-value: av-octets (any CHAR but CTLs and ";"), here also starting with "/".
const PATH = /^\/[\x20-\x3A\x3C-\x7E]*$/;

/** rfc6265bis §5.7 step 1: a browser ignores a cookie whose name and value exceed this. */
const MAX_COOKIE_PAIR_BYTES = 4096;
/** rfc6265bis §5.7: a browser ignores an attribute value longer than this. */
const MAX_ATTRIBUTE_BYTES = 1024;

/**
 * Reads a `Cookie` request header into a null-prototype object (`name → value`). Follows what
 * browsers send (rfc6265bis §5.8.3, `cookie-pair *( ";" SP cookie-pair )`) and tolerates what
 * other clients send: pairs split at `;`, each at its first `=`; spaces and tabs around names and
 * values are dropped; a pair without `=` (a browser's "nameless" cookie) or with an empty name is
 * skipped; when a name repeats, the first value wins (browsers list the most specific path first,
 * RFC 6265 §5.4 step 2). Values are returned as sent: no `%`-decoding, surrounding quotes kept
 * (rfc6265bis §4.1.1: they are part of the value). Never throws.
 *
 * Pass every `Cookie` field line (`request.headers.getAll("cookie")`): HTTP/2 gateways may split
 * the header, and joining lines with `", "` (as `headers.get` does) would corrupt a value.
 *
 * @example parseCookies("sid=abc; theme=dark") // { sid: "abc", theme: "dark" }
 */
export function parseCookies(
  header: string | readonly string[] | undefined,
): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  if (header === undefined) return cookies;
  const lines = typeof header === "string" ? [header] : header;
  for (const line of lines) {
    let start = 0;
    while (start < line.length) {
      let end = line.indexOf(";", start);
      if (end === -1) end = line.length;
      const equals = line.indexOf("=", start);
      if (equals !== -1 && equals < end) {
        const name = trimWhitespace(line, start, equals);
        // `in` on a null-prototype object sees own keys only, so "__proto__" is just a name.
        if (name !== "" && !(name in cookies)) {
          cookies[name] = trimWhitespace(line, equals + 1, end);
        }
      }
      start = end + 1;
    }
  }
  return cookies;
}

/** `text.slice(start, end)` without leading and trailing SP and HTAB (rfc6265bis §5.6 WSP). */
function trimWhitespace(text: string, start: number, end: number): string {
  while (start < end && isWhitespace(text.charCodeAt(start))) start++;
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

function isWhitespace(code: number): boolean {
  return code === 32 /* " " */ || code === 9 /* "\t" */;
}

/**
 * Builds a `Set-Cookie` header value (the part after `Set-Cookie: `). Attributes come in a fixed
 * order (`Max-Age`, `Domain`, `Path`, `Expires`, `HttpOnly`, `Secure`, `Partitioned`,
 * `SameSite`). To delete a cookie, send it again with the same `path` and `domain` and
 * `maxAge: 0`. The value is written as given: encode anything beyond the allowed characters
 * yourself (base64url, or `encodeURIComponent`).
 *
 * The name prefixes (rfc6265bis §4.1.3, matched case-insensitively as browsers do) are enforced
 * here rather than left for the browser to drop the cookie silently: `__Secure-` needs `secure`;
 * `__Host-` also needs `path: "/"` and no `domain`; `__Http-` needs `secure` and `httpOnly`;
 * `__Host-Http-` needs all of that.
 *
 * @throws TypeError when the name is not an RFC 9110 token, the value has a character outside
 * RFC 6265's cookie-octets (CTLs, space, `"` except as an enclosing pair, `,`, `;`, `\`,
 * non-ASCII), an attribute is malformed (`maxAge` not an integer, `expires` not a valid date in
 * 1601–9999, `domain` not a host name, `path` not starting with `/` or holding a CTL or `;`, an
 * unknown `sameSite`), or a rule is broken (`SameSite=None` or `Partitioned` without `Secure`, a
 * prefix's requirements).
 * @throws RangeError when name and value exceed 4096 bytes, or `domain` or `path` 1024 bytes:
 * browsers would ignore the cookie or the attribute.
 * @example
 * serializeCookie("__Host-sid", token, { secure: true, httpOnly: true, path: "/", sameSite: "Strict" })
 * // "__Host-sid=…; Path=/; HttpOnly; Secure; SameSite=Strict"
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (typeof name !== "string" || !TOKEN.test(name)) {
    throw new TypeError(`cookie name is invalid: ${JSON.stringify(name)}`);
  }
  if (typeof value !== "string" || !COOKIE_VALUE.test(value)) {
    throw new TypeError(`cookie value is invalid: ${JSON.stringify(value)}`);
  }
  if (name.length + value.length > MAX_COOKIE_PAIR_BYTES) {
    throw new RangeError(
      `cookie ${name} is ${name.length + value.length} bytes; browsers ignore cookies over ${MAX_COOKIE_PAIR_BYTES}`,
    );
  }
  const { maxAge, expires, domain, path, secure, httpOnly, sameSite, partitioned } = options;
  let header = `${name}=${value}`;
  if (maxAge !== undefined) {
    if (!Number.isSafeInteger(maxAge)) {
      throw new TypeError(`cookie maxAge is invalid: ${String(maxAge)}`);
    }
    header += `; Max-Age=${maxAge}`;
  }
  if (domain !== undefined) {
    if (typeof domain !== "string" || !DOMAIN.test(domain)) {
      throw new TypeError(`cookie domain is invalid: ${JSON.stringify(domain)}`);
    }
    checkAttributeLength("domain", domain);
    header += `; Domain=${domain}`;
  }
  if (path !== undefined) {
    if (typeof path !== "string" || !PATH.test(path)) {
      throw new TypeError(`cookie path is invalid: ${JSON.stringify(path)}`);
    }
    checkAttributeLength("path", path);
    header += `; Path=${path}`;
  }
  if (expires !== undefined) {
    const year = expires instanceof Date ? expires.getUTCFullYear() : Number.NaN;
    // Outside these years toUTCString() is not an IMF-fixdate (RFC 9110 §5.6.7) and the cookie
    // date algorithm (rfc6265bis §5.4.1) refuses years before 1601.
    if (!(year >= 1601 && year <= 9999)) {
      throw new TypeError(`cookie expires is invalid: ${String(expires)}`);
    }
    header += `; Expires=${expires.toUTCString()}`;
  }
  if (httpOnly === true) header += "; HttpOnly";
  if (secure === true) header += "; Secure";
  if (partitioned === true) {
    // CHIPS: browsers drop a Partitioned cookie that is not Secure.
    if (secure !== true) throw new TypeError(`cookie ${name}: Partitioned requires Secure`);
    header += "; Partitioned";
  }
  if (sameSite !== undefined) {
    if (sameSite !== "Strict" && sameSite !== "Lax" && sameSite !== "None") {
      throw new TypeError(`cookie sameSite is invalid: ${JSON.stringify(sameSite)}`);
    }
    // rfc6265bis §5.7 step 18: a SameSite=None cookie without Secure is ignored.
    if (sameSite === "None" && secure !== true) {
      throw new TypeError(`cookie ${name}: SameSite=None requires Secure`);
    }
    header += `; SameSite=${sameSite}`;
  }
  checkPrefix(name, options);
  return header;
}

function checkAttributeLength(attribute: string, value: string): void {
  if (value.length > MAX_ATTRIBUTE_BYTES) {
    throw new RangeError(
      `cookie ${attribute} is ${value.length} bytes; browsers ignore attributes over ${MAX_ATTRIBUTE_BYTES}`,
    );
  }
}

/** rfc6265bis §4.1.3 and §5.7 steps 19–20: a browser drops a prefixed cookie that breaks these. */
function checkPrefix(name: string, options: CookieOptions): void {
  const lower = name.toLowerCase();
  const host = lower.startsWith("__host-");
  const http = lower.startsWith("__http-") || lower.startsWith("__host-http-");
  if (!host && !http && !lower.startsWith("__secure-")) return;
  const broken: string[] = [];
  if (options.secure !== true) broken.push("secure: true");
  if (http && options.httpOnly !== true) broken.push("httpOnly: true");
  if (host && options.path !== "/") broken.push('path: "/"');
  if (host && options.domain !== undefined) broken.push("no domain");
  if (broken.length > 0) {
    throw new TypeError(`cookie ${name}: its prefix requires ${broken.join(", ")}`);
  }
}
