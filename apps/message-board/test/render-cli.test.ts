import { resolve } from "node:path";
import { UsageError } from "@wireweb/app-shell";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_FILE, parseCli, timeZoneOf } from "../src/cli.js";
import {
  renderBoardPage,
  renderClearConfirmPage,
  renderErrorPage,
  renderMessage,
  renderText,
} from "../src/render.js";
import { createTimeFormatter } from "../src/time-format.js";

const formatter = createTimeFormatter("UTC");
const message = (id: string, text: string) => ({
  id,
  text,
  postedAt: "2026-11-23T19:58:36.123Z",
});

describe("renderMessage", () => {
  it("escapes the text and keeps its lines inside a <pre>", () => {
    const html = renderMessage(message("4", "<img src=x onerror=alert(1)>\nline 2"), formatter);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;\nline 2</pre>");
    expect(html).not.toContain("<img");
    expect(html).toContain('<li id="m-4">');
  });

  it("writes a newline after <pre> so a leading newline in the text survives HTML parsing", () => {
    expect(renderMessage(message("1", "\nstarts blank"), formatter)).toContain(
      '<pre class="text">\n\nstarts blank</pre>',
    );
  });

  it("shows Posted: with a readable time and the machine-readable datetime", () => {
    expect(renderMessage(message("1", "x"), formatter)).toContain(
      'Posted: <time datetime="2026-11-23T19:58:36.123Z">Mon 23 Nov 2026, 19:58:36 UTC</time>',
    );
  });
});

describe("renderBoardPage", () => {
  const base = { formatter, latest: true, maxMessageBytes: 4096 };

  it("has the chapter's title, the messages in order, and both forms", () => {
    const html = renderBoardPage({
      ...base,
      messages: [message("1", "first"), message("2", "second")],
      liveUrl: "/api/messages/events?after=2",
    });
    expect(html).toContain("<title>Tiny Message Board</title>");
    expect(html).toContain("<h1>Tiny Message Board</h1>");
    expect(html.indexOf("first")).toBeLessThan(html.indexOf("second"));
    expect(html.indexOf("second")).toBeLessThan(html.indexOf('name="message"'));
    expect(html).toMatch(/<textarea[^>]*name="message"/);
    expect(html).toMatch(/<button type="submit" class="primary">Save Message<\/button>/);
    expect(html).toMatch(
      /<form[^>]*id="clear-form">\n<button type="submit" name="clear" value="ask" class="danger">Clear Messages/,
    );
    expect(html).toContain('data-live="/api/messages/events?after=2"');
    expect(html).toContain('data-time-zone="UTC"');
    expect(html).toContain("Times are shown in UTC.");
    expect(html).toContain('<p id="empty" class="empty" hidden>');
    expect(html).not.toContain("Older messages");
    expect(html).not.toContain("<script>");
    expect(html).toContain('<script src="/board.js" defer></script>');
  });

  it("says the board is empty", () => {
    expect(renderBoardPage({ ...base, messages: [] })).toContain(
      '<p id="empty" class="empty">No messages yet.</p>',
    );
  });

  it("links to older and newer pages with encoded cursors", () => {
    const html = renderBoardPage({
      formatter,
      latest: false,
      maxMessageBytes: 4096,
      messages: [message("5", "x")],
      olderCursor: "4&x",
      newerCursor: "5",
    });
    expect(html).toContain('<a rel="prev" href="/?before=4%26x">Older messages</a>');
    expect(html).toContain('<a rel="next" href="/?after=5">Newer messages</a>');
    expect(html).toContain('<a href="/">Latest messages</a>');
    expect(html).not.toContain("data-live");
  });

  it("shows an error and puts the draft back, escaped", () => {
    const html = renderBoardPage({
      ...base,
      messages: [],
      error: "Too <long>",
      draft: "</textarea><script>alert(1)</script>",
    });
    expect(html).toContain('role="alert">Too &lt;long&gt;</p>');
    expect(html).toContain("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
  });

  it("puts the error inside the form, tied to the text box, and focuses the box (issue 16)", () => {
    const html = renderBoardPage({ ...base, messages: [], error: "Too long", draft: "d" });
    expect(html).toContain('<form method="post" action="/#compose" class="post" id="compose">');
    expect(html).toMatch(
      /<label for="message">Your message<\/label>\n<p class="notice error" id="message-error" role="alert">Too long<\/p>\n<textarea [^>]*aria-describedby="message-error message-room" autofocus>\nd<\/textarea>/,
    );
    const calm = renderBoardPage({ ...base, messages: [] });
    expect(calm).toMatch(/<textarea [^>]*aria-describedby="message-room">/);
    expect(calm).not.toContain("autofocus");
  });

  it("says how much room a message has, without script (issue 16)", () => {
    const html = renderBoardPage({ ...base, messages: [], maxMessageBytes: 300 });
    expect(html).toContain('data-max-bytes="300"');
    expect(html).toContain(
      '<p id="message-room" class="hint" aria-live="polite">Up to 300 bytes: about 300 letters of English, fewer in most other scripts.</p>',
    );
  });

  it("escapes the error page's message", () => {
    expect(renderErrorPage(404, "<x>")).toContain("&lt;x&gt;");
  });

  it.each([
    ["the board", renderBoardPage({ ...base, messages: [] })],
    ["an error page", renderErrorPage(503, "x")],
    ["the clear confirmation", renderClearConfirmPage()],
  ])("%s has a viewport for phones (issue 16)", (_, html) => {
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it("asks to confirm a clear with a form that clears, and a way back", () => {
    const html = renderClearConfirmPage();
    expect(html).toContain("<h2>Clear every message?</h2>");
    expect(html).toMatch(
      /<form method="post" action="\/" class="clear">\n<button type="submit" name="clear" value="confirm" class="danger">Yes, clear every message<\/button>/,
    );
    expect(html).toContain('<a href="/" class="back">No, back to the board</a>');
  });
});

describe("renderText (issue 16: control characters are shown, not sent raw)", () => {
  it.each([
    ["plain <b>&", "plain &lt;b&gt;&amp;"],
    ["tab\tand\nnewline kept", "tab\tand\nnewline kept"],
    ["nul\u0000", 'nul<span class="control" title="control character U+0000">NUL</span>'],
    ["\u001b[31mred", '<span class="control" title="control character U+001B">ESC</span>[31mred'],
    ["cr\r", 'cr<span class="control" title="control character U+000D">CR</span>'],
    ["del\u007f", 'del<span class="control" title="control character U+007F">DEL</span>'],
    ["c1\u0085", 'c1<span class="control" title="control character U+0085">U+0085</span>'],
    [
      "\u0007<\u0007",
      '<span class="control" title="control character U+0007">BEL</span>&lt;<span class="control" title="control character U+0007">BEL</span>',
    ],
  ])("%j", (text, html) => {
    expect(renderText(text)).toBe(html);
  });

  it("is what a message's text goes through", () => {
    expect(renderMessage(message("1", "a\u0000b"), formatter)).toContain(
      `a<span class="control" title="control character U+0000">NUL</span>b</pre>`,
    );
  });
});

describe("parseCli", () => {
  const env = { TZ: "UTC" };

  it("has the documented defaults", () => {
    const config = parseCli([], env);
    expect(config).toEqual({
      host: "localhost",
      port: 8080,
      data: DEFAULT_DATA_FILE,
      tz: undefined,
      database: undefined,
      databaseSchema: "message_board",
      trustProxy: false,
      pageSize: 100,
      maxMessageBytes: 4096,
      quiet: false,
      help: false,
      tlsCert: undefined,
      tlsKey: undefined,
      redirectHttp: undefined,
      workers: 1,
    });
    expect(timeZoneOf(config.tz, env)).toEqual({ timeZone: "UTC" });
    expect(DEFAULT_DATA_FILE).toMatch(/apps\/message-board\/data\/messages\.log$/);
  });

  it("reads PORT, HOST, MESSAGES_FILE, TZ and QUIET, and flags win", () => {
    const envVars = {
      PORT: "9000",
      HOST: "0.0.0.0",
      MESSAGES_FILE: "/tmp/board.log",
      TZ: "Europe/Berlin",
      QUIET: "1",
    };
    const fromEnv = parseCli([], envVars);
    expect(fromEnv).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      data: "/tmp/board.log",
      quiet: true,
    });
    expect(timeZoneOf(fromEnv.tz, envVars)).toEqual({ timeZone: "Europe/Berlin" });
    const flags = parseCli(
      ["--port", "9001", "--host", "127.0.0.1", "--data", "/tmp/x.log", "--tz", "Asia/Tokyo"],
      { PORT: "9000", HOST: "0.0.0.0", MESSAGES_FILE: "/tmp/board.log", TZ: "UTC" },
    );
    expect(flags).toMatchObject({ port: 9001, host: "127.0.0.1", data: "/tmp/x.log" });
    expect(timeZoneOf(flags.tz, { TZ: "UTC" })).toEqual({ timeZone: "Asia/Tokyo" });
  });

  it("reads DATABASE_URL, DATABASE_SCHEMA and TRUST_PROXY; --workers N is allowed with a database", () => {
    const url = "postgres://board:secret@127.0.0.1:5432/board";
    expect(
      parseCli(["--workers", "2"], {
        DATABASE_URL: url,
        DATABASE_SCHEMA: "boards",
        TRUST_PROXY: "1",
      }),
    ).toMatchObject({ database: url, databaseSchema: "boards", trustProxy: true, workers: 2 });
    expect(parseCli(["--database", url, "--trust-proxy"], {})).toMatchObject({
      database: url,
      trustProxy: true,
    });
  });

  it("resolves a relative --data against where pnpm was run", () => {
    const viaPnpm = parseCli(["--data", "b.log"], {
      npm_lifecycle_event: "start",
      INIT_CWD: "/home/u",
    });
    expect(viaPnpm.data).toBe("/home/u/b.log");
    expect(parseCli(["--data", "b.log"], {}).data).toBe(resolve("b.log"));
  });

  it.each([
    ["CET-1CEST", 'TZ="CET-1CEST" is not a time zone this runtime knows'],
    ["Europe/Berlinn", 'TZ="Europe/Berlinn" is not a time zone this runtime knows'],
    ["", "TZ is set but empty"],
  ])("shows UTC, with a warning, when TZ=%j names no zone (issue 16)", (tz, reason) => {
    expect(timeZoneOf(parseCli([], {}).tz, { TZ: tz })).toEqual({
      timeZone: "UTC",
      warning: `${reason}; showing times in UTC (set --tz, e.g. --tz Europe/Berlin)`,
    });
  });

  it.each([
    ["europe/berlin", "Europe/Berlin"],
    ["EST", "America/Panama"],
    ["utc", "UTC"],
  ])("takes --tz %s as %s, the name the page shows too (issue 16)", (typed, zone) => {
    expect(parseCli(["--tz", typed], env).tz).toBe(zone);
  });

  it.each([
    [["--bogus"]],
    [["--port", "70000"]],
    [["--port", "http"]],
    [["--tz", "Mars/Base"]],
    [["--page-size", "0"]],
    [["--max-message-bytes", "x"]],
    [["--data", ""]],
    [["positional"]],
    [["--workers", "2"]],
    [["--database", "mysql://x@y/z"]],
    [["--database", "postgres://"]],
    [["--database-schema", "Board"]],
    [["--database-schema", "a;drop"]],
  ])("refuses %j with a UsageError", (argv) => {
    expect(() => parseCli(argv, env)).toThrow(UsageError);
  });
});
