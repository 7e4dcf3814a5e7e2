// Expectations computed by CPython 3.11 (scripts/gen-python-fixtures.py); see fixtures/README.md.
import { describe, expect, it } from "vitest";
import { parseQs, parseQsl } from "../src/index.js";
import {
  codeFor,
  group,
  isWellFormed,
  loadFixture,
  type PythonOptions,
  thrownCode,
  toOptions,
} from "./helpers.js";

interface Case {
  input: string;
  options: PythonOptions;
  pairs?: [string, string][];
  error?: string;
}

interface Fixtures {
  cases: Case[];
  escaped_bytes: { input: string; pairs: [string, string][] }[];
  raw_code_points: { input: string; pairs: [string, string][] }[];
  raw_bytes: { hex: string; pairs: [string, string][] }[];
}

const fixtures = loadFixture<Fixtures>("python-cases.json");
const cases = fixtures.cases;
const title = (c: Case) => `${JSON.stringify(c.input)} ${JSON.stringify(c.options)}`;

/** Runs `check` on every case and lists the titles of those that fail (one test, not 1600). */
function failures(list: Case[], check: (c: Case) => void): string[] {
  const failed: string[] = [];
  for (const c of list) {
    try {
      check(c);
    } catch (err) {
      failed.push(`${title(c)}: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  return failed;
}

function expectOutcome(run: () => [string, string][], c: Case, extra: [string, string][] = []) {
  if (c.error !== undefined) expect(thrownCode(run)).toBe(codeFor(c.error));
  else expect(run()).toEqual([...c.pairs!, ...extra]);
}

describe("parseQsl and parseQs match CPython", () => {
  it(`has the generated table (${cases.length} cases)`, () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  // One test per option set; a failure lists every case of the set that went wrong.
  const sets = new Map<string, Case[]>();
  for (const c of cases) {
    const key = JSON.stringify(c.options);
    sets.set(key, [...(sets.get(key) ?? []), c]);
  }
  for (const [key, list] of sets) {
    it(`options ${key} (${list.length} cases)`, () => {
      const failed = failures(list, (c) => {
        const options = toOptions(c.options);
        if (c.error !== undefined) {
          expect(thrownCode(() => parseQsl(c.input, options))).toBe(codeFor(c.error));
          expect(thrownCode(() => parseQs(c.input, options))).toBe(codeFor(c.error));
          return;
        }
        expect(parseQsl(c.input, options)).toEqual(c.pairs);
        expect(parseQs(c.input, options)).toEqual(group(c.pairs!));
      });
      expect(failed).toEqual([]);
    });
  }
});

describe("variants of the CPython table", () => {
  it("gives the same pairs in inputs over 128 characters (the batched code path)", () => {
    const pad = `z=${"x".repeat(200)}`;
    const padded = cases.filter((c) => {
      const sep = c.options.separator ?? "&";
      // Skip cases where the appended separator would merge with the input's own text.
      const whole = (c.input + sep + pad).split(sep);
      return (
        c.input !== "" &&
        c.options.max_num_fields === undefined &&
        JSON.stringify(whole) === JSON.stringify([...c.input.split(sep), pad])
      );
    });
    expect(padded.length).toBeGreaterThan(1000);
    const sepOf = (c: Case) => c.options.separator ?? "&";
    const failed = failures(padded, (c) =>
      expectOutcome(() => parseQsl(c.input + sepOf(c) + pad, toOptions(c.options)), c, [
        ["z", "x".repeat(200)],
      ]),
    );
    expect(failed).toEqual([]);
  });

  it("gives CPython's answer for the text's UTF-8 bytes", () => {
    const encoder = new TextEncoder();
    const wellFormed = cases.filter((c) => isWellFormed(c.input));
    expect(wellFormed.length).toBeGreaterThan(1500);
    const failed = failures(wellFormed, (c) =>
      expectOutcome(() => parseQsl(encoder.encode(c.input), toOptions(c.options)), c),
    );
    expect(failed).toEqual([]);
  });
});

describe("every byte value", () => {
  const keep = { keepBlankValues: true };
  // One test per table; a failure lists every input that went wrong.
  const check = <T>(rows: T[], run: (row: T) => void) => {
    const failed: string[] = [];
    for (const row of rows) {
      try {
        run(row);
      } catch {
        failed.push(JSON.stringify(row));
      }
    }
    expect(failed).toEqual([]);
  };

  it("escaped as %XX and %xx, in text and in bytes", () => {
    // 256 upper-case escapes plus the 156 whose lower-case spelling differs.
    expect(fixtures.escaped_bytes).toHaveLength(412);
    check(fixtures.escaped_bytes, ({ input, pairs }) => {
      expect(parseQsl(input, keep)).toEqual(pairs);
      expect(parseQsl(Buffer.from(input, "latin1"), keep)).toEqual(pairs);
    });
  });

  it("raw, as code points 0-255 in a string", () => {
    expect(fixtures.raw_code_points).toHaveLength(256);
    check(fixtures.raw_code_points, ({ input, pairs }) => {
      expect(parseQsl(input, keep)).toEqual(pairs);
    });
  });

  it("raw, as bytes 0-255 in a body", () => {
    expect(fixtures.raw_bytes).toHaveLength(256);
    check(fixtures.raw_bytes, ({ hex, pairs }) => {
      expect(parseQsl(Buffer.from(hex, "hex"), keep)).toEqual(pairs);
    });
  });
});
