import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatContentRange, parseRange, type RangeRequest } from "../src/range.js";

const SIZE = 11;
const ranges = (...pairs: [number, number][]): RangeRequest => ({
  kind: "ranges",
  ranges: pairs.map(([start, end]) => ({ start, end })),
});
const IGNORE: RangeRequest = { kind: "ignore" };
const UNSATISFIABLE: RangeRequest = { kind: "unsatisfiable" };

// The research probe set, plus the crash reports it cites (sirv bytes=5-2 and PR #175,
// serve-handler#160 bytes=0-0, browsertrix-crawler#1127 suffix larger than the file).
const CASES: [header: string, expected: RangeRequest][] = [
  ["bytes=0-4", ranges([0, 4])],
  ["bytes=-3", ranges([8, 10])],
  ["bytes=0-0", ranges([0, 0])],
  ["bytes=10-10", ranges([10, 10])],
  ["bytes=5-", ranges([5, 10])],
  ["bytes=0-", ranges([0, 10])],
  ["bytes=3-100", ranges([3, 10])],
  ["bytes=-100", ranges([0, 10])],
  ["bytes=0-18446744073709551615", ranges([0, 10])],
  ["bytes=-18446744073709551615", ranges([0, 10])],
  ["bytes=18446744073709551615-", UNSATISFIABLE],
  ["bytes=500-600", UNSATISFIABLE],
  ["bytes=11-", UNSATISFIABLE],
  ["bytes=-0", UNSATISFIABLE],
  ["bytes=11-12, 20-", UNSATISFIABLE],
  ["bytes=5-2", IGNORE],
  ["bytes=x-2", IGNORE],
  ["bytes=1-2-3", IGNORE],
  ["bytes=-", IGNORE],
  ["bytes=", IGNORE],
  ["bytes=,", IGNORE],
  ["bytes= 1 - 2", IGNORE],
  ["bytes=+1-2", IGNORE],
  ["bytes=0x1-2", IGNORE],
  ["bytes=1.5-2", IGNORE],
  ["items=0-4", IGNORE],
  ["0-4", IGNORE],
  ["", IGNORE],
  ["BYTES=0-4", ranges([0, 4])],
  ["bytes=0-1,4-5", ranges([0, 1], [4, 5])],
  ["bytes=4-5, 0-1", ranges([0, 1], [4, 5])],
  ["bytes=0-1,,4-5", ranges([0, 1], [4, 5])],
  ["bytes=0-1,2-3", ranges([0, 3])],
  ["bytes=0-5,3-8", ranges([0, 8])],
  ["bytes=0-1,500-600", ranges([0, 1])],
  ["bytes=0-1,5-2", IGNORE],
  // Many overlapping parts adding up to more than the file: whole file instead (nginx).
  ["bytes=0-6,1-1,3-9,8-8", ranges([0, 9])],
  ["bytes=0-5,1-5,7-10,8-10", IGNORE],
];

describe("parseRange", () => {
  it.each(CASES)("%j", (header, expected) => {
    expect(parseRange(header, SIZE)).toEqual(expected);
  });

  it("ignores any Range on an empty file (there is no byte to name)", () => {
    expect(parseRange("bytes=0-0", 0)).toEqual(IGNORE);
    expect(parseRange("bytes=-5", 0)).toEqual(IGNORE);
  });

  it("ignores a header with more specs than maxSpecs, or more ranges than maxRanges", () => {
    const many = `bytes=${Array.from({ length: 20 }, (_, i) => `${i * 10}-${i * 10}`).join(",")}`;
    expect(parseRange(many, 1000)).toEqual(IGNORE);
    expect(parseRange(many, 1000, { maxRanges: 20 }).kind).toBe("ranges");
    expect(parseRange(many, 1000, { maxSpecs: 5, maxRanges: 20 })).toEqual(IGNORE);
  });

  it("never throws and always returns ranges inside the file, sorted and disjoint", () => {
    const spec = fc.oneof(
      fc.tuple(fc.nat(40), fc.nat(40)).map(([a, b]) => `${a}-${b}`),
      fc.nat(40).map((a) => `${a}-`),
      fc.nat(40).map((a) => `-${a}`),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 6 }), fc.nat(30), (specs, size) => {
        const result = parseRange(`bytes=${specs.join(",")}`, size);
        if (result.kind !== "ranges") return;
        let previousEnd = -2;
        for (const { start, end } of result.ranges) {
          expect(start).toBeGreaterThan(previousEnd + 1);
          expect(start).toBeLessThanOrEqual(end);
          expect(end).toBeLessThan(size);
          previousEnd = end;
        }
      }),
      { numRuns: Number(process.env.WIREWEB_FUZZ_RUNS ?? 500) },
    );
  });
});

describe("formatContentRange", () => {
  it("writes first-last/complete-length", () => {
    expect(formatContentRange({ start: 0, end: 4 }, 11)).toBe("bytes 0-4/11");
  });
});
