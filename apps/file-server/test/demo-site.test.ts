import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "@wireweb/http";
import { describe, expect, it } from "vitest";
import { createFileHandler, LISTING_HINT } from "../src/app.js";

const PUBLIC = new URL("../public/", import.meta.url);

describe("the bundled demo site (issue 16)", () => {
  it.each(readdirSync(PUBLIC).filter((name) => name.endsWith(".html")))(
    "%s has a viewport, so phones do not shrink it to a desktop page",
    (name) => {
      const html = readFileSync(new URL(name, PUBLIC), "utf8");
      expect(html).toContain(
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
      );
    },
  );
});

describe("the file server's handler", () => {
  it("tells whoever opens a folder without index.html about --listing", async () => {
    const root = mkdtempSync(join(tmpdir(), "file-server-empty-"));
    const server = createServer(createFileHandler(root));
    try {
      const { port } = await server.listen(0, "127.0.0.1");
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain(
        `<p>This folder has no index.html. ${LISTING_HINT}</p>`,
      );
      const listed = createServer(createFileHandler(root, { listing: true }));
      const { port: listedPort } = await listed.listen(0, "127.0.0.1");
      expect((await fetch(`http://127.0.0.1:${listedPort}/`)).status).toBe(200);
      await listed.close();
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
