import type { Handler } from "@wireweb/http";

/**
 * A handler that answers every plain-HTTP request with 308 to the same target on https://
 * (308, not 301: a POST stays a POST, RFC 9110 §15.4.9). The host comes from the request's Host
 * header, without its port; a request without one (HTTP/1.0) goes to `fallbackHost`.
 */
export function createRedirectHandler(httpsPort: number, fallbackHost: string): Handler {
  return async (request, response) => {
    const host = hostName(request.headers.get("host")) ?? urlHost(fallbackHost);
    const port = httpsPort === 443 ? "" : `:${httpsPort}`;
    const path = request.target.startsWith("/") ? request.target : "/";
    const location = `https://${host}${port}${path}`;
    response.statusCode = 308;
    response.setHeader("Location", location);
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    await response.end(`This site is served over HTTPS: ${location}\n`);
  };
}

/** The Host header without its port: `example.com:80` → `example.com`, `[::1]:80` → `[::1]`. */
function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return undefined;
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1) || undefined;
  const colon = header.indexOf(":");
  return colon === -1 ? header : header.slice(0, colon);
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}
