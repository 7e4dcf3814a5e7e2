import { defineConfig } from "vitest/config";
import { coverage } from "../../vitest.shared.js";

// Without a config of its own, `vitest run` here would pick up the root's `projects` list,
// whose globs are relative to the root and match nothing from this folder.
export default defineConfig({
  test: {
    coverage,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The adversarial inputs (100k fields, 1 MB values) take ~1 s alone and far more under
    // coverage on a loaded machine.
    testTimeout: 30_000,
  },
});
