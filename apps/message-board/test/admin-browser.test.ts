import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type App,
  CHROMIUM,
  launchBrowser,
  RUN_BROWSER_TESTS,
  startApp,
} from "./browser-helpers.js";

const PASSWORD = "a long admin password";

describe.skipIf(!RUN_BROWSER_TESTS)("the administrator in a real browser (Chromium)", () => {
  let folder: string;
  let app: App | undefined;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "board-admin-browser-"));
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    app?.child.kill("SIGKILL");
    rmSync(folder, { recursive: true, force: true });
  });

  /** A separate browser (its own profile, so its own cookies) with one page. */
  async function browser(name: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await launchBrowser(join(folder, name));
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(String(error)));
    page.on("console", (message) => {
      // A 401 or 403 that a test provokes on purpose is logged by Chromium as a failed resource.
      if (message.type() === "error" && !/status of 40[13]/.test(message.text())) {
        problems.push(message.text());
      }
    });
    return { context, page };
  }

  const messages = (page: Page) => page.locator("#messages li pre.text");
  const clearButton = (page: Page) => page.locator('button[name="clear"]');
  const logInLink = (page: Page) => page.locator('a[href="/login"]', { hasText: "Log in" });

  /** A clear sent from inside `page`, as a script on the board's own origin could. */
  const clearFromPage = (page: Page) =>
    page.evaluate(async () => {
      const response = await fetch("/", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "clear=1",
        redirect: "manual",
      });
      return response.status;
    });

  it("logs in, clears, logs out; a second browser cannot clear; a forged cookie is refused", async () => {
    expect(existsSync(CHROMIUM), `Chromium is required in CI (looked at ${CHROMIUM})`).toBe(true);
    app = await startApp(join(folder, "messages.log"), 0, { env: { ADMIN_PASSWORD: PASSWORD } });
    const url = `http://127.0.0.1:${app.port}/`;

    const { context: adminContext, page: admin } = await browser("admin");
    await admin.goto(url);
    await admin.fill('textarea[name="message"]', "Written before the clear");
    await admin.click("text=Save Message");
    await messages(admin).filter({ hasText: "Written before the clear" }).waitFor();
    expect(await clearButton(admin).count()).toBe(0);

    // A wrong password: 401 and the form again; then the right one.
    await logInLink(admin).click();
    await admin.waitForURL(`${url}login`);
    await admin.fill('input[name="password"]', "not it");
    const refused = admin.waitForResponse(
      (r) => r.url() === `${url}login` && r.request().method() === "POST",
    );
    await admin.click('form.login button[type="submit"]');
    expect((await refused).status()).toBe(401);
    await expect(admin.locator("#error").textContent()).resolves.toContain("not the administrator");
    await admin.fill('input[name="password"]', PASSWORD);
    await admin.click('form.login button[type="submit"]');
    await admin.waitForURL(url);
    await clearButton(admin).waitFor();
    expect(await logInLink(admin).count()).toBe(0);
    const [session] = (await adminContext.cookies(url)).filter((c) => c.name === "board-session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    // HttpOnly: no script on the page can read it.
    expect(await admin.evaluate("document.cookie")).not.toContain("board-session");

    // A second browser sees "Log in", no Clear button, and its clear is refused.
    const { context: otherContext, page: other } = await browser("other");
    await other.goto(url);
    await logInLink(other).waitFor();
    expect(await clearButton(other).count()).toBe(0);
    expect(await clearFromPage(other)).toBe(401);

    // Forged cookies: a made-up one, and the real one with a later expiry written in.
    const [expires, nonce, mac] = session!.value.split(".") as [string, string, string];
    for (const value of [
      `9999999999.${"A".repeat(22)}.${"B".repeat(43)}`,
      `${Number(expires) + 86_400}.${nonce}.${mac}`,
    ]) {
      await otherContext.addCookies([{ name: "board-session", value, url }]);
      await other.reload();
      await logInLink(other).waitFor();
      expect(await clearButton(other).count()).toBe(0);
      expect(await clearFromPage(other)).toBe(401);
    }
    await other.reload();
    expect(await messages(other).allInnerTexts()).toEqual(["Written before the clear"]);

    // The administrator clears (the page asks first), then logs out.
    admin.once("dialog", (dialog) => void dialog.accept());
    await clearButton(admin).click();
    await admin.locator("#empty").waitFor({ state: "visible" });
    expect(await messages(admin).count()).toBe(0);
    await admin.click("text=Log out");
    await logInLink(admin).waitFor();
    expect(await clearButton(admin).count()).toBe(0);
    expect((await adminContext.cookies(url)).map((c) => c.name)).not.toContain("board-session");
    expect(await clearFromPage(admin)).toBe(401);

    expect(problems).toEqual([]);
  }, 90_000);
});
