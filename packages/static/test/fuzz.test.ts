import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET } from "./fixture.js";
import { type Running, rawRequest, startServer } from "./helpers.js";

let running: Running;
beforeAll(async () => {
  running = await startServer({ listing: true });
});
afterAll(async () => {
  await running.stop();
});

// Pieces of real attacks (research probe set, CVE tables) that random paths are built from.
const PIECES = [
  "..",
  ".",
  "%2e",
  "%2E",
  "%2e%2e",
  "%252e",
  "%2f",
  "%2F",
  "%5c",
  "\\",
  "%00",
  "%c0%ae",
  "%ff",
  "%",
  "%zz",
  "outside",
  "secret.txt",
  "link-out.txt",
  "dir-link-out",
  "link-to-dotfile.txt",
  ".env",
  ".git",
  "config",
  ".well-known",
  "sub",
  "hello.txt",
  "fünke.txt",
  "f%C3%BCnke.txt",
  "C:",
  "c:%5c",
  "~",
  "%20",
  ";",
  "?",
  "#",
];
const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 150);

describe("random hostile paths", () => {
  it("never reveal the secret beside the root, and always get a definite status", async () => {
    const segment = fc
      .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.join(""));
    const path = fc
      .array(fc.tuple(fc.constantFrom("/", "//"), segment), { minLength: 1, maxLength: 5 })
      .chain((pairs) =>
        fc
          .constantFrom("/", "")
          .map((tail) => `${pairs.map(([sep, s]) => sep + s).join("")}${tail}`),
      );
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom("GET", "HEAD"), async (target, method) => {
        // Only what a request line can carry: no spaces, controls or raw non-ASCII.
        const wire = encodeURI(target).replace(/%25/g, "%").replace(/%5C/gi, "\\");
        const response = await rawRequest(running, method, wire.replace(/#/g, "%23"));
        expect([200, 301, 400, 403, 404]).toContain(response.status);
        expect(response.head + response.body.toString("latin1")).not.toContain(SECRET);
        if (response.status === 301) {
          expect(response.headers.get("location")).toMatch(/^\/(?!\/)/);
        }
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 20_000 },
    );
  });
});
