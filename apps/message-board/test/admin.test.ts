import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createServer } from "@wireweb/http";
import { openStore } from "@wireweb/message-store";
import { afterEach, describe, expect, it } from "vitest";
import { type BoardOptions, createBoardHandler } from "../src/app.js";
import { deriveSessionKey, SessionSigner } from "../src/session.js";
import { apiJson, cleanUp, postForm, startBoard, storedTexts, tempFolder } from "./helpers.js";

afterEach(cleanUp);

const PASSWORD = "correct horse battery staple";

/** A board with an administrator and one message on it. */
async function adminBoard(options: Omit<BoardOptions, "store"> = {}) {
  const board = await startBoard({ adminPassword: PASSWORD, loopbackOnly: false, ...options });
  await board.store.append("keep me");
  return board;
}

/** Logs in through the form; returns the `name=value` to send back as `Cookie`. */
async function logIn(url: string, password = PASSWORD): Promise<string> {
  const response = await postForm(`${url}/login`, { password });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/");
  const setCookie = response.headers.get("set-cookie") ?? "";
  return setCookie.slice(0, setCookie.indexOf(";"));
}

/** The page's clear, confirmed (`clear=ask` would first answer a page that asks). */
const clearForm = (url: string, headers: Record<string, string> = {}, clear = "confirm") =>
  postForm(`${url}/`, { clear }, headers);
const clearApi = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/messages`, { method: "DELETE", headers });
const page = async (url: string, headers: Record<string, string> = {}) =>
  (await fetch(`${url}/`, { headers })).text();

describe("without an administrator", () => {
  it("on loopback only, anyone may clear, as in the chapter; /login says there is no administrator", async () => {
    const { url, store } = await startBoard({ loopbackOnly: true });
    await store.append("bye");
    const html = await page(url);
    expect(html).toContain('name="clear"');
    expect(html).not.toContain('href="/login"');
    expect((await clearForm(url)).status).toBe(303);
    expect(await storedTexts(store)).toEqual([]);
    const login = await fetch(`${url}/login`);
    expect(login.status).toBe(404);
    expect(await login.text()).toContain("anyone who can open it may clear it");
  });

  it("beyond loopback, nobody may clear: 403 that says how to configure one, and the page offers Log in", async () => {
    const { url, store } = await startBoard({ loopbackOnly: false });
    await store.append("stays");
    const html = await page(url);
    expect(html).not.toContain('name="clear"');
    expect(html).toContain('<a href="/login">Log in</a>');
    expect((await clearForm(url, {}, "ask")).status).toBe(403);
    const form = await clearForm(url);
    expect(form.status).toBe(403);
    expect(await form.text()).toContain(
      "--admin-password-file FILE (or the ADMIN_PASSWORD variable)",
    );
    const api = await clearApi(url, { authorization: "Bearer anything" });
    expect(api.status).toBe(403);
    expect((await apiJson(api)).error.code).toBe("ERR_CLEAR_DISABLED");
    expect((await fetch(`${url}/login`)).status).toBe(404);
    expect((await postForm(`${url}/login`, { password: "x" })).status).toBe(404);
    expect(await storedTexts(store)).toEqual(["stays"]);
  });
});

describe("with an administrator", () => {
  it("shows Log in, not Clear, to visitors; refuses their clears (401) and keeps the messages", async () => {
    const { url, store } = await adminBoard();
    const html = await page(url);
    expect(html).not.toContain('name="clear"');
    expect(html).toContain('<a href="/login">Log in</a>');
    const form = await clearForm(url);
    expect(form.status).toBe(401);
    expect(form.headers.get("www-authenticate")).toBe('Bearer realm="message-board"');
    expect(await form.text()).toContain("log in at /login first");
    // Not even the "are you sure?" page.
    expect((await clearForm(url, {}, "ask")).status).toBe(401);
    const api = await clearApi(url);
    expect(api.status).toBe(401);
    expect((await apiJson(api)).error.code).toBe("ERR_ADMIN_REQUIRED");
    expect(await storedTexts(store)).toEqual(["keep me"]);
  });

  it("serves the login form with a password field", async () => {
    const { url } = await adminBoard();
    const response = await fetch(`${url}/login`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/login" class="login">');
    expect(html).toContain('<input type="password" id="password" name="password"');
    expect((await fetch(`${url}/login`, { method: "PUT" })).status).toBe(405);
    expect((await fetch(`${url}/logout`)).status).toBe(405);
  });

  it("answers a wrong password with 401 and the form again, and sets no cookie", async () => {
    const { url } = await adminBoard();
    for (const password of ["", "wrong", PASSWORD.slice(0, -1), `${PASSWORD} `, "x".repeat(2000)]) {
      const response = await postForm(`${url}/login`, { password });
      expect(response.status).toBe(401);
      expect(response.headers.get("set-cookie")).toBeNull();
      const html = await response.text();
      expect(html).toContain("That is not the administrator&#39;s password.");
      expect(html).toContain('name="password"');
    }
  });

  it("logs in (303 and a signed HttpOnly SameSite=Strict cookie), clears, logs out", async () => {
    const { url, store } = await adminBoard();
    const response = await postForm(`${url}/login`, { password: PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.get("set-cookie")).toMatch(
      /^board-session=\d+\.[\w-]{22}\.[\w-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const cookie = await logIn(url);
    const html = await page(url, { cookie });
    expect(html).toContain('name="clear"');
    expect(html).toContain('action="/logout"');
    expect(html).not.toContain('href="/login"');
    const ask = await clearForm(url, { cookie }, "ask");
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Clear every message?");
    expect((await clearForm(url, { cookie })).status).toBe(303);
    expect(await storedTexts(store)).toEqual([]);
    await store.append("again");
    expect((await clearApi(url, { cookie })).status).toBe(200);
    expect(await storedTexts(store)).toEqual([]);

    const out = await postForm(`${url}/logout`, {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toBe(
      "board-session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict",
    );
  });

  it("accepts Authorization: Bearer <password> on the API, and refuses a wrong one", async () => {
    const { url, store } = await adminBoard();
    for (const authorization of [
      "Bearer wrong",
      "Basic Zm9vOmJhcg==",
      "Bearer",
      `bearer ${PASSWORD}x`,
    ]) {
      const refused = await clearApi(url, { authorization });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toBe(
        'Bearer realm="message-board", error="invalid_token"',
      );
      expect((await apiJson(refused)).error.code).toBe("ERR_WRONG_PASSWORD");
    }
    expect(await storedTexts(store)).toEqual(["keep me"]);
    const ok = await clearApi(url, { authorization: `Bearer ${PASSWORD}` });
    expect(ok.status).toBe(200);
    expect(await storedTexts(store)).toEqual([]);
    // The form route does not take a password in a header: only the session counts there.
    await store.append("x");
    expect((await clearForm(url, { authorization: `Bearer ${PASSWORD}` })).status).toBe(401);
  });

  it("treats a forged, tampered, foreign or expired cookie as logged out", async () => {
    const { url, store } = await adminBoard({ sessionSeconds: 3 });
    const cookie = await logIn(url);
    // The real one works (for 3 to 4 s)…
    expect(await page(url, { cookie })).toContain('name="clear"');
    const value = cookie.slice("board-session=".length);
    const [expires, nonce, mac] = value.split(".") as [string, string, string];
    const flip = (text: string, i: number) =>
      text.slice(0, i) + (text[i] === "A" ? "B" : "A") + text.slice(i + 1);
    const foreign = new SessionSigner(deriveSessionKey("another password"), 3600).issue();
    const forged = [
      `${Number(expires) + 3600}.${nonce}.${mac}`, // a later expiry under the old MAC
      `${expires}.${flip(nonce, 0)}.${mac}`,
      `${expires}.${nonce}.${flip(mac, 0)}`,
      `${expires}.${nonce}.${flip(mac, 42)}`, // the last character's spare bits too
      `${expires}.${nonce}.${mac.slice(0, -1)}`,
      foreign,
      "",
      "admin",
      "true",
    ];
    for (const fake of forged) {
      const headers = { cookie: `board-session=${fake}` };
      expect(await page(url, headers)).toContain('href="/login"');
      expect((await clearForm(url, headers)).status).toBe(401);
      expect((await clearApi(url, headers)).status).toBe(401);
    }
    expect(await storedTexts(store)).toEqual(["keep me"]);
    // …until it expires (waited out generously).
    await sleep(4100);
    expect(await page(url, { cookie })).toContain('href="/login"');
    expect((await clearForm(url, { cookie })).status).toBe(401);
    expect(await storedTexts(store)).toEqual(["keep me"]);
  });

  it("is stateless: a session from one board works at another with the same password", async () => {
    const a = await adminBoard();
    const b = await adminBoard();
    const c = await adminBoard({ adminPassword: "a different password" });
    const cookie = await logIn(a.url);
    expect((await clearForm(b.url, { cookie })).status).toBe(303);
    expect(await storedTexts(b.store)).toEqual([]);
    expect((await clearForm(c.url, { cookie })).status).toBe(401);
  });

  it("behind a TLS proxy (https: true) names the cookie __Host-Http-… and marks it Secure", async () => {
    const { url } = await adminBoard({ https: true });
    const response = await postForm(`${url}/login`, { password: PASSWORD });
    expect(response.headers.get("set-cookie")).toMatch(
      /^__Host-Http-board-session=[\w.-]+; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
    );
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(await page(url, { cookie })).toContain('name="clear"');
    // The plain-HTTP name is not read under HTTPS.
    expect(await page(url, { cookie: cookie.replace("__Host-Http-", "") })).toContain(
      'href="/login"',
    );
  });

  it("on its own TLS, names the cookie __Host-Http-… and marks it Secure", async () => {
    // A self-signed certificate for 127.0.0.1 (openssl is installed by .ci/run).
    const folder = tempFolder();
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        .concat(["-keyout", join(folder, "key.pem"), "-out", join(folder, "cert.pem")])
        .concat(["-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"]),
      { stdio: "ignore" },
    );
    const [key, cert] = ["key.pem", "cert.pem"].map((name) => readFileSync(join(folder, name)));
    const store = await openStore(join(folder, "messages.log"), { onWarning() {} });
    const board = createBoardHandler({ store, timeZone: "UTC", adminPassword: PASSWORD });
    const server = createServer(board, { tls: { key: key!, cert: cert! }, onError() {} });
    const { port } = await server.listen(0, "127.0.0.1");
    const send = (method: string, path: string, headers: Record<string, string>, body = "") =>
      new Promise<{ status: number; setCookie: string[]; body: string }>((resolve, reject) => {
        const request = httpsRequest(
          { host: "127.0.0.1", port, method, path, headers, ca: cert, agent: false },
          (response) => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => {
              text += chunk;
            });
            response.on("end", () =>
              resolve({
                status: response.statusCode ?? 0,
                setCookie: response.headers["set-cookie"] ?? [],
                body: text,
              }),
            );
          },
        );
        request.on("error", reject);
        request.end(body);
      });
    try {
      const form = { "content-type": "application/x-www-form-urlencoded" };
      const login = await send("POST", "/login", form, `password=${encodeURIComponent(PASSWORD)}`);
      expect(login.status).toBe(303);
      expect(login.setCookie).toHaveLength(1);
      expect(login.setCookie[0]).toMatch(
        /^__Host-Http-board-session=[\w.-]+; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
      );
      const cookie = login.setCookie[0]!.split(";")[0]!;
      expect((await send("GET", "/", { cookie })).body).toContain('name="clear"');
      // The plain-HTTP name means nothing over TLS.
      const plain = cookie.replace("__Host-Http-", "");
      expect((await send("GET", "/", { cookie: plain })).body).toContain('href="/login"');
      const logout = await send("POST", "/logout", { cookie });
      expect(logout.setCookie).toEqual([
        "__Host-Http-board-session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict",
      ]);
    } finally {
      await board.close();
      await server.close();
      await store.close();
    }
  });

  it("keeps the CSRF checks on login and logout", async () => {
    const { url } = await adminBoard();
    const crossSite = { "sec-fetch-site": "cross-site" };
    const login = await postForm(`${url}/login`, { password: PASSWORD }, crossSite);
    expect(login.status).toBe(403);
    expect(login.headers.get("set-cookie")).toBeNull();
    const cookie = await logIn(url);
    const logout = await postForm(`${url}/logout`, {}, { cookie, origin: "http://evil.example" });
    expect(logout.status).toBe(403);
    expect(logout.headers.get("set-cookie")).toBeNull();
    expect((await clearForm(url, { cookie, ...crossSite })).status).toBe(403);
  });
});

describe("wrong passwords from one address", () => {
  const loginLimits = {
    freeFailures: 2,
    delayStepMs: 300,
    maxDelayMs: 600,
    maxFailures: 4,
    windowMs: 60_000,
  };

  it("are answered at once, then slowed, then refused with 429 (even the right one)", async () => {
    const { url, store } = await adminBoard({ loginLimits });
    const took: number[] = [];
    for (let i = 0; i < 4; i++) {
      const started = performance.now();
      expect((await postForm(`${url}/login`, { password: "guess" })).status).toBe(401);
      took.push(performance.now() - started);
    }
    // Failures 3 and 4 wait 300 and 600 ms before the check (a timer never fires early).
    expect(took[2]).toBeGreaterThanOrEqual(290);
    expect(took[3]).toBeGreaterThanOrEqual(590);
    for (const password of ["guess", PASSWORD]) {
      const blocked = await postForm(`${url}/login`, { password });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(50);
      expect(Number(blocked.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(blocked.headers.get("set-cookie")).toBeNull();
      expect(await blocked.text()).toContain("Too many wrong passwords from your address");
    }
    const api = await clearApi(url, { authorization: `Bearer ${PASSWORD}` });
    expect(api.status).toBe(429);
    expect((await apiJson(api)).error.code).toBe("ERR_TOO_MANY_ATTEMPTS");
    expect(await storedTexts(store)).toEqual(["keep me"]);
  });

  it("count wrong Bearer passwords too, and many guesses at once gain nothing", async () => {
    const { url } = await adminBoard({ loginLimits });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => clearApi(url, { authorization: "Bearer guess" })).map(
        async (response) => (await response).status,
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  });

  it("are forgiven by a right password", async () => {
    const { url } = await adminBoard({ loginLimits });
    // Unforgiven, the second round's second guess would be attempt 5: a 429.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) {
        expect((await postForm(`${url}/login`, { password: "guess" })).status).toBe(401);
      }
      await logIn(url);
    }
  });
});
