import type { Handler } from "@wireweb/http";
import { createStaticHandler, type StaticOptions } from "@wireweb/static";

// The serving logic lives in @wireweb/static; the file server adds its command line.

/** What the 404 of a folder without index.html says, in the file server's own words. */
export const LISTING_HINT = "Start the file server with --listing to list its files.";

/**
 * The file server's request handler: `@wireweb/static` over `root`, with a 404 for a folder
 * without index.html that names the `--listing` flag (issue 16).
 */
export function createFileHandler(root: string, options: StaticOptions = {}): Handler {
  return createStaticHandler(root, { listingHint: LISTING_HINT, ...options });
}
