import { defineConfig } from "vitest/config";

// Tests start real processes and real sockets: give them room, but keep them bounded.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 20_000, hookTimeout: 20_000 },
});
