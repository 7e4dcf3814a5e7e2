// Side-by-side parse benchmark: `pnpm bench` (BENCH_QUICK=1 for a smoke run in CI).
// Every contender's output is normalised to name -> [values] and checked against parseQs
// before anything is timed; a contender that disagrees is reported and not timed.
import { deepStrictEqual } from "node:assert";
import nodeQs from "node:querystring";
import fastQs from "fast-querystring";
import qs from "qs";
import { parseQs } from "../src/index.js";
import { inputs } from "./inputs.js";

const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 1 : 7;
const ROUND_MS = QUICK ? 40 : 300;

type Lists = Record<string, string[]>;

function lists(record: Record<string, unknown>): Lists {
  const out: Lists = Object.create(null);
  for (const [k, v] of Object.entries(record)) out[k] = Array.isArray(v) ? v : [String(v)];
  return out;
}

interface Contender {
  name: string;
  run: (text: string, bytes: Buffer) => unknown;
  normalise: (result: unknown) => Lists;
}

const asIs = (r: unknown) => r as Lists;
const contenders: Contender[] = [
  {
    name: "parseQs (string)",
    run: (t) => parseQs(t, { keepBlankValues: true }),
    normalise: asIs,
  },
  {
    name: "parseQs (bytes)",
    run: (_t, b) => parseQs(b, { keepBlankValues: true }),
    normalise: asIs,
  },
  {
    name: "parseQs (bytes.toString() first)",
    run: (_t, b) => parseQs(b.toString(), { keepBlankValues: true }),
    normalise: asIs,
  },
  {
    name: "fast-querystring",
    run: (t) => fastQs.parse(t),
    normalise: (r) => lists(r as Record<string, unknown>),
  },
  {
    name: "node:querystring",
    run: (t) => nodeQs.parse(t),
    normalise: (r) => lists(r as Record<string, unknown>),
  },
  {
    name: "qs",
    run: (t) => qs.parse(t),
    normalise: (r) => lists(r as Record<string, unknown>),
  },
  {
    name: "URLSearchParams -> lists",
    run: (t) => {
      const out: Lists = Object.create(null);
      for (const [k, v] of new URLSearchParams(t)) {
        const list = out[k];
        if (list === undefined) out[k] = [v];
        else list.push(v);
      }
      return out;
    },
    normalise: asIs,
  },
];

let sink: unknown;

/** Calls per second over one round of about ROUND_MS, in batches to keep timer reads rare. */
function round(c: Contender, text: string, bytes: Buffer): number {
  let calls = 0;
  let batch = 16;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let i = 0; i < batch; i++) sink = c.run(text, bytes);
    calls += batch;
    elapsed = performance.now() - start;
    if (elapsed < ROUND_MS / 20) batch *= 2;
  }
  return (calls * 1000) / elapsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const results = new Map<string, Map<string, number>>();

for (const input of inputs) {
  const bytes = Buffer.from(input.text);
  const expected = parseQs(input.text, { keepBlankValues: true });
  const live: Contender[] = [];
  for (const c of contenders) {
    try {
      deepStrictEqual(c.normalise(c.run(input.text, bytes)), expected);
      live.push(c);
    } catch {
      console.log(`✘ ${c.name} gives a different result on "${input.name}"; not timed`);
    }
  }
  // Interleave contenders round by round, so drift in machine load hits all of them alike.
  const samples = new Map<string, number[]>(live.map((c) => [c.name, []]));
  for (const c of live) round(c, input.text, bytes); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of live) samples.get(c.name)!.push(round(c, input.text, bytes));
  }
  for (const c of live) {
    const row = results.get(c.name) ?? new Map<string, number>();
    row.set(input.name, median(samples.get(c.name)!));
    results.set(c.name, row);
  }
}

const names = inputs.map((i) => i.name);
const ours = results.get("parseQs (string)")!;
console.log(
  `\n@wireweb/querystring parse, Node ${process.version}, ops/s (median of ${ROUNDS} rounds of ${ROUND_MS} ms)` +
    "; ratio = parseQs (string) / contender\n",
);
console.log(`| contender | ${names.map((n) => `${n} | ratio`).join(" | ")} |`);
console.log(`|---|${names.map(() => "---:|---:").join("|")}|`);
for (const [name, row] of results) {
  const cells = names.map((n) => {
    const v = row.get(n);
    return v === undefined ? "✘ | –" : `${fmt(v)} | ${(ours.get(n)! / v).toFixed(2)}`;
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
if (sink === undefined) console.log("(no result kept)");
