import { defineConfig } from "vitest/config";
import { coverage } from "../../vitest.shared.js";

// Without a config of its own, `vitest run` here would pick up the root's `projects` list,
// whose globs are relative to the root and match nothing from this folder. The long timeout
// only matters when WIREWEB_FUZZ_RUNS raises the property-test runs.
export default defineConfig({
  test: {
    coverage,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 300_000,
  },
});
