import { defineConfig } from "vitest/config";

// Crash tests spawn and kill child processes; give them room beyond the 5 s default.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 30_000 } });
