import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { describeListenError, escapeHtml, hostPort, serverUrl } from "../src/index.js";

describe("escapeHtml", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`"quoted" & 'single'`, "&quot;quoted&quot; &amp; &#39;single&#39;"],
    [
      `<a href="x" onclick='y'>&</a>`,
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    ],
    ["&amp; stays text", "&amp;amp; stays text"],
    ["plain\nlines", "plain\nlines"],
    ["", ""],
  ])("escapes %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("describeListenError", () => {
  it("says in one line that a real port is in use", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as { port: number };
    const second = createServer();
    const error = await new Promise<unknown>((resolve) => {
      second.once("error", resolve);
      second.listen(port, "127.0.0.1");
    });
    holder.close();
    expect(describeListenError(error, "127.0.0.1", port)).toBe(
      `cannot listen on 127.0.0.1:${port}: the port is already in use (try another --port, or stop what holds it)`,
    );
  });

  it.each([
    [
      { code: "EACCES" },
      "localhost",
      80,
      "cannot listen on localhost:80: permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE (try --port 8080)",
    ],
    [{ code: "EACCES" }, "localhost", 8080, "cannot listen on localhost:8080: permission denied"],
    [
      { code: "EADDRNOTAVAIL" },
      "10.9.9.9",
      8080,
      "cannot listen on 10.9.9.9:8080: this machine has no such address (check --host)",
    ],
    [
      { code: "ENOTFOUND" },
      "nope.invalid",
      1,
      "cannot listen on nope.invalid:1: no such host name (check --host)",
    ],
    [new Error("odd"), "::1", 1, "cannot listen on [::1]:1: odd"],
  ])("explains %j", (error, host, port, line) => {
    expect(describeListenError(error, host, port)).toBe(line);
  });

  it("writes URLs a person can open", () => {
    expect(hostPort("::1", 80)).toBe("[::1]:80");
    expect(serverUrl("localhost", 8080, false)).toBe("http://localhost:8080/");
    expect(serverUrl("::1", 8443, true)).toBe("https://[::1]:8443/");
    expect(serverUrl("0.0.0.0", 80, false)).toBe("http://localhost:80/");
  });
});
