import { isAbsolute, resolve } from "node:path";
import { UsageError } from "./errors.js";
import { invocationDirectory } from "./paths.js";

/** What every row of a flag table has. */
interface FlagBase {
  /** One line for `--help`; the shell appends `(env X, default Y)` itself. */
  help: string;
  /** The environment variable read when the flag is not given (empty counts as not set). */
  env?: string;
  /** The placeholder `--help` shows after the flag (`--port N`). Default by type: `VALUE`. */
  value?: string;
  /** What `--help` says the default is, when it is not a literal (`the bundled demo site`). */
  defaultText?: string;
  /** The noun error messages use (`invalid port "x"`). Default: the flag name, dashes as spaces. */
  label?: string;
}

/** `--quiet`: present or not. Its variable is on unless empty, `0` or `false`. */
export interface BooleanFlag extends FlagBase {
  type: "boolean";
}
/** Any non-empty text. */
export interface StringFlag extends FlagBase {
  type: "string";
  default?: string;
}
/** A file or folder; relative paths are resolved against where the user typed the command. */
export interface PathFlag extends FlagBase {
  type: "path";
  default?: string;
}
/** A whole number from `min` to `max`. */
export interface IntegerFlag extends FlagBase {
  type: "integer";
  min: number;
  max: number;
  default?: number;
}
/** One of a few words. */
export interface ChoiceFlag<C extends string = string> extends FlagBase {
  type: "choice";
  choices: readonly C[];
  default?: C;
}
/** Anything else: `parse` turns the text into a value, or throws an Error whose message says why not. */
export interface CustomFlag<T = unknown> extends FlagBase {
  type: "custom";
  parse(text: string): T;
  default?: T;
}

/** One row of a flag table. */
export type FlagSpec =
  | BooleanFlag
  | StringFlag
  | PathFlag
  | IntegerFlag
  | ChoiceFlag
  // biome-ignore lint/suspicious/noExplicitAny: a table mixes custom flags of any value type
  | CustomFlag<any>;

/** Flags by name, without the leading dashes: `{ root: { type: "path", env: "ROOT", … } }`. */
export type FlagTable = Record<string, FlagSpec>;

/** `max-age` → `maxAge`: the key a flag's value has in the parsed config. */
export type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type WithDefault<S, T> = S extends { default: unknown } ? T : T | undefined;

/** The value type a flag row parses to. */
export type FlagValue<S> = S extends BooleanFlag
  ? boolean
  : S extends IntegerFlag
    ? WithDefault<S, number>
    : S extends ChoiceFlag<infer C>
      ? WithDefault<S, C>
      : S extends CustomFlag<infer T>
        ? WithDefault<S, T>
        : WithDefault<S, string>;

/** The parsed values of a flag table, by camel-cased name. */
export type FlagValues<F extends FlagTable> = {
  -readonly [K in keyof F & string as CamelCase<K>]: FlagValue<F[K]>;
};

/**
 * Declares a flag table, keeping its literal types (so a choice flag parses to its words).
 *
 * @example
 * const FLAGS = defineFlags({
 *   root: { type: "path", env: "ROOT", value: "DIR", help: "folder to serve" },
 *   dotfiles: { type: "choice", choices: ["ignore", "deny", "allow"], default: "ignore", help: "…" },
 * });
 */
export function defineFlags<const F extends FlagTable>(flags: F): F {
  for (const [name, spec] of Object.entries(flags)) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
      throw new TypeError(`flag name ${JSON.stringify(name)} must be lower-case words joined by -`);
    }
    if (spec.type === "integer" && !(spec.min <= spec.max)) {
      throw new RangeError(`--${name}: min ${spec.min} is above max ${spec.max}`);
    }
  }
  return flags;
}

/** `max-age` → `maxAge`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

/** The command line split into flags, before any value is checked. */
type RawFlags = Map<string, string | true>;

/**
 * Reads a command line and the environment against a flag table: flags first, then each
 * flag's variable, then its default. `-h` is `--help`; `--name=value` and `--name value` both
 * work; a leading `--` (what `pnpm start -- --port 9000` passes on) is skipped.
 *
 * @throws UsageError (WW_SHELL_UNKNOWN_FLAG, WW_SHELL_MISSING_VALUE, WW_SHELL_BAD_VALUE,
 *   WW_SHELL_UNEXPECTED_ARGUMENT) with a message that names the flag and the value.
 */
export function parseFlags<F extends FlagTable>(
  table: F,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): FlagValues<F> {
  const raw = splitArgv(table, argv);
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    values[camelCase(name)] = readFlag(name, spec, raw.get(name), env);
  }
  return values as FlagValues<F>;
}

function splitArgv(table: FlagTable, argv: readonly string[]): RawFlags {
  const raw: RawFlags = new Map();
  for (let i = argv[0] === "--" ? 1 : 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" && "help" in table) {
      raw.set("help", true);
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") {
      throw new UsageError(
        "WW_SHELL_UNEXPECTED_ARGUMENT",
        `unexpected argument ${JSON.stringify(arg)}: every option is a --flag (see --help)`,
      );
    }
    const equals = arg.indexOf("=");
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    if (spec === undefined) {
      const near = closestFlag(name, Object.keys(table));
      throw new UsageError(
        "WW_SHELL_UNKNOWN_FLAG",
        `unknown flag --${name}${near === undefined ? "" : ` (did you mean --${near}?)`}`,
      );
    }
    if (spec.type === "boolean") {
      if (inline !== undefined) {
        throw new UsageError("WW_SHELL_BAD_VALUE", `--${name} takes no value`);
      }
      raw.set(name, true);
      continue;
    }
    // `--root --port 9000` is a forgotten value, not a folder called "--port"; write
    // `--root=--port` to mean that.
    const next = argv[i + 1];
    const value = inline ?? (next === undefined || next.startsWith("--") ? undefined : next);
    if (value === undefined) {
      throw new UsageError(
        "WW_SHELL_MISSING_VALUE",
        `--${name} needs a value: --${name} ${placeholder(spec)}`,
      );
    }
    if (inline === undefined) i++;
    raw.set(name, value);
  }
  return raw;
}

function readFlag(
  name: string,
  spec: FlagSpec,
  given: string | true | undefined,
  env: NodeJS.ProcessEnv,
): unknown {
  const fromEnv = spec.env === undefined ? undefined : env[spec.env];
  if (spec.type === "boolean") {
    if (given !== undefined) return true;
    return fromEnv !== undefined && !["", "0", "false"].includes(fromEnv.toLowerCase());
  }
  const source = given === undefined ? spec.env : `--${name}`;
  const text = given === undefined ? (fromEnv === "" ? undefined : fromEnv) : (given as string);
  if (text === undefined) return spec.default;
  if (text === "") {
    throw new UsageError(
      "WW_SHELL_MISSING_VALUE",
      `--${name} needs a value: --${name} ${placeholder(spec)}`,
    );
  }
  const label = spec.label ?? name.replaceAll("-", " ");
  const bad = (expected: string) =>
    new UsageError(
      "WW_SHELL_BAD_VALUE",
      `invalid ${label} ${JSON.stringify(text)} (${source}): ${expected}`,
    );
  switch (spec.type) {
    case "string":
      return text;
    case "path":
      return isAbsolute(text) ? text : resolve(invocationDirectory(env), text);
    case "integer": {
      const number = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
      if (!(number >= spec.min && number <= spec.max)) {
        throw bad(`expected a whole number from ${spec.min} to ${spec.max}`);
      }
      return number;
    }
    case "choice":
      if (!spec.choices.includes(text)) throw bad(`expected ${listWords(spec.choices)}`);
      return text;
    case "custom":
      try {
        return spec.parse(text);
      } catch (error) {
        if (UsageError.is(error)) throw error;
        throw bad(error instanceof Error ? error.message : String(error));
      }
  }
}

/** What `--help` shows after the flag name. */
export function placeholder(spec: FlagSpec): string {
  if (spec.type === "boolean") return "";
  if (spec.value !== undefined) return spec.value;
  if (spec.type === "integer") return "N";
  if (spec.type === "choice") return spec.choices.join("|");
  return "VALUE";
}

function listWords(words: readonly string[]): string {
  if (words.length === 1) return words[0]!;
  return `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

/** The defined flag a typo most likely meant: one edit away, or a prefix of it. */
function closestFlag(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const distance =
      candidate.startsWith(name) && name.length >= 2 ? 1 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = row;
  }
  return previous[b.length]!;
}
