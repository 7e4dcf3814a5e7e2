/**
 * The `Date` header line (RFC 9110 §6.6.1), formatted at most once per second however many
 * responses go out: formatting a date per response is measurable at 100k responses/s.
 */
let cachedLine = "";
let cachedSecond = -1;

/** Returns `Date: <IMF-fixdate>\r\n` for the current second. */
export function dateHeaderLine(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedLine = `Date: ${new Date(second * 1000).toUTCString()}\r\n`;
  }
  return cachedLine;
}
