import type { Options } from "tsup";

/** Shared tsup options: every public package ships ESM only, with .d.ts and source maps. */
export const baseConfig: Options = {
  entry: ["src/index.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
};
