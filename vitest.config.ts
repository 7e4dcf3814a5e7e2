import { defineConfig } from "vitest/config";

// One process for the IDE and `pnpm vitest run`; turbo runs each package's own `vitest run`.
export default defineConfig({ test: { projects: ["packages/*", "apps/*", "examples"] } });
