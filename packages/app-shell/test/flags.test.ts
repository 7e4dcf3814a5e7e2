import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  defineApp,
  defineFlags,
  formatUsage,
  invocationDirectory,
  parseConfig,
  parseFlags,
  UsageError,
} from "../src/index.js";

const TABLE = defineFlags({
  port: {
    type: "integer",
    min: 0,
    max: 65535,
    default: 8080,
    env: "PORT",
    value: "N",
    help: "port",
  },
  root: { type: "path", env: "ROOT", value: "DIR", help: "folder" },
  name: { type: "string", default: "board", help: "a name" },
  quiet: { type: "boolean", env: "QUIET", help: "no log" },
  dotfiles: {
    type: "choice",
    choices: ["ignore", "deny", "allow"],
    default: "ignore",
    help: "dots",
  },
  "max-age": { type: "integer", min: 0, max: 100, help: "seconds" },
  tz: {
    type: "custom",
    value: "ZONE",
    label: "time zone",
    help: "zone",
    parse(text: string) {
      if (text !== "UTC") throw new Error("use UTC");
      return text;
    },
  },
  help: { type: "boolean", help: "help" },
});

describe("parseFlags", () => {
  it("gives every flag its default, under its camel-cased name", () => {
    expect(parseFlags(TABLE, [], {})).toEqual({
      port: 8080,
      root: undefined,
      name: "board",
      quiet: false,
      dotfiles: "ignore",
      maxAge: undefined,
      tz: undefined,
      help: false,
    });
  });

  it.each([
    [["--port", "9000"], { port: 9000 }],
    [["--port=9000"], { port: 9000 }],
    [["--", "--port", "0"], { port: 0 }],
    [["--port", "1", "--port", "2"], { port: 2 }],
    [["--root", "/srv/www"], { root: "/srv/www" }],
    [["--root=--odd"], { root: resolve("--odd") }],
    [["--name", "x y"], { name: "x y" }],
    [["--quiet"], { quiet: true }],
    [["--dotfiles", "deny"], { dotfiles: "deny" }],
    [["--max-age", "100"], { maxAge: 100 }],
    [["--tz", "UTC"], { tz: "UTC" }],
    [["-h"], { help: true }],
  ])("reads %j", (argv, expected) => {
    expect(parseFlags(TABLE, argv, {})).toMatchObject(expected);
  });

  it("reads variables when the flag is absent; flags win; an empty variable is unset", () => {
    const env = { PORT: "7000", ROOT: "/srv", QUIET: "1" };
    expect(parseFlags(TABLE, [], env)).toMatchObject({ port: 7000, root: "/srv", quiet: true });
    expect(parseFlags(TABLE, ["--port", "1"], env)).toMatchObject({ port: 1 });
    expect(parseFlags(TABLE, [], { PORT: "", ROOT: "" })).toMatchObject({
      port: 8080,
      root: undefined,
    });
  });

  it.each([
    ["1", true],
    ["yes", true],
    ["", false],
    ["0", false],
    ["false", false],
    ["FALSE", false],
  ])("QUIET=%j is %s", (value, expected) => {
    expect(parseFlags(TABLE, [], { QUIET: value }).quiet).toBe(expected);
  });

  it.each([
    [["--prot", "80"], "WW_SHELL_UNKNOWN_FLAG", "unknown flag --prot (did you mean --port?)"],
    [["--max"], "WW_SHELL_UNKNOWN_FLAG", "unknown flag --max (did you mean --max-age?)"],
    [["--zzzzzz"], "WW_SHELL_UNKNOWN_FLAG", "unknown flag --zzzzzz"],
    [["--port"], "WW_SHELL_MISSING_VALUE", "--port needs a value: --port N"],
    [["--root", "--quiet"], "WW_SHELL_MISSING_VALUE", "--root needs a value: --root DIR"],
    [["--root", ""], "WW_SHELL_MISSING_VALUE", "--root needs a value: --root DIR"],
    [["--quiet=yes"], "WW_SHELL_BAD_VALUE", "--quiet takes no value"],
    [
      ["--port", "http"],
      "WW_SHELL_BAD_VALUE",
      'invalid port "http" (--port): expected a whole number from 0 to 65535',
    ],
    [
      ["--port", "65536"],
      "WW_SHELL_BAD_VALUE",
      'invalid port "65536" (--port): expected a whole number from 0 to 65535',
    ],
    [
      ["--port", "-1"],
      "WW_SHELL_BAD_VALUE",
      'invalid port "-1" (--port): expected a whole number from 0 to 65535',
    ],
    [
      ["--port", "1e3"],
      "WW_SHELL_BAD_VALUE",
      'invalid port "1e3" (--port): expected a whole number from 0 to 65535',
    ],
    [
      ["--max-age", "1.5"],
      "WW_SHELL_BAD_VALUE",
      'invalid max age "1.5" (--max-age): expected a whole number from 0 to 100',
    ],
    [
      ["--dotfiles", "maybe"],
      "WW_SHELL_BAD_VALUE",
      'invalid dotfiles "maybe" (--dotfiles): expected ignore, deny or allow',
    ],
    [["--tz", "Mars"], "WW_SHELL_BAD_VALUE", 'invalid time zone "Mars" (--tz): use UTC'],
    [
      ["site"],
      "WW_SHELL_UNEXPECTED_ARGUMENT",
      'unexpected argument "site": every option is a --flag (see --help)',
    ],
    [
      ["-p"],
      "WW_SHELL_UNEXPECTED_ARGUMENT",
      'unexpected argument "-p": every option is a --flag (see --help)',
    ],
    [
      ["--port", "1", "--"],
      "WW_SHELL_UNEXPECTED_ARGUMENT",
      'unexpected argument "--": every option is a --flag (see --help)',
    ],
    [["--constructor"], "WW_SHELL_UNKNOWN_FLAG", "unknown flag --constructor"],
  ])("refuses %j: %s", (argv, code, message) => {
    const error = catchError(() => parseFlags(TABLE, argv, {}));
    expect(UsageError.is(error)).toBe(true);
    expect(error).toMatchObject({ code, message, exitCode: 2 });
  });

  it("names the variable when a variable is wrong", () => {
    expect(() => parseFlags(TABLE, [], { PORT: "eighty" })).toThrow(
      'invalid port "eighty" (PORT): expected a whole number from 0 to 65535',
    );
  });
});

describe("relative paths", () => {
  it("resolve against INIT_CWD while a package script runs (pnpm start), else the cwd", () => {
    const underPnpm = { npm_lifecycle_event: "start", INIT_CWD: "/home/user/project" };
    expect(parseFlags(TABLE, ["--root", "./site"], underPnpm).root).toBe("/home/user/project/site");
    expect(parseFlags(TABLE, ["--root", "../x"], underPnpm).root).toBe("/home/user/x");
    expect(parseFlags(TABLE, [], { ...underPnpm, ROOT: "site" }).root).toBe(
      "/home/user/project/site",
    );
    expect(parseFlags(TABLE, ["--root", "/abs"], underPnpm).root).toBe("/abs");
    expect(parseFlags(TABLE, ["--root", "site"], {}).root).toBe(resolve("site"));
    // A stale INIT_CWD outside a package script is not trusted.
    expect(parseFlags(TABLE, ["--root", "site"], { INIT_CWD: "/elsewhere" }).root).toBe(
      resolve("site"),
    );
  });

  it("invocationDirectory falls back to the cwd", () => {
    expect(invocationDirectory({ npm_lifecycle_event: "start", INIT_CWD: "/a" })).toBe("/a");
    expect(invocationDirectory({ npm_lifecycle_event: "start", INIT_CWD: "" })).toBe(process.cwd());
    expect(invocationDirectory({})).toBe(process.cwd());
  });
});

describe("defineFlags", () => {
  it.each([["Port"], ["my_flag"], ["-x"], ["a--b"], [""]])("refuses the name %j", (name) => {
    expect(() => defineFlags({ [name]: { type: "boolean", help: "x" } })).toThrow(TypeError);
  });

  it("refuses an integer range that is empty", () => {
    expect(() => defineFlags({ n: { type: "integer", min: 5, max: 1, help: "x" } })).toThrow(
      RangeError,
    );
  });
});

describe("formatUsage", () => {
  it("lines up one row per flag, with variables and defaults, wrapped at 100 columns", () => {
    const text = formatUsage({
      usage: "demo [options]",
      summary: "Does a thing.",
      flags: {
        port: TABLE.port,
        quiet: TABLE.quiet,
        dotfiles: TABLE.dotfiles,
        "a-very-long-flag-name-indeed": { type: "string", value: "VALUE", help: "long" },
        tz: { ...TABLE.tz, defaultText: "the machine's", help: "x ".repeat(60).trim() },
      },
    });
    expect(text).toBe(
      [
        "Usage: demo [options]",
        "",
        "Does a thing.",
        "",
        "Options:",
        "  --port N                  port (env PORT, default 8080)",
        "  --quiet                   no log (env QUIET=1)",
        "  --dotfiles ignore|deny|allow",
        "                            dots (default ignore)",
        "  --a-very-long-flag-name-indeed VALUE",
        "                            long",
        `  --tz ZONE                 ${"x ".repeat(36).trim()}`,
        `                            ${"x ".repeat(24).trim()} (default the machine's)`,
        "",
      ].join("\n"),
    );
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe("defineApp and parseConfig", () => {
  const app = defineApp({
    name: "demo",
    summary: "A demo.",
    flags: { once: { type: "boolean", help: "one" } },
    check(config) {
      if (config.once && config.workers > 1) {
        throw new UsageError("WW_SHELL_REFUSED", "--once cannot run with --workers");
      }
    },
    start: () => ({ handler: async (_request, response) => response.end() }),
  });

  it("adds the shell's flags to the app's", () => {
    expect(parseConfig(app, [], {})).toEqual({
      port: 8080,
      host: "localhost",
      once: false,
      tlsCert: undefined,
      tlsKey: undefined,
      redirectHttp: undefined,
      workers: 1,
      quiet: false,
      help: false,
    });
    expect(
      parseConfig(app, ["--workers", "3", "--tls-cert", "c.pem", "--tls-key", "/k.pem"], {
        WORKERS: "2",
      }),
    ).toMatchObject({ workers: 3, tlsCert: resolve("c.pem"), tlsKey: "/k.pem" });
    expect(parseConfig(app, [], { TLS_CERT: "/c", TLS_KEY: "/k", WORKERS: "2" })).toMatchObject({
      tlsCert: "/c",
      tlsKey: "/k",
      workers: 2,
    });
  });

  it.each([
    [["--tls-cert", "c.pem"], "--tls-cert needs --tls-key (the certificate's private key)"],
    [["--tls-key", "k.pem"], "--tls-key needs --tls-cert (the certificate the key belongs to)"],
    [
      ["--redirect-http", "8080"],
      "--redirect-http sends plain HTTP to https://: it needs --tls-cert and --tls-key",
    ],
    [
      ["--tls-cert", "c", "--tls-key", "k", "--port", "8443", "--redirect-http", "8443"],
      "--redirect-http 8443 is the HTTPS port too: choose another",
    ],
    [["--once", "--workers", "2"], "--once cannot run with --workers"],
    [["--workers", "0"], 'invalid workers "0" (--workers): expected a whole number from 1 to 256'],
  ])("refuses %j", (argv, message) => {
    const error = catchError(() => parseConfig(app, argv, {}));
    expect(UsageError.is(error)).toBe(true);
    expect((error as Error).message).toBe(message);
  });

  it("refuses an app flag that has a shell flag's name", () => {
    expect(() =>
      defineApp({
        name: "clash",
        summary: "",
        flags: { port: { type: "string", help: "mine" } },
        start: () => ({ handler: async (_q, r) => r.end() }),
      }),
    ).toThrow("--port is one of the shell's own flags; clash cannot define it");
  });
});

describe("UsageError.is", () => {
  it("recognises copies by their brand, and nothing else", () => {
    const error = new UsageError("WW_SHELL_BAD_VALUE", "x");
    expect(UsageError.is(error)).toBe(true);
    const copy = Object.assign(new Error("x"), {
      [Symbol.for("@wireweb/app-shell:UsageError")]: true,
    });
    expect(UsageError.is(copy)).toBe(true);
    expect(UsageError.is(new Error("x"))).toBe(false);
    expect(UsageError.is(null)).toBe(false);
    expect(UsageError.is("WW_SHELL_BAD_VALUE")).toBe(false);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
