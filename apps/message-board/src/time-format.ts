import { realpathSync } from "node:fs";

/** A formatter for `postedAt` times in one IANA time zone. */
export interface TimeFormatter {
  /** The IANA zone name, e.g. `"Europe/Berlin"` or `"UTC"`. */
  readonly timeZone: string;
  /** `2026-11-23T19:58:36.123Z` → `Mon 23 Nov 2026, 19:58:36 UTC` (in {@link timeZone}). */
  format(iso: string): string;
}

/** A zone to show times in, and what to tell the operator when it is not what they asked for. */
export interface ZoneChoice {
  /** A zone `Intl` knows, in its canonical spelling (`Europe/Berlin`, `UTC`). */
  timeZone: string;
  /** Set when the asked-for zone could not be used and UTC is shown instead. */
  warning?: string;
}

/**
 * The zone the `TZ` variable names, as the C library reads it: unset → the machine's zone;
 * `:/etc/localtime` or any `:` path → the zoneinfo file it links to; `:Europe/Berlin` →
 * Europe/Berlin. A zone `Intl` does not know (a misspelling, a POSIX rule such as `CET-1CEST`,
 * an empty `TZ=`) falls back to UTC with a warning: never `undefined`, never a crash.
 *
 * @param resolveLink reads where a zoneinfo path leads (default `fs.realpathSync`); for tests.
 * @example timeZoneFromEnv(":/etc/localtime") // { timeZone: "Europe/Berlin" } on a Berlin machine
 */
export function timeZoneFromEnv(
  tz: string | undefined,
  resolveLink: (path: string) => string = realpathSync,
): ZoneChoice {
  if (tz === undefined) {
    // Intl reads /etc/localtime itself; without one it answers "Etc/Unknown" or nothing.
    const machine = new Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
    if (machine !== undefined && isValidTimeZone(machine)) return { timeZone: canonical(machine) };
    return utc(`the machine's time zone is unknown (${String(machine)})`);
  }
  if (tz === "") return utc("TZ is set but empty");
  let name = tz.startsWith(":") ? tz.slice(1) : tz;
  if (name.startsWith("/")) {
    try {
      name = /\/zoneinfo\/(.+)$/.exec(resolveLink(name))?.[1] ?? name;
    } catch {
      // A path that does not resolve is reported below as not a time zone.
    }
  }
  if (isValidTimeZone(name)) return { timeZone: canonical(name) };
  return utc(`TZ=${JSON.stringify(tz)} is not a time zone this runtime knows`);
}

function utc(reason: string): ZoneChoice {
  return {
    timeZone: "UTC",
    warning: `${reason}; showing times in UTC (set --tz, e.g. --tz Europe/Berlin)`,
  };
}

/**
 * The canonical spelling of a zone `Intl` knows: `europe/berlin` → `Europe/Berlin`, and an
 * alias to the zone it stands for (`EST` → `America/Panama`, as ICU's tzdata has it).
 */
export function canonical(zone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
}

/** The machine's zone as `TZ` names it, or UTC when that is not a zone `Intl` knows. */
export function machineTimeZone(): string {
  return timeZoneFromEnv(process.env.TZ).timeZone;
}

/** Whether `zone` is a time zone `Intl` knows (`"UTC"`, `"Europe/Berlin"`, …). */
export function isValidTimeZone(zone: string): boolean {
  // `timeZone: undefined` would mean "the default zone": only a real name counts.
  if (typeof zone !== "string" || zone === "") return false;
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
    timeZone: canonical(timeZone),
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
