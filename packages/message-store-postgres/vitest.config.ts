import { defineConfig } from "vitest/config";

// Real PostgreSQL servers, some started and restarted by the tests themselves: give them room.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
