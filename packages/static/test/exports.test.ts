import { expect, it } from "vitest";

it("exports exactly the documented surface", async () => {
  const names = Object.keys(await import("../src/index.js")).sort();
  expect(names).toEqual([
    "STATIC_ERROR_STATUS",
    "StaticError",
    "acceptedEncodings",
    "contentTypeFor",
    "createStaticHandler",
    "evaluatePreconditions",
    "formatAccessLog",
    "formatHttpDate",
    "isIfRangeCurrent",
    "parseHttpDate",
    "parseRange",
  ]);
});
