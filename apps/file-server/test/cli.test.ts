import { resolve } from "node:path";
import { UsageError } from "@wireweb/app-shell";
import { describe, expect, it } from "vitest";
import { parseCli } from "../src/cli.js";

describe("parseCli", () => {
  it("has safe defaults", () => {
    expect(parseCli([], {})).toEqual({
      root: undefined,
      host: "localhost",
      port: 8080,
      quiet: false,
      listing: false,
      dotfiles: "ignore",
      maxAge: undefined,
      immutable: false,
      noPrecompressed: false,
      dev: false,
      help: false,
      tlsCert: undefined,
      tlsKey: undefined,
      redirectHttp: undefined,
      workers: 1,
    });
  });

  it("reads every flag", () => {
    const config = parseCli(
      [
        "--root",
        "site",
        "--port",
        "9000",
        "--host",
        "0.0.0.0",
        "--quiet",
        "--listing",
        "--dotfiles",
        "allow",
        "--max-age",
        "31536000",
        "--immutable",
        "--no-precompressed",
        "--dev",
        "--help",
      ],
      {},
    );
    expect(config).toMatchObject({
      root: resolve("site"),
      host: "0.0.0.0",
      port: 9000,
      quiet: true,
      listing: true,
      dotfiles: "allow",
      maxAge: 31536000,
      immutable: true,
      noPrecompressed: true,
      dev: true,
      help: true,
    });
  });

  it("takes ROOT, PORT, HOST and QUIET from the environment; flags win", () => {
    const env = { ROOT: "/srv/www", PORT: "7000", HOST: "127.0.0.1", QUIET: "1" };
    expect(parseCli([], env)).toMatchObject({
      root: "/srv/www",
      port: 7000,
      host: "127.0.0.1",
      quiet: true,
    });
    expect(parseCli(["--root", "x", "--port", "1", "--host", "h"], env)).toMatchObject({
      root: resolve("x"),
      port: 1,
      host: "h",
    });
    expect(parseCli([], { PORT: "", QUIET: "0" })).toMatchObject({ port: 8080, quiet: false });
  });

  it.each([
    [["--port", "http"]],
    [["--port", "65536"]],
    [["--port", "-1"]],
    [["--root", ""]],
    [["--dotfiles", "maybe"]],
    [["--max-age", "1.5"]],
    [["--max-age", "99999999999"]],
    [["--immutable"]],
    [["--bogus"]],
    [["positional"]],
    [["--root"]],
  ])("rejects %j with a UsageError", (argv) => {
    expect(() => parseCli(argv, {})).toThrow(UsageError);
  });

  it("rejects a bad PORT variable too", () => {
    expect(() => parseCli([], { PORT: "eighty" })).toThrow(/invalid port "eighty"/);
  });
});
