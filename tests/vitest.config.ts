import { defineConfig } from "vitest/config";

// Workspace-level checks that look at the packages from the outside, as a user would get them.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
