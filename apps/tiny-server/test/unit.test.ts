import { UsageError } from "@wireweb/app-shell";
import { describe, expect, it } from "vitest";
import { parseCli } from "../src/cli.js";
import { showBytes } from "../src/show-bytes.js";
import { summarizeUserAgent } from "../src/user-agent.js";

describe("summarizeUserAgent", () => {
  const cases: Array<[string | undefined, string, string]> = [
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome 131",
      "Linux",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
      "Microsoft Edge 131",
      "Windows",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Firefox 133",
      "macOS",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      "Safari 18",
      "macOS",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Safari 18",
      "iOS",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      "Chrome 131",
      "Android",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
      "Opera 115",
      "Windows",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
      "Headless Chrome 156",
      "Linux",
    ],
    ["curl/7.88.1", "curl 7", "unknown"],
    ["node", "Node.js", "unknown"],
    ["SomethingElse/1.0", "an unrecognised client", "unknown"],
    [undefined, "unknown (no User-Agent header)", "unknown"],
  ];
  it.each(cases)("%s", (userAgent, browser, os) => {
    expect(summarizeUserAgent(userAgent)).toEqual({ browser, os });
  });
});

describe("showBytes", () => {
  it("shows CR, LF, TAB and non-printable bytes visibly", () => {
    const bytes = Uint8Array.from([0x47, 0x0d, 0x0a, 0x09, 0x00, 0xff, 0x7f, 0x20]);
    expect(showBytes(bytes)).toBe("G\\r\\n\n\\t\\x00\\xff\\x7f ");
  });
});

describe("parseCli", () => {
  it("uses defaults", () => {
    expect(parseCli([], {})).toEqual({
      host: "localhost",
      port: 8080,
      once: false,
      quiet: false,
      help: false,
      tlsCert: undefined,
      tlsKey: undefined,
      redirectHttp: undefined,
      workers: 1,
    });
  });
  it("reads PORT, HOST and QUIET from the environment", () => {
    expect(parseCli([], { PORT: "9001", HOST: "127.0.0.1", QUIET: "1" })).toMatchObject({
      host: "127.0.0.1",
      port: 9001,
      quiet: true,
    });
  });
  it("lets flags win over the environment", () => {
    expect(parseCli(["--port", "9002", "--host", "::1", "--once"], { PORT: "9001" })).toMatchObject(
      {
        host: "::1",
        port: 9002,
        once: true,
      },
    );
  });
  it.each([
    ["--port", "abc"],
    ["--port", "70000"],
    ["--port", "-1"],
    ["--nope"],
    ["extra"],
    ["--once", "--workers", "2"],
  ])("rejects %s %s", (...argv) => {
    expect(() => parseCli(argv, {})).toThrow(UsageError);
  });
});
