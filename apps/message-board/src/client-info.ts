import type { HttpRequest } from "@wireweb/http";

/** Who sent a request and over which scheme, as the board logs and checks it. */
export interface ClientInfo {
  /** The client's address: the peer's, or the proxy's X-Forwarded-For entry. */
  address: string;
  /** The scheme the client used: the connection's, or the proxy's X-Forwarded-Proto. */
  scheme: "http" | "https";
}

/**
 * The client behind `request`. Without `trustProxy`, X-Forwarded-For and X-Forwarded-Proto are
 * ignored: anyone can send them. With it (the board is reachable only through a reverse proxy
 * that sets them), the address is the **last** X-Forwarded-For entry, the one the proxy appended
 * (nginx's `$proxy_add_x_forwarded_for` keeps what the client sent in front of it, so earlier
 * entries are the client's word), and the scheme is X-Forwarded-Proto when it is http or https.
 */
export function clientInfo(request: HttpRequest, trustProxy: boolean): ClientInfo {
  const own: ClientInfo = {
    address: request.remoteAddress,
    scheme: request.secure ? "https" : "http",
  };
  if (!trustProxy) return own;
  const forwardedFor = request.headers.get("x-forwarded-for");
  const last = forwardedFor?.split(",").at(-1)?.trim();
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return {
    address:
      last !== undefined && last !== "" && /^[0-9A-Fa-f:.]+$/.test(last) ? last : own.address,
    scheme: proto === "http" || proto === "https" ? proto : own.scheme,
  };
}
