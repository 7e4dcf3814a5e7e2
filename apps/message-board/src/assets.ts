import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { HttpRequest, HttpResponse } from "@wireweb/http";

/** A file from `public/`, held in memory with its validator. */
interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The page's script, style sheet and icon: separate files, since the CSP forbids inline ones. */
const ASSET_FILES: Record<string, { file: string; type: string }> = {
  "/board.js": { file: "board.js", type: "text/javascript; charset=utf-8" },
  "/board.css": { file: "board.css", type: "text/css; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};

/**
 * Loads the static assets once. `public/` sits next to `src/` and `dist/`, so the same URL works
 * from the sources (tests) and from the build.
 */
export function loadAssets(): Map<string, Asset> {
  const folder = new URL("../public/", import.meta.url);
  const assets = new Map<string, Asset>();
  for (const [path, { file, type }] of Object.entries(ASSET_FILES)) {
    const body = readFileSync(new URL(file, folder));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
    assets.set(path, { body, type, etag });
  }
  return assets;
}

/** Sends an asset, or 304 when the client's copy is current (RFC 9110 §13.1.2). */
export async function sendAsset(
  request: HttpRequest,
  response: HttpResponse,
  asset: Asset,
): Promise<void> {
  response.setHeader("ETag", asset.etag);
  // Revalidate every time: the files change with the app and a 304 costs almost nothing.
  response.setHeader("Cache-Control", "no-cache");
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch?.split(",").some((tag) => tag.trim() === asset.etag)) {
    response.writeHead(304);
    await response.end();
    return;
  }
  response.writeHead(200, { "Content-Type": asset.type });
  await response.end(asset.body);
}
