const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** What one access-log line records. */
export interface AccessRecord {
  remoteAddress: string;
  method: string;
  /** The request-target exactly as sent. */
  target: string;
  /** `"HTTP/1.0"` or `"HTTP/1.1"`. */
  httpVersion: string;
  status: number;
  /** Body bytes sent (0 for HEAD and 304). */
  bytes: number;
  /** When the request arrived, milliseconds since the epoch. */
  time: number;
}

/**
 * One line in the Common Log Format (NCSA httpd, as Apache's `%h %l %u %t "%r" %>s %b`):
 * `127.0.0.1 - - [23/Nov/2026:21:39:10 +0000] "GET /index.html HTTP/1.1" 200 1234`.
 * Times are in UTC. Quotes, backslashes and control bytes in the request line are written as
 * `\xHH`, so a crafted target cannot forge a second line or field (as nginx escapes).
 */
export function formatAccessLog(record: AccessRecord): string {
  const requestLine = escapeLogText(`${record.method} ${record.target} ${record.httpVersion}`);
  const bytes = record.bytes > 0 ? String(record.bytes) : "-";
  const host = escapeLogText(record.remoteAddress || "-");
  return `${host} - - [${formatLogTime(record.time)}] "${requestLine}" ${record.status} ${bytes}`;
}

/** `[day/Mon/year:HH:MM:SS +0000]`'s inside, in UTC. */
export function formatLogTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

function escapeLogText(text: string): string {
  return text.replace(/[\x00-\x1f"\\\x7f-\uffff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, "0")}`
      : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}
