import { readFileSync } from "node:fs";
import type { ParseQsOptions } from "../src/index.js";

/** CPython's keyword arguments, as the fixtures spell them. */
export interface PythonOptions {
  keep_blank_values?: boolean;
  strict_parsing?: boolean;
  max_num_fields?: number;
  separator?: string;
}

/** Maps CPython's keyword arguments to ours; CPython has no field limit unless asked. */
export function toOptions(py: PythonOptions): ParseQsOptions {
  const options: ParseQsOptions = { maxFields: py.max_num_fields ?? Number.POSITIVE_INFINITY };
  if (py.keep_blank_values !== undefined) options.keepBlankValues = py.keep_blank_values;
  if (py.strict_parsing !== undefined) options.strictParsing = py.strict_parsing;
  if (py.separator !== undefined) options.separator = py.separator;
  return options;
}

/** The QueryStringError code that stands for a CPython ValueError message. */
export function codeFor(pythonError: string): string {
  if (pythonError.includes("Max number of fields exceeded")) return "WW_QS_TOO_MANY_FIELDS";
  if (pythonError.includes("bad query field")) return "WW_QS_BAD_FIELD";
  throw new Error(`unmapped CPython error: ${pythonError}`);
}

/** Runs `fn` and returns the thrown error's code, or undefined when it did not throw. */
export function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? `not a QueryStringError: ${String(err)}`;
  }
  return undefined;
}

/** Groups pairs the way parse_qs does, into a plain object for deep equality. */
export function group(pairs: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    const list = out[name];
    if (list === undefined) out[name] = [value];
    else list.push(value);
  }
  return out;
}

export function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

export const utf8Encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Bounded fast-check runs; WIREWEB_FUZZ_RUNS raises them. */
export const FUZZ_RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 300);

/** Reads a fixture with JSON.parse: a bundler's JSON import would turn "__proto__" keys into prototypes. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}
