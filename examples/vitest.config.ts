import { defineConfig } from "vitest/config";

// Without a config of its own, `vitest run` here would pick up the root's `projects` list.
export default defineConfig({ test: { include: ["test/**/*.test.ts"] } });
