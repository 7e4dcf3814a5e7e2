import { defineConfig } from "vitest/config";
import { coverage } from "../../vitest.shared.js";

// Real PostgreSQL servers, some started and restarted by the tests themselves: give them room.
export default defineConfig({ test: { coverage, testTimeout: 60_000, hookTimeout: 60_000 } });
