import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Handler } from "@wireweb/http";
import { createStaticHandler } from "@wireweb/static";

/**
 * `public/` sits next to `src/` and `dist/`, so the same path works from the sources (tests)
 * and from the build.
 */
const PUBLIC = fileURLToPath(new URL("../public/", import.meta.url));

/** The page's script, style sheet and icon: separate files, since the CSP forbids inline ones. */
export interface Assets {
  /** The URL paths of the files in `public/` ("/board.js", …), fixed at start. */
  readonly paths: ReadonlySet<string>;
  /**
   * Serves them through @wireweb/static: validators, 304s, ranges, HEAD, and memory for speed,
   * with every edit showing within half a second.
   */
  readonly serve: Handler;
}

/** Lists `public/` once and makes the handler that serves it. */
export function loadAssets(onError: (error: unknown) => void): Assets {
  const paths = new Set(
    readdirSync(PUBLIC, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
      .map((entry) => `/${entry.name}`),
  );
  // No .br/.gz siblings are shipped, so there is nothing to look for.
  return { paths, serve: createStaticHandler(PUBLIC, { precompressed: false, onError }) };
}
