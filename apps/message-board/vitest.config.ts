import { defineConfig } from "vitest/config";

// Socket, child-process and browser tests: give them room, but keep them bounded.
export default defineConfig({ test: { testTimeout: 20_000, hookTimeout: 20_000 } });
