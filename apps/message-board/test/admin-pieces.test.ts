import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeClearAccess } from "../src/admin.js";
import { readAdminPassword } from "../src/admin-password.js";
import { addressKey, LoginLimiter } from "../src/login-limiter.js";
import { isLoopbackAddress, listensOnLoopbackOnly } from "../src/loopback.js";
import { createPasswordCheck, deriveSessionKey, SessionSigner } from "../src/session.js";
import { cleanUp, tempFolder } from "./helpers.js";

afterEach(cleanUp);

describe("SessionSigner", () => {
  const key = deriveSessionKey("pw");
  let now = Date.UTC(2026, 11, 5, 3, 0, 0);
  const signer = new SessionSigner(key, 60, () => now);

  it("verifies what it issued until the signed expiry, then never again", () => {
    const start = now;
    const token = signer.issue();
    expect(token).toMatch(/^\d+\.[\w-]{22}\.[\w-]{43}$/);
    expect(token.split(".")[0]).toBe(String(start / 1000 + 60));
    expect(signer.verify(token)).toBe(true);
    now = start + 59_999;
    expect(signer.verify(token)).toBe(true);
    now = start + 60_000;
    expect(signer.verify(token)).toBe(false);
    now = start;
  });

  it("refuses the token with any one character changed", () => {
    const token = signer.issue();
    for (let i = 0; i < token.length; i++) {
      const other = token[i] === "1" ? "2" : token[i] === "." ? "_" : "1";
      expect(signer.verify(token.slice(0, i) + other + token.slice(i + 1)), `at ${i}`).toBe(false);
    }
  });

  it.each([
    ["nothing", undefined],
    ["empty", ""],
    ["a number", "99999999999"],
    ["two parts", "99999999999.abc"],
    ["padding", `99999999999.${"A".repeat(22)}.${"A".repeat(42)}=`],
    ["a 13-digit expiry", `9999999999999.${"A".repeat(22)}.${"A".repeat(43)}`],
  ])("refuses a malformed token (%s)", (_name, token) => {
    expect(signer.verify(token)).toBe(false);
  });

  it("derives the same key from the same password and another from another", () => {
    expect(deriveSessionKey("pw").equals(key)).toBe(true);
    expect(deriveSessionKey("pw ").equals(key)).toBe(false);
    const token = signer.issue();
    expect(new SessionSigner(deriveSessionKey("pw"), 60, () => now).verify(token)).toBe(true);
    expect(new SessionSigner(deriveSessionKey("PW"), 60, () => now).verify(token)).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a lifetime of %s seconds", (seconds) => {
    expect(() => new SessionSigner(key, seconds)).toThrow(RangeError);
  });
});

describe("createPasswordCheck", () => {
  const matches = createPasswordCheck("s3cret pässword");
  it.each([
    ["s3cret pässword", true],
    ["s3cret pa\u0308ssword", true], // the same text, decomposed (NFC makes them equal)
    ["s3cret pässwor", false],
    ["s3cret pässwordd", false],
    ["S3cret pässword", false],
    ["", false],
  ])("%j → %s", (candidate, expected) => {
    expect(matches(candidate)).toBe(expected);
  });
});

describe("LoginLimiter", () => {
  const limits = {
    freeFailures: 2,
    delayStepMs: 100,
    maxDelayMs: 250,
    maxFailures: 5,
    windowMs: 10_000,
  };

  it("lets free failures through, delays the next ones (capped), then blocks until the window ends", () => {
    let now = 1_000_000;
    const limiter = new LoginLimiter(limits, () => now);
    const verdicts = Array.from({ length: 7 }, () => limiter.attempt("192.0.2.1"));
    expect(verdicts).toEqual([
      { blocked: false, delayMs: 0 },
      { blocked: false, delayMs: 0 },
      { blocked: false, delayMs: 100 },
      { blocked: false, delayMs: 200 },
      { blocked: false, delayMs: 250 },
      { blocked: true, retryAfterSeconds: 10 },
      { blocked: true, retryAfterSeconds: 10 },
    ]);
    now += 7_500;
    expect(limiter.attempt("192.0.2.1")).toEqual({ blocked: true, retryAfterSeconds: 3 });
    expect(limiter.attempt("192.0.2.2")).toEqual({ blocked: false, delayMs: 0 });
    now += 2_500;
    expect(limiter.attempt("192.0.2.1")).toEqual({ blocked: false, delayMs: 0 });
  });

  it("forgives an address on success, and counts an IPv6 /64 as one address", () => {
    const limiter = new LoginLimiter(limits);
    limiter.attempt("2001:db8:1:2::1");
    limiter.attempt("2001:db8:1:2:ffff::9");
    expect(limiter.attempt("2001:db8:1:2:0:0:0:3")).toEqual({ blocked: false, delayMs: 100 });
    limiter.succeeded("2001:db8:1:2::77");
    expect(limiter.attempt("2001:db8:1:2::1")).toEqual({ blocked: false, delayMs: 0 });
  });

  it("remembers at most 10 000 addresses", () => {
    const limiter = new LoginLimiter(limits);
    limiter.attempt("10.0.0.0");
    limiter.attempt("10.0.0.0");
    for (let i = 1; i < 10_050; i++) limiter.attempt(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    // The oldest were forgotten: the first address starts over (remembered, this would wait).
    expect(limiter.attempt("10.0.0.0")).toEqual({ blocked: false, delayMs: 0 });
  });
});

describe("addressKey", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::FFFF:192.0.2.1", "192.0.2.1"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002::", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
  ])("%s → %s", (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe("loopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["::1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.2", false],
    ["::ffff:10.0.0.1", false],
    ["fe80::1", false],
    ["128.0.0.1", false],
  ])("isLoopbackAddress(%s) is %s", (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["[::1]", true],
    ["", false],
    ["0.0.0.0", false],
    ["::", false],
    ["no-such-host.invalid", false],
  ])("listensOnLoopbackOnly(%j) is %s", async (host, expected) => {
    await expect(listensOnLoopbackOnly(host)).resolves.toBe(expected);
  });
});

describe("readAdminPassword", () => {
  const file = (text: string) => {
    const path = join(tempFolder(), "admin-password");
    writeFileSync(path, text);
    return path;
  };

  it.each([
    ["one line", "s3cret words\n", "s3cret words"],
    ["no final newline", "s3cret", "s3cret"],
    ["a CRLF", "s3cret\r\n", "s3cret"],
    ["spaces kept", "  s3cret  \n", "  s3cret  "],
  ])("reads a file with %s", async (_name, text, expected) => {
    await expect(readAdminPassword(file(text), {})).resolves.toBe(expected);
  });

  it("prefers the file to ADMIN_PASSWORD, takes the variable without a file, else none", async () => {
    await expect(readAdminPassword(file("from-file"), { ADMIN_PASSWORD: "env" })).resolves.toBe(
      "from-file",
    );
    await expect(readAdminPassword(undefined, { ADMIN_PASSWORD: "env" })).resolves.toBe("env");
    await expect(readAdminPassword(undefined, {})).resolves.toBeUndefined();
  });

  it.each([
    ["an empty file", () => readAdminPassword(file(""), {}), /is empty/],
    ["a file of one newline", () => readAdminPassword(file("\n"), {}), /is empty/],
    ["two lines", () => readAdminPassword(file("a\nb\n"), {}), /more than one line/],
    ["a missing file", () => readAdminPassword("/nonexistent/pw", {}), /cannot read .*ENOENT/],
    [
      "an empty variable",
      () => readAdminPassword(undefined, { ADMIN_PASSWORD: "" }),
      /set but empty/,
    ],
  ])("refuses %s", async (_name, read, message) => {
    await expect(read()).rejects.toThrow(message);
  });
});

describe("describeClearAccess", () => {
  it("says who may clear; warns when nobody may", () => {
    expect(describeClearAccess("administrator", "0.0.0.0")).toEqual({
      line: "Only the administrator may clear the board (log in at /login).",
      warning: false,
    });
    expect(describeClearAccess("anyone", "localhost").line).toContain(
      "listens on this machine only",
    );
    const nobody = describeClearAccess("nobody", "0.0.0.0");
    expect(nobody.warning).toBe(true);
    expect(nobody.line).toContain('host "0.0.0.0"');
    expect(nobody.line).toContain("--admin-password-file FILE");
  });
});
