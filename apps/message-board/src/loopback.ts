import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/**
 * Whether a server listening on `host` can be reached from this machine only: every address
 * the name resolves to is a loopback address. `""`, `0.0.0.0` and `::` (every interface) and any
 * other address are not; a name that does not resolve is not either (listening will fail anyway).
 *
 * @example await listensOnLoopbackOnly("localhost") // true
 */
export async function listensOnLoopbackOnly(host: string): Promise<boolean> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare === "") return false;
  let addresses: string[];
  try {
    addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true })).map((a) => a.address);
  } catch {
    return false;
  }
  return addresses.length > 0 && addresses.every(isLoopbackAddress);
}

/** `127.0.0.0/8`, `::1`, and IPv4 loopback mapped into IPv6 (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string): boolean {
  const lower = address.toLowerCase();
  const v4 = lower.startsWith("::ffff:") ? lower.slice(7) : lower;
  if (isIP(v4) === 4) return v4.startsWith("127.");
  return isIP(lower) === 6 && /^(0{0,4}:){1,7}0{0,3}1$|^::1$/.test(lower);
}
