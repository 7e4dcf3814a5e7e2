/**
 * What the fetch adapter costs per request, in one process and without sockets: the parsed
 * request and the response writer are the server's own (IncomingRequest, ServerResponse on a
 * sink that takes every write at once), so only the objects differ between contenders.
 *
 * - "Request": building a standard Request for a parsed GET and reading its method, URL and
 *   one header, eagerly (`new Request(url, { method, headers })`) against LazyRequest.
 * - "Hono app": the same Hono route through toHandler, with the light Response installed and
 *   with native Responses only; the plain @wireweb/http handler writing the same bytes is the
 *   floor.
 *
 * Interleaved rounds, medians, each contender's output checked first.
 *
 *   npx tsx bench/fetch-objects.ts
 *   BENCH_QUICK=1 npx tsx bench/fetch-objects.ts
 */
import { Hono } from "hono";
import { toHandler } from "../src/fetch-adapter.js";
import { installFetchGlobals } from "../src/fetch-globals.js";
import { LazyRequest } from "../src/lazy-request.js";
import { NativeResponse } from "../src/light-response.js";
import { IncomingRequest } from "../src/request.js";
import { RequestParser } from "../src/request-parser.js";
import { RESOLVED, ServerResponse } from "../src/response.js";
import { scanOriginForm } from "../src/target.js";
import type { Handler, RequestHead } from "../src/types.js";

const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 3 : 7;
const ROUND_MS = QUICK ? 100 : 1000;

const RAW = Buffer.from(
  "GET /hello?name=wire HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate, br\r\nCookie: session=abc\r\n\r\n",
  "latin1",
);

function parseHead(): RequestHead {
  let head: RequestHead | undefined;
  const parser = new RequestParser({
    onHead: (h) => {
      head = h;
    },
    onBody: () => {},
    onComplete: () => {},
  });
  parser.execute(RAW);
  return head!;
}
const HEAD = parseHead();
const SOURCE = { startReading() {}, wantMore() {}, waiting() {} };

/** A response sink that takes every write at once and remembers the last bytes (for checking). */
class Sink {
  last = "";
  keep = false;
  send(data: Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (this.keep) {
      const parts = Array.isArray(data) ? data : [data];
      this.last += Buffer.concat(parts as Uint8Array[]).toString("latin1");
    }
    return RESOLVED;
  }
  mustClose() {
    return false;
  }
  responseFinished() {}
}
const sink = new Sink();

function exchange(): [IncomingRequest, ServerResponse] {
  const request = new IncomingRequest(
    HEAD,
    scanOriginForm(HEAD.target),
    SOURCE,
    "127.0.0.1",
    5000,
    false,
    1 << 20,
  );
  const response = new ServerResponse(sink, { isHead: false, versionMinor: 1, keepAlive: true });
  return [request, response];
}

/** A contender; `before` runs before each of its rounds (to set the global Response it needs). */
type Case = { name: string; run: () => unknown; before?: () => void };

async function time(fn: () => unknown): Promise<number> {
  const end = performance.now() + ROUND_MS;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) {
      const r = fn();
      if (r instanceof Promise) await r;
    }
    n += 200;
  }
  return (ROUND_MS * 1000) / n; // µs per call
}

async function compare(title: string, cases: Case[]): Promise<void> {
  const results = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (const c of cases) {
    c.before?.();
    await time(c.run); // warm-up
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      c.before?.();
      results.get(c.name)!.push(await time(c.run));
    }
  }
  console.log(
    `\n${title}\n| contender | µs per request (median) | speed vs the first row |\n|---|--:|--:|`,
  );
  const medians = cases.map((c) => {
    const sorted = results.get(c.name)!.sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  });
  cases.forEach((c, i) => {
    console.log(
      `| ${c.name} | ${medians[i]!.toFixed(2)} | ${(medians[0]! / medians[i]!).toFixed(2)}x |`,
    );
  });
}

// ---- Request objects ----------------------------------------------------------------------
const URL_TEXT = "http://localhost:8080/hello?name=wire";
const requestCases: Case[] = [
  {
    name: "new Request(url, { method, headers }) (eager)",
    run: () => {
      const [raw] = exchange();
      const request = new Request(URL_TEXT, { method: raw.method, headers: [...raw.headers] });
      return (
        request.method.length + request.url.length + (request.headers.get("accept")?.length ?? 0)
      );
    },
  },
  {
    name: "LazyRequest (what the adapter builds)",
    run: () => {
      const [raw] = exchange();
      const request = new LazyRequest(raw, URL_TEXT) as unknown as Request;
      return (
        request.method.length + request.url.length + (request.headers.get("accept")?.length ?? 0)
      );
    },
  },
  {
    name: "the parsed request alone (IncomingRequest, ServerResponse), for scale",
    run: () => exchange()[0].method.length,
  },
];

// ---- Whole Hono route ---------------------------------------------------------------------
function honoApp(): Hono {
  const app = new Hono();
  app.get("/hello", (c) => c.text(`Hello, ${c.req.query("name")}!`));
  return app;
}

const plain: Handler = (request, response) => {
  // The query is "name=wire": the floor does no parsing worth the name.
  const name = request.query.slice(5);
  response.setHeader("content-type", "text/plain; charset=UTF-8");
  return response.end(`Hello, ${name}!`);
};

function runHandler(handler: Handler) {
  return () => {
    const [request, response] = exchange();
    return handler(request, response);
  };
}

async function checkOutputs(handlers: Array<[string, Handler]>): Promise<void> {
  const outputs: string[] = [];
  for (const [name, handler] of handlers) {
    sink.keep = true;
    sink.last = "";
    await runHandler(handler)();
    sink.keep = false;
    outputs.push(sink.last.replace(/\r\nDate: [^\r]*/, ""));
    console.log(`${name}: ${JSON.stringify(outputs.at(-1))}`);
  }
}

/** Sets the global Response for the rounds that follow. */
function useGlobalResponse(value: typeof Response): () => void {
  return () => {
    Object.defineProperty(globalThis, "Response", { value, writable: true, configurable: true });
  };
}

async function main(): Promise<void> {
  console.log(
    `fetch adapter objects — Node ${process.version}, ${ROUNDS} rounds of ${ROUND_MS} ms`,
  );
  await compare("Building the Request (parsed GET, read method + url + one header)", requestCases);

  installFetchGlobals();
  const light = globalThis.Response;
  const native = useGlobalResponse(NativeResponse);
  const lightGlobal = useGlobalResponse(light);
  const handler = toHandler(honoApp().fetch);
  native();
  await checkOutputs([["Hono, native Response", handler]]);
  lightGlobal();
  await checkOutputs([
    ["plain handler", plain],
    ["Hono, light Response", handler],
  ]);
  await compare("A Hono text route through the adapter (no sockets)", [
    { name: "Hono via toHandler, native Response", run: runHandler(handler), before: native },
    { name: "Hono via toHandler, light Response", run: runHandler(handler), before: lightGlobal },
    { name: "plain @wireweb/http handler, same bytes, for scale", run: runHandler(plain) },
  ]);
}

await main();
