import { crc32 as zlibCrc32 } from "node:zlib";
import fc from "fast-check";
import { expect, it } from "vitest";
import { crc32 } from "../src/crc32.js";

it("matches zlib.crc32 on any bytes and any sub-range", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const start = a % (bytes.length + 1);
      const end = start + (b % (bytes.length - start + 1));
      expect(crc32(bytes, start, end)).toBe(zlibCrc32(bytes.subarray(start, end)));
    }),
    { numRuns: Number(process.env.WIREWEB_FUZZ_RUNS ?? 500) },
  );
});

it("gives the standard check value for 123456789", () => {
  expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
});
