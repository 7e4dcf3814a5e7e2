import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dropSchema,
  freshSchema,
  HAVE_POSTGRES,
  TEST_URL,
} from "../../../packages/message-store-postgres/test/helpers.js";
import { freePort } from "../../../packages/message-store-postgres/test/throwaway-postgres.js";
import { type App, HAVE_CHROMIUM, IN_CI, launchBrowser, startApp } from "./browser-helpers.js";

// deploy/: Debian's nginx with the repo's site configuration in front of three board processes on
// one PostgreSQL database, and Chromium pages through nginx that must see every instance's posts.
const SITE = fileURLToPath(new URL("../../../deploy/nginx/message-board.conf", import.meta.url));
const HAVE_NGINX = spawnSync("nginx", ["-v"]).error === undefined;
const READY = HAVE_POSTGRES && HAVE_CHROMIUM && HAVE_NGINX;
if (!READY) {
  const missing = `${HAVE_NGINX ? "" : " nginx"}${HAVE_CHROMIUM ? "" : " Chromium"}${HAVE_POSTGRES ? "" : " PostgreSQL"}`;
  if (IN_CI || process.env.WIREWEB_REQUIRE_POSTGRES === "1") {
    throw new Error(`the deploy test needs${missing}`);
  }
  console.warn(`\n!!! deploy test SKIPPED: missing${missing} !!!\n`);
}

/** Waits until something accepts connections on `port`. */
async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!READY)("deploy/: nginx in front of three boards on PostgreSQL", () => {
  const children: ChildProcess[] = [];
  const boards: App[] = [];
  let folder: string;
  let context: BrowserContext | undefined;
  const schema = freshSchema();
  const boardPorts: number[] = [];
  let nginxPort = 0;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "board-deploy-"));
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      boardPorts.push(port);
      // --database wins over the file log (the file is never created).
      const board = await startApp(join(folder, "unused.log"), port, {
        args: ["--database", TEST_URL, "--database-schema", schema, "--trust-proxy"],
      });
      boards.push(board);
    }
    nginxPort = await freePort();
    // The site file exactly as shipped, on test ports.
    const site = readFileSync(SITE, "utf8")
      .replace("listen 80;", `listen 127.0.0.1:${nginxPort};`)
      .replace("listen [::]:80;\n", "")
      .replace("server 127.0.0.1:8081;", `server 127.0.0.1:${boardPorts[0]};`)
      .replace("server 127.0.0.1:8082;", `server 127.0.0.1:${boardPorts[1]};`)
      .replace("server 127.0.0.1:8083;", `server 127.0.0.1:${boardPorts[2]};`);
    writeFileSync(join(folder, "message-board.conf"), site);
    // What Debian's /etc/nginx/nginx.conf provides around a site, with every path in the temp folder.
    writeFileSync(
      join(folder, "nginx.conf"),
      `${process.getuid?.() === 0 ? "user root;\n" : ""}daemon off;
worker_processes 1;
pid ${folder}/nginx.pid;
error_log ${folder}/error.log;
events { worker_connections 256; }
http {
  access_log ${folder}/access.log;
  client_body_temp_path ${folder}/body;
  proxy_temp_path ${folder}/proxy;
  fastcgi_temp_path ${folder}/fastcgi;
  uwsgi_temp_path ${folder}/uwsgi;
  scgi_temp_path ${folder}/scgi;
  include ${folder}/message-board.conf;
}
`,
    );
    const nginx = spawn(
      "nginx",
      ["-p", folder, "-c", join(folder, "nginx.conf"), "-e", join(folder, "error.log")],
      {
        stdio: "ignore",
      },
    );
    children.push(nginx);
    await listening(nginxPort);
    context = await launchBrowser(join(folder, "profile"));
  });

  afterAll(async () => {
    await context?.close();
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(boards.map((board) => board.stop()));
    await dropSchema(schema);
    rmSync(folder, { recursive: true, force: true });
  });

  it("pages through nginx see posts made on every instance live, and a clear on any", async () => {
    const url = `http://127.0.0.1:${nginxPort}/`;
    const pages: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await context!.newPage();
      await page.goto(url);
      await page.locator('#board[data-live-state="open"]').waitFor({ timeout: 10_000 });
      pages.push(page);
    }
    // One post straight to each instance: whichever instance a page's stream went to, at least
    // two of these come from another one.
    for (const [i, port] of boardPorts.entries()) {
      const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: `posted on instance ${i + 1}` }),
      });
      expect(response.status).toBe(201);
    }
    for (const page of pages) {
      for (let i = 1; i <= 3; i++) {
        await page
          .locator("#messages li pre.text", { hasText: `posted on instance ${i}` })
          .waitFor({ timeout: 5000 });
      }
    }
    // A post through nginx with the page's own form.
    await pages[0]!.fill('textarea[name="message"]', "posted through nginx");
    await pages[0]!.click("text=Save Message");
    for (const page of pages.slice(1)) {
      await page
        .locator("#messages li pre.text", { hasText: "posted through nginx" })
        .waitFor({ timeout: 5000 });
    }
    // Clear on one instance: every page empties.
    expect(
      (await fetch(`http://127.0.0.1:${boardPorts[2]}/api/messages`, { method: "DELETE" })).status,
    ).toBe(200);
    for (const page of pages)
      await page.locator("#empty").waitFor({ state: "visible", timeout: 5000 });
    // nginx passed the client's address on, and the board (--trust-proxy) accepted the form post.
    expect(readFileSync(join(folder, "access.log"), "utf8")).toMatch(/"POST \/ HTTP\/1\.1" 303/);
  }, 90_000);
});
