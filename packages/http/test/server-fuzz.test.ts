import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RawClient, start } from "./server-helpers.js";

// Each run opens a real connection, so far fewer runs than the parser's fuzz; bounded by count
// and time, and WIREWEB_FUZZ_RUNS (divided by 10) raises the count.
const RUNS = Math.max(10, Math.round(Number(process.env.WIREWEB_FUZZ_RUNS ?? 300) / 10));
const settings = { numRuns: RUNS, interruptAfterTimeLimit: 15_000 };

interface Spec {
  method: "GET" | "HEAD" | "POST";
  body: string;
  chunked: boolean;
  /** The handler reads the body (otherwise it is dropped, which needs a short one). */
  read: boolean;
  /** The handler answers after a macrotask instead of at once. */
  slow: boolean;
  /** The handler streams its answer in two writes (chunked) instead of one end(). */
  stream: boolean;
}

const spec: fc.Arbitrary<Spec> = fc.record({
  method: fc.constantFrom("GET", "HEAD", "POST"),
  body: fc.string({ maxLength: 40 }),
  chunked: fc.boolean(),
  read: fc.boolean(),
  slow: fc.boolean(),
  stream: fc.boolean(),
});

function serialize(s: Spec, index: number): Buffer {
  const flags = `${s.read ? "r" : ""}${s.slow ? "s" : ""}${s.stream ? "t" : ""}`;
  const line = `${s.method} /${index}?${flags} HTTP/1.1\r\nHost: fuzz\r\n`;
  if (s.method !== "POST") return Buffer.from(`${line}\r\n`);
  const body = Buffer.from(s.body);
  if (!s.chunked) {
    return Buffer.concat([Buffer.from(`${line}Content-Length: ${body.length}\r\n\r\n`), body]);
  }
  const half = body.length >> 1;
  const parts = [body.subarray(0, half), body.subarray(half)].filter((p) => p.length > 0);
  const chunks = parts.map((p) => `${p.length.toString(16)}\r\n${p.toString("latin1")}\r\n`);
  return Buffer.from(
    `${line}Transfer-Encoding: chunked\r\n\r\n${chunks.join("")}0\r\n\r\n`,
    "latin1",
  );
}

/** What the handler answers for request `index`: the path, and the body when it read it. */
function expected(s: Spec, index: number): string {
  return `/${index}:${s.read && s.method === "POST" ? s.body : "-"}`;
}

describe("server under random pipelines and splits", () => {
  it("answers every request in order, whatever the split points and handler timing", async () => {
    const { port, errors } = await start(async (request, response) => {
      const flags = request.query;
      const body = flags.includes("r") ? await request.text() : "-";
      if (flags.includes("s")) await new Promise((resolve) => setImmediate(resolve));
      const text = `${request.path}:${request.method === "POST" ? body : "-"}`;
      if (flags.includes("t")) {
        const half = text.length >> 1;
        await response.write(text.slice(0, half));
        await response.end(text.slice(half));
      } else {
        await response.end(text);
      }
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (specs, cuts) => {
          const wire = Buffer.concat(specs.map(serialize));
          const points = [...new Set(cuts.map((c) => c % wire.length))].sort((a, b) => a - b);
          const client = await RawClient.connect(port);
          try {
            let from = 0;
            for (const point of [...points, wire.length]) {
              if (point > from) client.write(wire.subarray(from, point));
              from = point;
              await new Promise((resolve) => setImmediate(resolve));
            }
            for (const [index, s] of specs.entries()) {
              const response = await client.response({ head: s.method === "HEAD" });
              expect(response.status).toBe(200);
              if (s.method !== "HEAD") {
                expect(response.body.toString()).toBe(expected(s, index));
              }
            }
            expect(client.buffered.length).toBe(0);
          } finally {
            client.socket.destroy();
          }
        },
      ),
      settings,
    );
    expect(errors).toEqual([]);
  }, 30_000);
});
