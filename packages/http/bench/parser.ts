/**
 * Parser benchmark: @wireweb/http's RequestParser against http-parser-js and Node's own llhttp
 * binding, side by side in one process, on realistic requests. Each contender's output is
 * checked against ours first (✔/✘), then timed in interleaved rounds; medians are reported.
 *
 *   npx tsx bench/parser.ts            # 7 rounds of 1 s per case
 *   BENCH_QUICK=1 npx tsx bench/parser.ts   # a fraction of a second per case (CI)
 */
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";
import { HTTPParser as JsParser } from "http-parser-js";
import { RequestParser } from "../src/request-parser.js";
import { CHROME_GET, CHUNKED_UPLOAD, FORM_POST, PIPELINED_GETS } from "../test/vectors/corpus.js";

const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 3 : 7;
const ROUND_MS = QUICK ? 60 : 1000;

/** What every contender must report for each request. */
interface Parsed {
  method: string;
  url: string;
  headers: string[];
  body: string;
}

/** A contender: feeds one buffer, calls `done` per completed request; `collect` keeps results. */
interface Contender {
  name: string;
  make(collect: ((p: Parsed) => void) | undefined): (input: Buffer) => number;
}

/** Per-contender bookkeeping: the request being collected (when checking) and how many completed. */
class Tally {
  #count = 0;
  #current: Parsed | undefined;
  readonly #collect: ((p: Parsed) => void) | undefined;

  constructor(collect: ((p: Parsed) => void) | undefined) {
    this.#collect = collect;
  }

  get collecting(): boolean {
    return this.#collect !== undefined;
  }

  head(method: string, url: string, headers: string[]): void {
    if (this.#collect !== undefined) this.#current = { method, url, headers, body: "" };
  }

  body(text: string): void {
    if (this.#current !== undefined) this.#current.body += text;
  }

  complete(): void {
    this.#count++;
    if (this.#current !== undefined) this.#collect?.(this.#current);
    this.#current = undefined;
  }

  /** Requests completed since the last call; throws what a parser returned as an error. */
  take(result: unknown): number {
    if (result instanceof Error) throw result;
    const n = this.#count;
    this.#count = 0;
    return n;
  }
}

const latin1 = (b: Uint8Array) =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

function wireweb(strings: boolean): Contender {
  return {
    name: strings ? "wireweb (all header strings)" : "wireweb (lazy headers)",
    make(collect) {
      const tally = new Tally(collect);
      const parser = new RequestParser({
        onHead(head) {
          if (strings || tally.collecting) {
            // What node:http hands its users: every name and value as a string.
            const headers: string[] = [];
            for (const [name, value] of head.headers) headers.push(name, value);
            tally.head(head.method, head.target, headers);
          } else if (head.headers.get("host") === undefined) {
            // What a server reads anyway: the method, the target and a field or two.
            tally.head(head.method, head.target, []);
          }
        },
        onBody: (chunk) => tally.body(latin1(chunk)),
        onComplete: () => tally.complete(),
      });
      return (input) => tally.take(parser.execute(input));
    },
  };
}

const httpParserJs: Contender = {
  name: "http-parser-js",
  make(collect) {
    const tally = new Tally(collect);
    const parser = new JsParser(JsParser.REQUEST);
    parser[JsParser.kOnHeadersComplete] = (info) => {
      const method = JsParser.methods[info.method as unknown as number] ?? String(info.method);
      tally.head(method, info.url, info.headers);
    };
    parser[JsParser.kOnBody] = (b: Buffer, start: number, len: number) => {
      tally.body(b.toString("latin1", start, start + len));
    };
    parser[JsParser.kOnMessageComplete] = () => tally.complete();
    return (input) => tally.take(parser.execute(input));
  },
};

interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(input: Buffer): number | Error;
  [key: number]: unknown;
}
interface NativeBinding {
  HTTPParser: {
    new (): NativeParser;
    REQUEST: number;
    kOnHeaders: number;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
  };
  methods: string[];
}

const llhttp: Contender = {
  name: "llhttp (node binding)",
  make(collect) {
    // node:http's own module holds the llhttp binding it parses with.
    const { HTTPParser, methods } = createRequire(import.meta.url)("_http_common") as NativeBinding;
    const tally = new Tally(collect);
    const parser = new HTTPParser();
    parser.initialize(HTTPParser.REQUEST, {}, 0, 0);
    // Heads of more than 32 fields arrive through kOnHeaders first, as in node:http.
    let pending: string[] = [];
    parser[HTTPParser.kOnHeaders] = (headers: string[]) => {
      pending = pending.concat(headers);
    };
    parser[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      _minor: number,
      headers: string[] | undefined,
      method: number,
      url: string,
    ) => {
      const all = pending.length > 0 ? pending.concat(headers ?? []) : (headers ?? []);
      pending = [];
      tally.head(methods[method]!, url, all);
      return 0;
    };
    parser[HTTPParser.kOnBody] = (b: Buffer) => tally.body(b.toString("latin1"));
    parser[HTTPParser.kOnMessageComplete] = () => tally.complete();
    return (input) => tally.take(parser.execute(input));
  },
};

const CONTENDERS = [wireweb(false), wireweb(true), httpParserJs, llhttp];
const CORPUS: [string, string][] = [
  ["Chrome GET", CHROME_GET],
  ["10 pipelined GETs", PIPELINED_GETS],
  ["form POST", FORM_POST],
  ["chunked upload", CHUNKED_UPLOAD],
];

function parseOnce(c: Contender, input: Buffer): Parsed[] {
  const out: Parsed[] = [];
  c.make((p) => out.push(p))(input);
  return out;
}

type TimingLoop = (feed: (input: Buffer) => number, input: Buffer, roundMs: number) => number;

// Bounded by time, checked every 256 executes so the clock is not the benchmark.
const TIMING_LOOP_SOURCE = `
  let requests = 0;
  const start = performance.now();
  let elapsed = 0;
  for (let i = 0; elapsed < roundMs; i++) {
    requests += feed(input);
    if ((i & 255) === 255) elapsed = performance.now() - start;
  }
  return (requests * 1000) / elapsed;
`;

/**
 * Each contender gets its own compiled copy of the timing loop. V8 keeps type feedback per
 * function, so one loop shared by all would see four different `feed` targets, stop inlining
 * them, and favour or penalise contenders by the order they ran in.
 */
const loops = new Map<Contender, TimingLoop>();
function timeRound(c: Contender, input: Buffer): number {
  let loop = loops.get(c);
  if (loop === undefined) {
    // The name makes each source unique, so V8's eval cache cannot hand back a shared copy.
    const source = `${TIMING_LOOP_SOURCE}// ${c.name}`;
    loop = new Function("feed", "input", "roundMs", source) as TimingLoop;
    loops.set(c, loop);
  }
  return loop(c.make(undefined), input, ROUND_MS);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

let allOk = true;
console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per case\n`);
console.log("Same method, target, headers and body as wireweb:");
for (const [name, text] of CORPUS) {
  const input = Buffer.from(text, "latin1");
  const expected = parseOnce(CONTENDERS[0]!, input);
  const marks = CONTENDERS.map((c) => {
    const ok = isDeepStrictEqual(parseOnce(c, input), expected);
    allOk &&= ok;
    return `${ok ? "✔" : "✘"} ${c.name}`;
  });
  console.log(`  ${name.padEnd(18)} ${marks.join("   ")}`);
}
console.log();

const rows: string[][] = [];
for (const [name, text] of CORPUS) {
  const input = Buffer.from(text, "latin1");
  const perRequest = input.length / parseOnce(CONTENDERS[0]!, input).length;
  const samples = CONTENDERS.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of CONTENDERS.entries()) samples[i]!.push(timeRound(c, input));
  }
  const medians = samples.map(median);
  const jsRate = medians[2]!;
  const nativeRate = medians[3]!;
  CONTENDERS.forEach((c, i) => {
    const rate = medians[i]!;
    rows.push([
      name,
      c.name,
      Math.round(rate).toLocaleString("en-US"),
      ((rate * perRequest) / 1e6).toFixed(1),
      `${(rate / jsRate).toFixed(2)}x`,
      `${(rate / nativeRate).toFixed(2)}x`,
    ]);
  });
}

const header = ["corpus", "parser", "req/s (median)", "MB/s", "vs http-parser-js", "vs llhttp"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
console.log(line(header));
console.log(
  `|${widths.map((w, i) => (i < 2 ? `-${"-".repeat(w)}-` : `-${"-".repeat(w)}:`)).join("|")}|`,
);
for (const r of rows) console.log(line(r));
if (!allOk) {
  console.error("\nA contender disagreed with wireweb on the corpus (✘ above).");
  process.exitCode = 1;
}
