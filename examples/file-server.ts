// Twin of file-server.py: the same do_GET, but the path goes through @wireweb/url first, so
// "/../" and its encoded forms are refused (403, or 400 for a malformed path), never read.
// Run: pnpm --filter examples file-server   (serves ./site; ROOT picks another folder)
import { readFile } from "node:fs/promises";
import { extname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BaseHTTPRequestHandler, HTTPServer } from "@wireweb/http";
import { resolveSafePath, splitTarget, UrlError } from "@wireweb/url";
import { isMain, portFromEnv } from "./main.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** A handler class serving the files below `root`. */
export function fileHandler(root: string) {
  return class FileHandler extends BaseHTTPRequestHandler {
    async doGET() {
      let file: string;
      let path: string;
      try {
        path = splitTarget(this.path).path;
        file = resolveSafePath(root, path);
      } catch (error) {
        if (!UrlError.is(error)) throw error;
        await this.sendError(error.status); // 400 or 403: the path never reaches the disk
        return;
      }
      if (path.endsWith("/") || file.endsWith(sep)) file = join(file, "index.html");
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        await this.sendError(404, "File not found");
        return;
      }
      this.sendResponse(200);
      this.sendHeader("Content-type", TYPES[extname(file)] ?? "application/octet-stream");
      this.sendHeader("Content-Length", body.length);
      this.endHeaders();
      await this.wfile.write(body);
    }
  };
}

export const SITE = fileURLToPath(new URL("site", import.meta.url));

if (isMain(import.meta.url)) {
  const root = process.env.ROOT ?? SITE;
  const server = new HTTPServer(["", portFromEnv()], fileHandler(root));
  process.once("SIGINT", () => void server.shutdown());
  console.log(`Serving ${root} on http://localhost:${await server.listen()}/`);
  await server.serveForever();
}
