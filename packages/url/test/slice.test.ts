import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slice, sliceIndices } from "../src/index.js";
import vectors from "./fixtures/qs-url-slice.json" with { type: "json" };
import cpython from "./fixtures/slice-cpython.json" with { type: "json" };

const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 2000);

type Bound = number | null;
interface SliceVector {
  input: string | number[];
  start: Bound;
  stop: Bound;
  step: Bound;
  expect?: string | number[];
  expect_error?: string;
  adjusted?: { start: number; stop: number; step: number; count: number };
}

/**
 * Python's definition from the Library Reference ("Common Sequence Operations", notes 3-5),
 * written as plainly as possible and independently of src/slice.ts: brute force over n.
 */
function reference<T>(items: readonly T[], i: Bound, j: Bound, k: Bound): T[] {
  const step = k ?? 1;
  const len = items.length;
  const norm = (x: number) =>
    x < 0 ? Math.max(x + len, step < 0 ? -1 : 0) : Math.min(x, step < 0 ? len - 1 : len);
  const from = i === null ? (step > 0 ? 0 : len - 1) : norm(i);
  const to = j === null ? (step > 0 ? len : -1) : norm(j);
  const out: T[] = [];
  for (let n = 0; n < len + 1; n++) {
    const x = from + n * step;
    if (step > 0 ? x >= to : x <= to) break;
    out.push(items[x] as T);
  }
  return out;
}

describe("shared slice vectors (test/fixtures/qs-url-slice.json)", () => {
  it.each(vectors.cases as SliceVector[])("$input[$start:$stop:$step]", (c) => {
    if (c.expect_error !== undefined) {
      expect(() => slice(c.input as string, c.start, c.stop, c.step)).toThrow(RangeError);
      expect(() => slice(c.input as string, c.start, c.stop, c.step)).toThrow(
        "slice step cannot be zero",
      );
      return;
    }
    expect(slice(c.input as string, c.start, c.stop, c.step)).toEqual(c.expect);
    const length = typeof c.input === "string" ? Array.from(c.input).length : c.input.length;
    expect(sliceIndices(length, c.start, c.stop, c.step)).toEqual(c.adjusted);
  });
});

describe("400 random slices evaluated by CPython (test/fixtures/slice-cpython.json)", () => {
  it("agrees on every result and every indices() triple", () => {
    for (const c of cpython.cases) {
      expect(slice(c.input, c.start, c.stop, c.step), JSON.stringify(c)).toBe(c.expect);
      const got = sliceIndices(Array.from(c.input).length, c.start, c.stop, c.step);
      expect([got.start, got.stop, got.step], JSON.stringify(c)).toEqual(c.indices);
    }
  });
});

describe("the chapter's examples", () => {
  it("slices like Python", () => {
    expect(slice("Robert", 0, 3)).toBe("Rob");
    expect(slice("Robert", -2, -1)).toBe("r");
    expect(slice("/index.html", 1)).toBe("index.html");
  });
});

describe("slice", () => {
  const bound = fc.option(fc.integer({ min: -40, max: 40 }), { nil: null });
  const step = fc.option(
    fc.integer({ min: -12, max: 12 }).filter((s) => s !== 0),
    { nil: null },
  );

  it("matches the reference on arrays (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 30 }),
        bound,
        bound,
        step,
        (items, i, j, k) => {
          expect(slice(items, i, j, k)).toEqual(reference(items, i, j, k));
          expect(sliceIndices(items.length, i, j, k).count).toBe(reference(items, i, j, k).length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("matches the reference on strings with astral code points, never splitting a pair (property)", () => {
    const text = fc.array(
      fc.constantFrom("a", "Z", "é", "\u{1F600}", "\u{10348}", "中", "\uD800"),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(text, bound, bound, step, (points, i, j, k) => {
        expect(slice(points.join(""), i, j, k)).toBe(reference(points, i, j, k).join(""));
      }),
      { numRuns: RUNS },
    );
  });

  it("matches String#slice on ASCII with step 1 (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (s, i, j) => {
          expect(slice(s, i, j)).toBe(s.slice(i, j));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("accepts undefined like null and clamps ±Infinity", () => {
    expect(slice("Robert", undefined, undefined, -1)).toBe("treboR");
    expect(slice("Robert", -Infinity, Infinity)).toBe("Robert");
    expect(slice("Robert", Infinity, -Infinity, -1)).toBe("treboR");
  });

  it("returns a new array", () => {
    const items = [1, 2, 3];
    const copy = slice(items);
    expect(copy).toEqual(items);
    expect(copy).not.toBe(items);
  });

  it("refuses misuse", () => {
    expect(() => slice("abc", 0, 3, 0)).toThrow(RangeError);
    expect(() => slice("abc", 1.5)).toThrow(TypeError);
    expect(() => slice("abc", Number.NaN)).toThrow(TypeError);
    expect(() => slice("abc", 0, 1, 0.5)).toThrow(TypeError);
    expect(() => slice(42 as unknown as string)).toThrow(TypeError);
    expect(() => sliceIndices(-1)).toThrow(RangeError);
    expect(() => sliceIndices(1.5)).toThrow(RangeError);
  });
});
