/** A formatter for `postedAt` times in one IANA time zone. */
export interface TimeFormatter {
  /** The IANA zone name, e.g. `"Europe/Berlin"` or `"UTC"`. */
  readonly timeZone: string;
  /** `2026-11-23T19:58:36.123Z` → `Mon 23 Nov 2026, 19:58:36 UTC` (in {@link timeZone}). */
  format(iso: string): string;
}

/** The machine's zone as Node sees it (it honours the `TZ` variable). */
export function machineTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether `zone` is a time zone `Intl` knows (`"UTC"`, `"Europe/Berlin"`, …). */
export function isValidTimeZone(zone: string): boolean {
  if (zone === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a formatter that writes times as `Mon 23 Nov 2026, 19:58:36 CET`: one fixed,
 * unambiguous shape, 24-hour clock, with the zone's abbreviation (or `GMT+1` when the zone has
 * none), whatever the machine's locale. The page's script uses the same recipe for live messages.
 *
 * @throws RangeError when `timeZone` is not a zone `Intl` knows.
 * @example createTimeFormatter("UTC").format("2026-11-23T19:58:36.123Z") // "Mon 23 Nov 2026, 19:58:36 UTC"
 */
export function createTimeFormatter(timeZone: string): TimeFormatter {
  if (!isValidTimeZone(timeZone)) {
    throw new RangeError(`timeZone is not a known time zone: ${JSON.stringify(timeZone)}`);
  }
  const fields = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  // en-US knows "EST"/"PST", en-GB knows "CET"/"BST"; take whichever gives a real abbreviation.
  const zoneNames = ["en-US", "en-GB"].map(
    (locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" }),
  );
  return {
    timeZone: fields.resolvedOptions().timeZone,
    format(iso: string): string {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      const part: Record<string, string> = {};
      for (const { type, value } of fields.formatToParts(date)) part[type] = value;
      return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute}:${part.second} ${zoneName(zoneNames, date)}`;
    },
  };
}

function zoneName(formats: Intl.DateTimeFormat[], date: Date): string {
  let fallback = "";
  for (const format of formats) {
    const name = format.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? "";
    if (!/^(GMT|UTC)[+-−]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback;
}
