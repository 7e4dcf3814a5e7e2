import type { CoverageOptions } from "vitest/node";

/**
 * Coverage for every package's `vitest run --coverage` (v8): the package's own source, without
 * its tests. The summary is printed with the test results; `coverage/coverage-summary.json` holds
 * the figures the READMEs quote.
 */
export const coverage: CoverageOptions = {
  provider: "v8",
  include: ["src/**/*.ts"],
  exclude: ["src/**/*.test.ts"],
  reporter: ["text-summary", "json-summary"],
};
