import { defineConfig } from "tsup";
import { baseConfig } from "../../tsup.config.base.ts";

// Two entries: the store, and the conformance suite other adapters import from `./testing`.
export default defineConfig({ ...baseConfig, entry: ["src/index.ts", "src/testing.ts"] });
