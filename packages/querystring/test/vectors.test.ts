// The project's shared query-string vectors (fixtures/qs-vectors.json, see fixtures/README.md).
import { describe, expect, it } from "vitest";
import { parseQs } from "../src/index.js";
import { codeFor, loadFixture, type PythonOptions, thrownCode, toOptions } from "./helpers.js";

interface Vector {
  input: string | null;
  generate?: { repeat: string; times: number; joiner: string; numbered?: boolean };
  input_bytes_hex?: string;
  options: PythonOptions;
  expect?: Record<string, string[]>;
  expect_error?: string;
  expect_summary?: {
    keys: number;
    values_total: number;
    first_key?: string;
    first_key_count?: number;
  };
  why: string;
}

function inputOf(v: Vector): string | Uint8Array {
  if (v.input_bytes_hex !== undefined) return Buffer.from(v.input_bytes_hex, "hex");
  if (v.generate !== undefined) {
    const { repeat, times, joiner, numbered } = v.generate;
    const parts: string[] = [];
    for (let i = 0; i < times; i++) parts.push(numbered ? repeat.replace("%d", String(i)) : repeat);
    return parts.join(joiner);
  }
  return v.input!;
}

describe("shared qs vectors", () => {
  const all = loadFixture<{ cases: Vector[] }>("qs-vectors.json").cases;
  it("has all 54 vectors", () => expect(all).toHaveLength(54));

  it.each(all.map((v) => [v.why, v] as const))("%s", (_why, v) => {
    const input = inputOf(v);
    // The file's default is keep_blank_values=True and no field limit.
    const options = toOptions({ keep_blank_values: true, ...v.options });
    if (v.expect_error !== undefined) {
      expect(thrownCode(() => parseQs(input, options))).toBe(codeFor(v.expect_error));
      return;
    }
    const result = parseQs(input, options);
    expect(Object.getPrototypeOf(result)).toBeNull();
    if (v.expect !== undefined) {
      expect({ ...result }).toEqual(v.expect);
      expect(Object.keys(result)).toEqual(Object.keys(v.expect));
    }
    if (v.expect_summary !== undefined) {
      const s = v.expect_summary;
      const keys = Object.keys(result);
      expect(keys).toHaveLength(s.keys);
      expect(keys.reduce((n, k) => n + result[k]!.length, 0)).toBe(s.values_total);
      if (s.first_key !== undefined) {
        expect(keys[0]).toBe(s.first_key);
        expect(result[s.first_key]).toHaveLength(s.first_key_count!);
      }
    }
  });
});
