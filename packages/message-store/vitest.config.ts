import { defineConfig } from "vitest/config";
import { coverage } from "../../vitest.shared.js";

// Crash tests spawn and kill child processes; give them room beyond the 5 s default.
export default defineConfig({
  test: {
    coverage,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
