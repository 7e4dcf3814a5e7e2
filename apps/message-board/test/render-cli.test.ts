import { resolve } from "node:path";
import { UsageError } from "@wireweb/app-shell";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_FILE, parseCli, timeZoneOf } from "../src/cli.js";
import { renderBoardPage, renderErrorPage, renderMessage } from "../src/render.js";
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
  const base = { formatter, latest: true };

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
    expect(html).toMatch(/<button type="submit">Save Message<\/button>/);
    expect(html).toMatch(
      /<form[^>]*id="clear-form">\n<button type="submit" name="clear"[^>]*>Clear Messages/,
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

  it("escapes the error page's message", () => {
    expect(renderErrorPage(404, "<x>")).toContain("&lt;x&gt;");
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
      pageSize: 100,
      maxMessageBytes: 4096,
      quiet: false,
      help: false,
      tlsCert: undefined,
      tlsKey: undefined,
      redirectHttp: undefined,
      workers: 1,
    });
    expect(timeZoneOf(config.tz, env)).toBe("UTC");
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
    expect(timeZoneOf(fromEnv.tz, envVars)).toBe("Europe/Berlin");
    const flags = parseCli(
      ["--port", "9001", "--host", "127.0.0.1", "--data", "/tmp/x.log", "--tz", "Asia/Tokyo"],
      { PORT: "9000", HOST: "0.0.0.0", MESSAGES_FILE: "/tmp/board.log", TZ: "UTC" },
    );
    expect(flags).toMatchObject({ port: 9001, host: "127.0.0.1", data: "/tmp/x.log" });
    expect(timeZoneOf(flags.tz, { TZ: "UTC" })).toBe("Asia/Tokyo");
  });

  it("resolves a relative --data against where pnpm was run", () => {
    const viaPnpm = parseCli(["--data", "b.log"], {
      npm_lifecycle_event: "start",
      INIT_CWD: "/home/u",
    });
    expect(viaPnpm.data).toBe("/home/u/b.log");
    expect(parseCli(["--data", "b.log"], {}).data).toBe(resolve("b.log"));
  });

  it("falls back to the machine's zone when TZ is not an IANA name", () => {
    expect(timeZoneOf(parseCli([], {}).tz, { TZ: "CET-1CEST" })).toBe(
      new Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
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
  ])("refuses %j with a UsageError", (argv) => {
    expect(() => parseCli(argv, env)).toThrow(UsageError);
  });
});
