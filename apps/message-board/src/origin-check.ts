/** Methods that must not change state (RFC 9110 §9.2.1), so they need no origin check. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What {@link checkOrigin} decided, and why (for a log line or an error body). */
export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Refuses cross-site state changes, with the rule of Go 1.25's `http.CrossOriginProtection`:
 * safe methods pass; otherwise `Sec-Fetch-Site` decides when present (`same-origin` or `none`
 * pass, anything else is refused); without it, an `Origin` header must name the same host and
 * port as `Host` (and, when `scheme` is known, the same scheme); a request with neither header
 * (curl, old browsers on same-origin forms) passes.
 *
 * @example checkOrigin("POST", { "sec-fetch-site": "cross-site" }.get) // { allowed: false, … }
 */
export function checkOrigin(
  method: string,
  header: (name: string) => string | undefined,
  scheme?: "http" | "https",
): OriginVerdict {
  if (SAFE_METHODS.has(method)) return { allowed: true };
  const site = header("sec-fetch-site");
  if (site !== undefined) {
    const value = site.trim().toLowerCase();
    if (value === "same-origin" || value === "none") return { allowed: true };
    return { allowed: false, reason: `Sec-Fetch-Site is ${JSON.stringify(site)}` };
  }
  const origin = header("origin");
  if (origin === undefined) return { allowed: true };
  const host = header("host");
  if (host !== undefined && sameHost(origin.trim(), host.trim(), scheme)) return { allowed: true };
  return {
    allowed: false,
    reason: `Origin ${JSON.stringify(origin)} does not match Host ${JSON.stringify(host ?? "")}`,
  };
}

function sameHost(origin: string, host: string, scheme: "http" | "https" | undefined): boolean {
  let url: URL;
  try {
    // "null" (sandboxed frames, some redirects) and anything unparsable are refused.
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  // http://host is another origin than https://host: a page injected over plain HTTP must not
  // post to the HTTPS board.
  if (scheme !== undefined && url.protocol !== `${scheme}:`) return false;
  // URL drops the scheme's default port from `host`; do the same to the Host header.
  const defaultPort = url.protocol === "http:" ? ":80" : ":443";
  const wanted = host.toLowerCase().endsWith(defaultPort)
    ? host.slice(0, -defaultPort.length)
    : host;
  return url.host.toLowerCase() === wanted.toLowerCase();
}
