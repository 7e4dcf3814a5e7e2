import { defineConfig } from "vitest/config";
import { coverage } from "../../vitest.shared.js";

// Socket tests talk to real servers and stream real files: give them room, but keep them bounded.
export default defineConfig({
  test: {
    coverage,
    include: ["test/**/*.test.ts"],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
