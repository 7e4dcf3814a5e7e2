/** What to tell a person whose server could not listen, by the system error code. */
const REASONS: Record<string, (port: number) => string> = {
  EADDRINUSE: () => "the port is already in use (try another --port, or stop what holds it)",
  EACCES: (port) =>
    port < 1024
      ? "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE (try --port 8080)"
      : "permission denied",
  EADDRNOTAVAIL: () => "this machine has no such address (check --host)",
  ENOTFOUND: () => "no such host name (check --host)",
  EAI_AGAIN: () => "the host name could not be looked up (check --host)",
};

/**
 * One line saying why `listen` failed: `cannot listen on localhost:80: permission denied: …`.
 * Unknown errors keep their own message.
 */
export function describeListenError(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code !== undefined && Object.hasOwn(REASONS, code)
      ? REASONS[code]!(port)
      : error instanceof Error
        ? error.message
        : String(error);
  return `cannot listen on ${hostPort(host, port)}: ${reason}`;
}

/** `localhost:8080`, `[::1]:8080`: an IPv6 address in brackets, as in a URL. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}
