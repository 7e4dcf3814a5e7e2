import { write as fsWrite } from "node:fs";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  apiJson,
  cleanUp,
  eventsOf,
  postForm,
  readEvents,
  startBoard,
  storedTexts,
} from "./helpers.js";

afterEach(cleanUp);

describe("the page", () => {
  it("shows an empty board with both forms and the security headers", async () => {
    const { url } = await startBoard();
    for (const path of ["/", "/index.html"]) {
      const response = await fetch(url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const html = await response.text();
      expect(html).toContain("<h1>Tiny Message Board</h1>");
      expect(html).toContain('name="message"');
      expect(html).toContain("Save Message");
      expect(html).toContain('name="clear"');
      expect(html).toContain("No messages yet.");
    }
  });

  it("stores a post, answers 303 to the new message, and shows it with its time (Post/Redirect/Get)", async () => {
    const { url, store } = await startBoard({ timeZone: "Europe/Berlin" });
    const posted = await postForm(`${url}/`, { message: "Hello, board!" });
    expect(posted.status).toBe(303);
    // Issue 16: the browser lands on the new message, not at the top of a long page.
    expect(posted.headers.get("location")).toBe("/#m-1");
    const [message] = (await store.list()).messages;
    expect(message?.text).toBe("Hello, board!");
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain("Hello, board!");
    expect(html).toContain(`<time datetime="${message!.postedAt}">`);
    expect(html).toMatch(
      /Posted: <time[^>]*>\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d CES?T<\/time>/,
    );
    expect(html).toContain("Times are shown in Europe/Berlin.");
  });

  it("keeps the lines of a multi-line message (CRLF from browsers becomes LF)", async () => {
    const { url, store } = await startBoard();
    await postForm(`${url}/`, { message: "line one\r\n\r\n  line three" });
    expect(await storedTexts(store)).toEqual(["line one\n\n  line three"]);
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain('<pre class="text">\nline one\n\n  line three</pre>');
  });

  it("escapes every message (the chapter's board is a stored XSS hole)", async () => {
    const { url } = await startBoard();
    const attack = `<script>alert("xss")</script><img src=x onerror='alert(1)'>`;
    await postForm(`${url}/`, { message: attack });
    const html = await (await fetch(`${url}/`)).text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;",
    );
  });

  it.each(["", "   ", "\r\n\t"])(
    "answers an empty or whitespace-only message (%j) with a friendly 400 and stores nothing",
    async (message) => {
      const { url, store } = await startBoard();
      const response = await postForm(`${url}/`, { message });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain("Please write a message");
      expect(html).toContain('name="message"');
      expect(await storedTexts(store)).toEqual([]);
    },
  );

  it("answers a message over the limit with 413, keeps the draft, stores nothing", async () => {
    const { url, store } = await startBoard();
    const response = await postForm(`${url}/`, { message: "x".repeat(4097) });
    expect(response.status).toBe(413);
    const html = await response.text();
    expect(html).toContain("the limit is 4096 bytes");
    expect(html).toContain(`${"x".repeat(4097)}</textarea>`);
    expect(await storedTexts(store)).toEqual([]);
    expect((await postForm(`${url}/`, { message: "é".repeat(2048) })).status).toBe(303);
  });

  it("answers a full disk with 503 that says so and keeps the draft, then saves once there is room", async () => {
    let full = false; // the store writes its header on open
    const warnings: string[] = [];
    const { url, store } = await startBoard({}, undefined, {
      onWarning: (w) => warnings.push(w),
      fs: {
        write: (fd, buffer, offset, length, position) =>
          full
            ? Promise.reject(
                Object.assign(new Error("ENOSPC: no space left on device, write"), {
                  code: "ENOSPC",
                }),
              )
            : new Promise((resolve, reject) =>
                fsWrite(fd, buffer, offset, length, position, (e, n) =>
                  e ? reject(e) : resolve(n),
                ),
              ),
      },
    });
    full = true;
    const page = await postForm(`${url}/`, { message: "keep <me>" });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain("Not saved: the board&#39;s disk is full. Please try again later.");
    expect(html).toContain("keep &lt;me&gt;</textarea>");
    const api = await fetch(`${url}/api/messages`, {
      method: "POST",
      body: '{"text":"x"}',
      headers: { "content-type": "application/json" },
    });
    expect(api.status).toBe(503);
    expect((await apiJson(api)).error.code).toBe("ERR_STORE_NO_SPACE");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("ENOSPC");
    full = false;
    expect((await postForm(`${url}/`, { message: "keep <me>" })).status).toBe(303);
    expect(await storedTexts(store)).toEqual(["keep <me>"]);
  });

  it("answers a body over the limit with 413 and stores nothing", async () => {
    const { url, store } = await startBoard({ maxBodyBytes: 1000 });
    const response = await postForm(`${url}/`, { message: "y".repeat(2000) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain(`${"y".repeat(2000)}</textarea>`);
    expect(await storedTexts(store)).toEqual([]);
  });

  it("keeps a long draft whose body passes the message limit but not the body limit (issue 16)", async () => {
    // 6,000 Cyrillic letters: 12,000 bytes of UTF-8, 36,000 bytes %-encoded (limit 16 KiB).
    const { url, store } = await startBoard();
    const draft = "Ж".repeat(6000);
    const response = await postForm(`${url}/`, { message: draft });
    expect(response.status).toBe(413);
    const html = await response.text();
    expect(html).toContain(`${draft}</textarea>`);
    expect(html).toContain(
      'id="message-error" role="alert">Your message is 12000 bytes long; the limit is 4096 bytes',
    );
    expect(await storedTexts(store)).toEqual([]);
    // Far beyond any typed message, the body is not read at all.
    const huge = await postForm(`${url}/`, { message: "z".repeat(70_000) });
    expect(huge.status).toBe(413);
  });

  it("keeps the draft and shows the error in the form for an empty message too", async () => {
    const { url } = await startBoard();
    const response = await postForm(`${url}/`, { message: "  \n " });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(
      /id="message-error" role="alert">Please write a message before saving it.<\/p>\n<textarea[^>]*autofocus>\n {2}\n <\/textarea>/,
    );
  });

  it("clears every message with the Clear Messages form", async () => {
    const { url, store } = await startBoard();
    await postForm(`${url}/`, { message: "one" });
    await postForm(`${url}/`, { message: "two" });
    // The button asks first (without script too): a page with a form that really clears.
    const asked = await postForm(`${url}/`, { clear: "ask" });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('name="clear" value="confirm"');
    expect(await storedTexts(store)).toEqual(["one", "two"]);
    const cleared = await postForm(`${url}/`, { clear: "confirm" });
    expect(cleared.status).toBe(303);
    expect(cleared.headers.get("location")).toBe("/");
    expect(await storedTexts(store)).toEqual([]);
    expect(await (await fetch(`${url}/`)).text()).toContain("No messages yet.");
  });

  it("refuses other form encodings with 415", async () => {
    const { url, store } = await startBoard();
    const body = new FormData();
    body.set("message", "multipart");
    const response = await fetch(`${url}/`, { method: "POST", body, redirect: "manual" });
    expect(response.status).toBe(415);
    expect(await storedTexts(store)).toEqual([]);
  });

  it("shows the latest page with a link to older ones, and pages by cursor", async () => {
    const { url, store } = await startBoard({ pageSize: 3 });
    for (let i = 1; i <= 7; i++) await store.append(`message ${i}`);
    const shown = (html: string) =>
      [...html.matchAll(/<pre class="text">\n(message \d)</g)].map((m) => m[1]);
    const latest = await (await fetch(`${url}/`)).text();
    expect(shown(latest)).toEqual(["message 5", "message 6", "message 7"]);
    const older = latest.match(/href="(\/\?before=[^"]+)">Older messages/)?.[1];
    expect(older).toBeDefined();
    const page2 = await (await fetch(url + older)).text();
    expect(shown(page2)).toEqual(["message 2", "message 3", "message 4"]);
    expect(page2).toContain('<a href="/">Latest messages</a>');
    expect(page2).not.toContain("data-live");
    const page3 = await (await fetch(url + page2.match(/href="(\/\?before=[^"]+)"/)![1])).text();
    expect(shown(page3)).toEqual(["message 1"]);
    expect(page3).not.toContain("Older messages");
    const newer = await (await fetch(url + page2.match(/href="(\/\?after=[^"]+)"/)![1])).text();
    expect(shown(newer)).toEqual(["message 5", "message 6", "message 7"]);
  });

  it("answers a bad cursor with 400", async () => {
    const { url } = await startBoard();
    expect((await fetch(`${url}/?before=banana`)).status).toBe(400);
    expect((await fetch(`${url}/?before=1&after=2`)).status).toBe(400);
  });

  it("answers HEAD like GET, without a body", async () => {
    const { url } = await startBoard();
    const response = await fetch(`${url}/`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });
});

describe("cross-origin protection", () => {
  it.each([
    [{ "sec-fetch-site": "cross-site" }],
    [{ "sec-fetch-site": "same-site" }],
    [{ origin: "http://evil.example" }],
    [{ origin: "null" }],
  ])("refuses a post with %j with 403 and stores nothing", async (headers) => {
    const { url, store } = await startBoard();
    const response = await postForm(`${url}/`, { message: "forged" }, headers);
    expect(response.status).toBe(403);
    expect(await storedTexts(store)).toEqual([]);
  });

  it("refuses a cross-site clear and a cross-site API post/delete", async () => {
    const { url, store } = await startBoard();
    await store.append("keep me");
    const evil = { "sec-fetch-site": "cross-site" };
    expect((await postForm(`${url}/`, { clear: "1" }, evil)).status).toBe(403);
    const api = await fetch(`${url}/api/messages`, {
      method: "POST",
      headers: { ...evil, "content-type": "application/json" },
      body: '{"text":"forged"}',
    });
    expect(api.status).toBe(403);
    expect((await apiJson(api)).error.code).toBe("ERR_CROSS_ORIGIN");
    expect((await fetch(`${url}/api/messages`, { method: "DELETE", headers: evil })).status).toBe(
      403,
    );
    expect(await storedTexts(store)).toEqual(["keep me"]);
  });

  it("allows same-origin browsers and header-less clients like curl", async () => {
    const { url, port, store } = await startBoard();
    const cases: Array<Record<string, string>> = [
      { "sec-fetch-site": "same-origin" },
      { "sec-fetch-site": "none" },
      { origin: `http://127.0.0.1:${port}` },
      {},
    ];
    for (const headers of cases) {
      expect((await postForm(`${url}/`, { message: "ok" }, headers)).status).toBe(303);
    }
    expect(await storedTexts(store)).toHaveLength(4);
  });
});

describe("JSON API", () => {
  it("creates messages from JSON and from forms: 201 with the stored message", async () => {
    const { url, store } = await startBoard();
    const json = await fetch(`${url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "from JSON" }),
    });
    expect(json.status).toBe(201);
    const created = await apiJson(json);
    expect(Object.keys(created)).toEqual(["id", "text", "postedAt"]);
    expect(created.text).toBe("from JSON");
    expect(created.postedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const form = await postForm(`${url}/api/messages`, { message: "from a form" });
    expect(form.status).toBe(201);
    expect((await apiJson(form)).text).toBe("from a form");
    expect(await storedTexts(store)).toEqual(["from JSON", "from a form"]);
  });

  it.each([
    ["blank text", "application/json", '{"text":"  "}', 400, "ERR_EMPTY_MESSAGE"],
    ["broken JSON", "application/json", '{"text":', 400, "ERR_INVALID_JSON"],
    [
      "5000-byte text",
      "application/json",
      JSON.stringify({ text: "z".repeat(5000) }),
      413,
      "ERR_MESSAGE_TOO_LARGE",
    ],
    [
      "20000-byte body",
      "application/json",
      JSON.stringify({ text: "z".repeat(20000) }),
      413,
      "ERR_BODY_TOO_LARGE",
    ],
    ["text/plain", "text/plain", "hello", 415, "ERR_UNSUPPORTED_MEDIA_TYPE"],
  ])("%s → %i %s, nothing stored", async (_name, type, body, status, code) => {
    const { url, store } = await startBoard();
    const response = await fetch(`${url}/api/messages`, {
      method: "POST",
      headers: { "content-type": type },
      body,
    });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const error = (await apiJson(response)).error;
    expect(error.code).toBe(code);
    expect(typeof error.message).toBe("string");
    expect(await storedTexts(store)).toEqual([]);
  });

  it("lists pages oldest first with a next cursor, and exports up to 100000 at once", async () => {
    const { url, store } = await startBoard();
    for (let i = 1; i <= 5; i++) await store.append(`m${i}`);
    const first = await apiJson(await fetch(`${url}/api/messages?limit=2`));
    expect(first.messages.map((m: { text: string }) => m.text)).toEqual(["m4", "m5"]);
    expect(Object.keys(first.messages[0]!)).toEqual(["id", "text", "postedAt"]);
    const second = await apiJson(await fetch(`${url}/api/messages?limit=2&before=${first.next}`));
    expect(second.messages.map((m: { text: string }) => m.text)).toEqual(["m2", "m3"]);
    const third = await apiJson(await fetch(`${url}/api/messages?limit=2&before=${second.next}`));
    expect(third).toEqual({ messages: [expect.objectContaining({ text: "m1" })], next: null });
    const all = await apiJson(await fetch(`${url}/api/messages?limit=100000`));
    expect(all.messages).toHaveLength(5);
  });

  it.each([
    ["limit=0", "ERR_INVALID_LIMIT"],
    ["limit=100001", "ERR_INVALID_LIMIT"],
    ["before=nope", "ERR_INVALID_CURSOR"],
  ])("answers ?%s with 400 %s", async (query, code) => {
    const { url } = await startBoard();
    const response = await fetch(`${url}/api/messages?${query}`);
    expect(response.status).toBe(400);
    expect((await apiJson(response)).error.code).toBe(code);
  });

  it("clears with DELETE", async () => {
    const { url, store } = await startBoard();
    await store.append("gone soon");
    const response = await fetch(`${url}/api/messages`, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(typeof (await apiJson(response)).id).toBe("string");
    expect(await storedTexts(store)).toEqual([]);
  });
});

describe("live updates (Server-Sent Events)", () => {
  it("streams new messages and clears, each with an id", async () => {
    const { url, store, board } = await startBoard();
    const controller = new AbortController();
    const response = await fetch(`${url}/api/messages/events`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const opening = await readEvents(response, (t) => t.includes(": stream open"));
    expect(opening).toMatch(/^retry: \d+\n/);
    expect(board.liveStreams).toBe(1);
    const posted = await postForm(`${url}/`, { message: "live\nmessage" });
    expect(posted.status).toBe(303);
    await store.clear();
    const text = await readEvents(response, (t) => t.includes("event: clear"));
    const [message] = eventsOf(text, "message");
    expect(JSON.parse(message!.data)).toMatchObject({ text: "live\nmessage" });
    expect(message!.id).toBe(JSON.parse(message!.data).id);
    const [clear] = eventsOf(text, "clear");
    expect(Number(clear!.id)).toBeGreaterThan(Number(message!.id));
    controller.abort();
  });

  it("replays what came after Last-Event-ID (or ?after=), then goes live", async () => {
    const { url, store } = await startBoard();
    const first = await store.append("one");
    await store.append("two");
    await store.append("three");
    const cases: Array<{ path: string; headers: Record<string, string> }> = [
      { path: "/api/messages/events", headers: { "last-event-id": first.id } },
      // Last-Event-ID wins over the page's ?after= when the browser reconnects.
      { path: "/api/messages/events?after=3", headers: { "last-event-id": first.id } },
      { path: `/api/messages/events?after=${first.id}`, headers: {} },
    ];
    for (const init of cases) {
      const controller = new AbortController();
      const response = await fetch(url + init.path, {
        headers: init.headers,
        signal: controller.signal,
      });
      const text = await readEvents(response, (t) => t.includes('"three"'));
      expect(eventsOf(text, "message").map((e) => JSON.parse(e.data).text)).toEqual([
        "two",
        "three",
      ]);
      controller.abort();
    }
  });

  it("answers a bad Last-Event-ID with 400 before streaming", async () => {
    const { url } = await startBoard();
    const response = await fetch(`${url}/api/messages/events`, {
      headers: { "last-event-id": "not-a-cursor" },
    });
    expect(response.status).toBe(400);
    expect((await apiJson(response)).error.code).toBe("ERR_INVALID_CURSOR");
  });

  it("sends pings while idle", async () => {
    const { url } = await startBoard({ sse: { pingMs: 30 } });
    const controller = new AbortController();
    const response = await fetch(`${url}/api/messages/events`, { signal: controller.signal });
    expect(await readEvents(response, (t) => t.includes(": ping\n\n"))).toContain(": ping");
    controller.abort();
  });

  it("forgets a stream when its client goes away", async () => {
    const { url, board, store } = await startBoard();
    const controller = new AbortController();
    const response = await fetch(`${url}/api/messages/events`, { signal: controller.signal });
    await readEvents(response, (t) => t.includes(": stream open"));
    expect(board.liveStreams).toBe(1);
    controller.abort();
    // The server notices on its next write at the latest.
    for (let i = 0; i < 50 && board.liveStreams > 0; i++) {
      await store.append(`poke ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(board.liveStreams).toBe(0);
  });

  it("ends every stream on close, so the server can shut down", async () => {
    const running = await startBoard();
    const response = await fetch(`${running.url}/api/messages/events`);
    await readEvents(response, (t) => t.includes(": stream open"));
    await running.close();
    const rest = await readEvents(response, () => false, 3000).catch((error) => String(error));
    expect(rest).not.toMatch(/timed out/);
    expect(running.board.liveStreams).toBe(0);
  });
});

describe("static assets and other routes", () => {
  it("serves the page's script and style sheet with validators", async () => {
    const { url } = await startBoard();
    const script = await fetch(`${url}/board.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("EventSource");
    const etag = script.headers.get("etag")!;
    const again = await fetch(`${url}/board.js`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const css = await fetch(`${url}/board.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain("pre-wrap");
  });

  it("serves its assets through @wireweb/static: Last-Modified, If-Modified-Since, ranges, HEAD", async () => {
    const { url } = await startBoard();
    const css = await fetch(`${url}/board.css`);
    const body = await css.text();
    const lastModified = css.headers.get("last-modified")!;
    expect(Date.parse(lastModified)).toBeGreaterThan(0);
    expect(css.headers.get("cache-control")).toBe("no-cache");
    expect(css.headers.get("accept-ranges")).toBe("bytes");
    // The board's own security headers stay on its assets.
    expect(css.headers.get("content-security-policy")).toContain("default-src 'self'");
    const since = await fetch(`${url}/board.css`, {
      headers: { "if-modified-since": lastModified },
    });
    expect(since.status).toBe(304);
    const part = await fetch(`${url}/board.css`, { headers: { range: "bytes=0-9" } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe(body.slice(0, 10));
    const head = await fetch(`${url}/favicon.svg`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
  });

  it("answers unknown paths with 404 and wrong methods with 405 and Allow", async () => {
    const { url } = await startBoard();
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const api404 = await fetch(`${url}/api/nope`);
    expect((await apiJson(api404)).error.code).toBe("ERR_NOT_FOUND");
    const put = await fetch(`${url}/`, { method: "PUT", body: "x" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
    const events = await fetch(`${url}/api/messages/events`, { method: "POST", body: "" });
    expect(events.status).toBe(405);
  });
});

describe("durability across restarts", () => {
  it("shows the same messages after the board restarts on the same file", async () => {
    const first = await startBoard();
    await postForm(`${first.url}/`, { message: "still here" });
    await postForm(`${first.url}/`, { message: "me too" });
    await first.close();
    const second = await startBoard({}, first.file);
    const html = await (await fetch(`${second.url}/`)).text();
    expect(html.indexOf("still here")).toBeGreaterThan(0);
    expect(html.indexOf("me too")).toBeGreaterThan(html.indexOf("still here"));
  });
});

describe("bounded live-update queues", () => {
  it("drops a subscriber that stops reading, keeps one that reads, and stays healthy", async () => {
    const { url, port, store, board } = await startBoard(
      { sse: { queueLimit: 8, stallMs: 300 } },
      undefined,
      { maxMessageBytes: 64 * 1024 },
    );
    // The laggard: asks for the stream and never reads a byte.
    const laggard = connect(port, "127.0.0.1");
    laggard.pause();
    laggard.write("GET /api/messages/events HTTP/1.1\r\nHost: x\r\n\r\n");
    // The reader: reads everything.
    const controller = new AbortController();
    const reader = await fetch(`${url}/api/messages/events`, { signal: controller.signal });
    for (let i = 0; i < 100 && board.liveStreams < 2; i++) await sleep(10);
    expect(board.liveStreams).toBe(2);

    // More than the socket buffers hold: loopback grows the send side to 4 MB (tcp_wmem).
    const COUNT = 120;
    const text = "x".repeat(64 * 1024 - 100);
    const received = readEvents(reader, '"text":"last"', 15_000);
    for (let first = 0; first < COUNT; first += 20) {
      await Promise.all(Array.from({ length: 20 }, () => store.append(text)));
    }
    await store.append("last");
    const events = eventsOf(await received, "message");
    expect(events).toHaveLength(COUNT + 1);
    for (let i = 0; i < 100 && board.liveStreams > 1; i++) await sleep(20);
    // 8 MB went out; the laggard held at most its queue plus what the socket buffers took.
    expect(board.liveStreams).toBe(1);
    expect((await fetch(`${url}/`)).status).toBe(200);
    controller.abort();
    laggard.destroy();
  }, 60_000);
});
