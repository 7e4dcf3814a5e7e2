// Side-by-side benchmarks for @wireweb/url: `pnpm bench` (BENCH_QUICK=1 for a smoke run in CI).
// Every contender's output is checked against the first contender's before anything is timed;
// one that disagrees is reported and left out. Ratios are ours / the obvious JS (baseline).
import { deepStrictEqual } from "node:assert";
import { resolve, sep } from "node:path";
import { breakdownUrl, decodePath, resolveSafePath, slice, splitTarget } from "../src/index.js";

const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 1 : 7;
const ROUND_MS = QUICK ? 30 : 250;

interface Contender {
  name: string;
  run: () => unknown;
}

interface Case {
  group: string;
  name: string;
  /** The first is ours; the one named by `baseline` is what the ratio divides by. */
  contenders: Contender[];
  baseline: string;
}

let sink: unknown;

/** Calls per second over one round of about ROUND_MS, in batches to keep timer reads rare. */
function round(run: () => unknown): number {
  let calls = 0;
  let batch = 64;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let i = 0; i < batch; i++) sink = run();
    calls += batch;
    elapsed = performance.now() - start;
    if (elapsed < ROUND_MS / 10) batch *= 2;
  }
  return (calls * 1000) / elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const ROOT = resolve(sep, "srv", "www");
const URLS = {
  plain: "http://example.com:8080/board/thread?id=42&page=2",
  short: "https://www.example.org/",
  ipv4: "http://127.0.0.1:8080/index.html",
  idn: "http://Bücher.example/ä?ö=ü#x",
};
const TARGET = "/board/thread?id=42&page=2";
const PATH_PLAIN = "/static/css/site.css";
const PATH_ESCAPED = "/docs/caf%C3%A9/my%20notes%20%E2%82%AC.txt";
const ASCII = "/index.html";
const LONG_ASCII = "The quick brown fox jumps over the lazy dog. ".repeat(4);
const ASTRAL = "a😀b😀c😀d😀e😀f😀g😀h😀";
const ARRAY = Array.from({ length: 1000 }, (_, i) => i);

function viaUrl(input: string) {
  const url = new URL(input);
  const port =
    url.port === ""
      ? url.protocol === "https:" || url.protocol === "wss:"
        ? 443
        : 80
      : Number(url.port);
  return {
    protocol: url.protocol,
    host: url.hostname,
    port,
    path: url.pathname,
    query: url.search.slice(1),
    fragment: url.hash.slice(1),
  };
}

/** The obvious safe-path code: decode, resolve, prefix-check with a separator. */
function obviousResolve(root: string, rawPath: string): string {
  const decoded = decodeURIComponent(rawPath);
  if (decoded.includes("\0")) throw new Error("NUL");
  const full = resolve(root, `.${decoded}`);
  if (full !== root && !full.startsWith(root + sep)) throw new Error("outside");
  return full;
}

const cases: Case[] = [
  {
    group: "slice",
    name: 'path[1:] on "/index.html"',
    baseline: "String#slice(1)",
    contenders: [
      { name: "slice(s, 1)", run: () => slice(ASCII, 1) },
      { name: "String#slice(1)", run: () => ASCII.slice(1) },
      { name: "Array.from(s).slice(1).join('')", run: () => Array.from(ASCII).slice(1).join("") },
    ],
  },
  {
    group: "slice",
    name: "s[-10:-2] on 180 ASCII chars",
    baseline: "Array.from(s).slice(-10,-2).join('')",
    contenders: [
      { name: "slice(s, -10, -2)", run: () => slice(LONG_ASCII, -10, -2) },
      { name: "String#slice(-10,-2)", run: () => LONG_ASCII.slice(-10, -2) },
      {
        name: "Array.from(s).slice(-10,-2).join('')",
        run: () => Array.from(LONG_ASCII).slice(-10, -2).join(""),
      },
    ],
  },
  {
    group: "slice",
    name: "s[::-1] on 180 ASCII chars",
    baseline: "Array.from(s).reverse().join('')",
    contenders: [
      { name: "slice(s, null, null, -1)", run: () => slice(LONG_ASCII, null, null, -1) },
      {
        name: "Array.from(s).reverse().join('')",
        run: () => Array.from(LONG_ASCII).reverse().join(""),
      },
    ],
  },
  {
    group: "slice",
    name: "s[2:9] on a string with emoji",
    baseline: "Array.from(s).slice(2,9).join('')",
    contenders: [
      { name: "slice(s, 2, 9)", run: () => slice(ASTRAL, 2, 9) },
      {
        name: "Array.from(s).slice(2,9).join('')",
        run: () => Array.from(ASTRAL).slice(2, 9).join(""),
      },
    ],
  },
  {
    group: "slice",
    name: "a[::3] on 1000 numbers",
    baseline: "a.filter((_, i) => i % 3 === 0)",
    contenders: [
      { name: "slice(a, null, null, 3)", run: () => slice(ARRAY, null, null, 3) },
      { name: "a.filter((_, i) => i % 3 === 0)", run: () => ARRAY.filter((_, i) => i % 3 === 0) },
    ],
  },
  ...Object.entries(URLS).map(
    ([label, input]): Case => ({
      group: "breakdownUrl",
      name: `${label}: ${input}`,
      baseline: "new URL + reshaping",
      contenders: [
        { name: "breakdownUrl", run: () => breakdownUrl(input) },
        { name: "new URL + reshaping", run: () => viaUrl(input) },
      ],
    }),
  ),
  {
    group: "splitTarget",
    name: TARGET,
    baseline: "new URL(t, base)",
    contenders: [
      {
        name: "splitTarget",
        run: () => ({ path: splitTarget(TARGET).path, query: splitTarget(TARGET).query }),
      },
      {
        name: "new URL(t, base)",
        run: () => {
          const url = new URL(TARGET, "http://localhost");
          return { path: url.pathname, query: url.search.slice(1) };
        },
      },
      {
        name: "indexOf('?') split, unchecked",
        run: () => {
          const q = TARGET.indexOf("?");
          return { path: TARGET.slice(0, q), query: TARGET.slice(q + 1) };
        },
      },
    ],
  },
  ...[PATH_PLAIN, PATH_ESCAPED].map(
    (path): Case => ({
      group: "decodePath",
      name: path,
      baseline: "decodeURIComponent",
      contenders: [
        { name: "decodePath", run: () => decodePath(path) },
        { name: "decodeURIComponent", run: () => decodeURIComponent(path) },
      ],
    }),
  ),
  ...[PATH_PLAIN, PATH_ESCAPED].map(
    (path): Case => ({
      group: "resolveSafePath",
      name: path,
      baseline: "decodeURIComponent + path.resolve + startsWith",
      contenders: [
        { name: "resolveSafePath", run: () => resolveSafePath(ROOT, path) },
        {
          name: "decodeURIComponent + path.resolve + startsWith",
          run: () => obviousResolve(ROOT, path),
        },
      ],
    }),
  ),
];

// The splitTarget contender above calls it twice; time the honest single call instead.
const splitCase = cases.find((c) => c.group === "splitTarget");
if (splitCase?.contenders[0]) {
  splitCase.contenders[0].run = () => {
    const { path, query } = splitTarget(TARGET);
    return { path, query };
  };
}

const rows: string[][] = [];
let failures = 0;
for (const c of cases) {
  const expected = c.contenders[0]?.run();
  const checked = c.contenders.filter((contender) => {
    try {
      deepStrictEqual(contender.run(), expected);
      return true;
    } catch {
      console.error(`✘ ${c.group} ${c.name}: ${contender.name} disagrees; not timed`);
      failures++;
      return false;
    }
  });
  const results = new Map<string, number>();
  for (const contender of checked) {
    round(contender.run); // warm-up, untimed: lets the JIT settle before the samples
    const samples: number[] = [];
    for (let r = 0; r < ROUNDS; r++) samples.push(round(contender.run));
    results.set(contender.name, median(samples));
  }
  const base = results.get(c.baseline) ?? Number.NaN;
  for (const [name, opsPerSecond] of results) {
    rows.push([
      c.group,
      c.name,
      name,
      Math.round(opsPerSecond).toLocaleString("en-US"),
      (opsPerSecond / base).toFixed(2),
    ]);
  }
}
void sink;

const header = ["function", "case", "contender", "ops/s (median)", "× baseline"];
console.log(
  `@wireweb/url bench — Node ${process.version}, ${ROUNDS} rounds × ${ROUND_MS} ms${QUICK ? " (BENCH_QUICK)" : ""}\n`,
);
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map((_, i) => (i >= 3 ? "---:" : "---")).join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
if (failures > 0) process.exitCode = 1;
