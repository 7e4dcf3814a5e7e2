import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type App,
  CHROMIUM,
  HAVE_CHROMIUM,
  IN_CI,
  launchBrowser,
  startApp,
} from "./browser-helpers.js";

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)("in a real browser (Chromium)", () => {
  let folder: string;
  let context: BrowserContext | undefined;
  let app: App | undefined;
  const problems: string[] = [];

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "board-browser-"));
  });

  afterAll(async () => {
    await context?.close();
    app?.child.kill("SIGKILL");
    rmSync(folder, { recursive: true, force: true });
  });

  function watch(page: Page): Page {
    // A CSP violation or a script error would show up here.
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(String(error)));
    return page;
  }

  const messages = (page: Page) => page.locator("#messages li pre.text");

  /** Posts through the form and waits for the redirected page to show the message. */
  async function post(page: Page, text: string): Promise<void> {
    await page.fill('textarea[name="message"]', text);
    await page.click("text=Save Message");
    await messages(page)
      .filter({ hasText: text.split("\n")[0]! })
      .waitFor();
    await page.waitForLoadState();
  }

  it("posts, reloads, survives a restart, updates live and clears", async () => {
    expect(existsSync(CHROMIUM), `Chromium is required in CI (looked at ${CHROMIUM})`).toBe(true);
    const file = join(folder, "messages.log");
    app = await startApp(file, 0);
    const port = app.port;
    const url = `http://127.0.0.1:${port}/`;
    context = await launchBrowser(join(folder, "profile"));
    const page = watch(await context.newPage());

    await page.goto(url);
    await expect(page.title()).resolves.toBe("Tiny Message Board");
    await post(page, "First message\nwith a second line");
    await post(page, "Second <b>message</b>");
    expect(await messages(page).allInnerTexts()).toEqual([
      "First message\nwith a second line",
      "Second <b>message</b>",
    ]);
    await expect(
      page.locator("#messages li time").first().getAttribute("datetime"),
    ).resolves.toMatch(/Z$/);

    await page.reload();
    expect(await messages(page).count()).toBe(2);

    expect(await app.stop()).toBe(0);
    app = await startApp(file, port);
    await page.reload();
    expect(await messages(page).allInnerTexts()).toEqual([
      "First message\nwith a second line",
      "Second <b>message</b>",
    ]);

    // A second page posts; the first shows it without reloading.
    await page.locator('#board[data-live-state="open"]').waitFor({ timeout: 10_000 });
    const other = watch(await context.newPage());
    await other.goto(url);
    await post(other, "Live from another page");
    await page.locator("#messages li pre.text", { hasText: "Live from another page" }).waitFor({
      timeout: 10_000,
    });
    expect(await messages(page).count()).toBe(3);
    await expect(
      page.locator("#messages li").last().locator("time").textContent(),
    ).resolves.toMatch(/^\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d UTC$/);

    // Clear asks first; the other page sees the clear live.
    await other.locator('#board[data-live-state="open"]').waitFor({ timeout: 10_000 });
    page.once("dialog", (dialog) => void dialog.accept());
    await page.click("text=Clear Messages");
    await page.locator("#empty").waitFor({ state: "visible" });
    expect(await messages(page).count()).toBe(0);
    await other.locator("#empty").waitFor({ state: "visible", timeout: 10_000 });
    expect(await messages(other).count()).toBe(0);

    // The live stream cannot connect while the server restarts; anything else is a problem
    // (a CSP violation, a script error, a missing file).
    expect(problems.filter((text) => !text.includes("ERR_CONNECTION_REFUSED"))).toEqual([]);
    // A browser, two pages and a restart: about 10 s on an idle machine, far more on a busy one.
  }, 90_000);
});
