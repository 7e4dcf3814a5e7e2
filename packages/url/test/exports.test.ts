import { expect, it } from "vitest";

it("exports exactly the documented surface", async () => {
  const names = Object.keys(await import("../src/index.js")).sort();
  expect(names).toEqual([
    "UrlError",
    "breakdownUrl",
    "decodePath",
    "hasDotSegment",
    "removeDotSegments",
    "resolveSafePath",
    "slice",
    "sliceIndices",
    "splitTarget",
  ]);
});
