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

describe("parseQsl matches CPython parse_qsl", () => {
  it(`has the generated table (${cases.length} cases)`, () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  for (const c of cases) {
    const options = toOptions(c.options);
    it(title(c), () => {
      if (c.error !== undefined) {
        expect(thrownCode(() => parseQsl(c.input, options))).toBe(codeFor(c.error));
        expect(thrownCode(() => parseQs(c.input, options))).toBe(codeFor(c.error));
        return;
      }
      expect(parseQsl(c.input, options)).toEqual(c.pairs);
      expect(parseQs(c.input, options)).toEqual(group(c.pairs!));
    });
  }
});

describe("bytes input gives CPython's answer for the same text", () => {
  const encoder = new TextEncoder();
  for (const c of cases.filter((c) => isWellFormed(c.input))) {
    it(title(c), () => {
      const body = encoder.encode(c.input);
      const options = toOptions(c.options);
      if (c.error !== undefined) {
        expect(thrownCode(() => parseQsl(body, options))).toBe(codeFor(c.error));
      } else {
        expect(parseQsl(body, options)).toEqual(c.pairs);
      }
    });
  }
});

describe("every byte value", () => {
  it.each(fixtures.escaped_bytes)("escaped: $input", ({ input, pairs }) => {
    expect(parseQsl(input, { keepBlankValues: true })).toEqual(pairs);
    expect(parseQsl(Buffer.from(input, "latin1"), { keepBlankValues: true })).toEqual(pairs);
  });

  it.each(fixtures.raw_code_points)("raw code point in a string: $input", ({ input, pairs }) => {
    expect(parseQsl(input, { keepBlankValues: true })).toEqual(pairs);
  });

  it.each(fixtures.raw_bytes)("raw byte in a body: $hex", ({ hex, pairs }) => {
    expect(parseQsl(Buffer.from(hex, "hex"), { keepBlankValues: true })).toEqual(pairs);
  });
});
