// Side-by-side benchmark: `pnpm bench` (BENCH_QUICK=1 for a smoke run in CI).
// Every contender's output is normalised and checked against ours before anything is timed;
// a contender that disagrees is reported with ✘ and not timed. Ours are first checked against
// the answer each input was built from: a wrong answer of ours fails the run (exit code 1).
import { deepStrictEqual } from "node:assert";
import nodeQs from "node:querystring";
import fastQs from "fast-querystring";
import qs from "qs";
import { encode, parse, parseQs } from "../src/index.js";
import { inputs } from "./inputs.js";

const QUICK = process.env.BENCH_QUICK === "1";
// Many short rounds, interleaved across contenders, so that load from other processes on a
// shared machine hits every contender alike; the table shows each one's median round.
const ROUNDS = QUICK ? 1 : 21;
const ROUND_MS = QUICK ? 30 : 100;

type Lists = Record<string, string[]>;

interface Contender<I> {
  name: string;
  run: (input: I) => unknown;
  /** The result in a shape comparable with the reference contender's. */
  normalise: (result: unknown) => unknown;
}

interface Case<I> {
  name: string;
  input: I;
  /** The right answer, in the normalised shape. */
  expected: unknown;
}

let sink: unknown;

/** Calls per second over one round of about ROUND_MS, in batches so timer reads stay rare. */
function round<I>(c: Contender<I>, input: I): number {
  let calls = 0;
  let batch = 8;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let i = 0; i < batch; i++) sink = c.run(input);
    calls += batch;
    elapsed = performance.now() - start;
    if (elapsed < ROUND_MS / 20) batch *= 2;
  }
  return (calls * 1000) / elapsed;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Checks, times and prints one table; ratio = the first contender's rate / this one's.
 * The first `oursCount` contenders (this package's) must give `case.expected` (normalised), or the bench throws.
 */
function table<I>(
  title: string,
  contenders: Contender<I>[],
  cases: Case<I>[],
  oursCount: number,
): void {
  const rates = new Map<string, Map<string, number>>(contenders.map((c) => [c.name, new Map()]));
  const reference = contenders[0]!;
  for (const { name, input, expected } of cases) {
    for (const c of contenders.slice(0, oursCount)) {
      // Throws (the run fails) on a wrong answer of ours: a fast wrong parser is no result.
      deepStrictEqual(c.normalise(c.run(input)), expected, `${c.name} is wrong on "${name}"`);
    }
    const live = contenders.filter((c) => {
      try {
        deepStrictEqual(c.normalise(c.run(input)), expected);
        return true;
      } catch {
        console.log(`✘ ${c.name} gives a different result on "${name}"; not timed`);
        return false;
      }
    });
    const samples = new Map<string, number[]>(live.map((c) => [c.name, []]));
    for (const c of live) round(c, input); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of live) samples.get(c.name)!.push(round(c, input));
    }
    for (const c of live) rates.get(c.name)!.set(name, median(samples.get(c.name)!));
  }
  const ours = rates.get(reference.name)!;
  console.log(`\n${title}\n`);
  console.log(`| contender | ${cases.map((c) => `${c.name} (ops/s) | ratio`).join(" | ")} |`);
  console.log(`|---|${cases.map(() => "---:|---:").join("|")}|`);
  for (const c of contenders) {
    const row = rates.get(c.name)!;
    const cells = cases.map(({ name }) => {
      const v = row.get(name);
      return v === undefined ? "✘ | –" : `${fmt(v)} | ${(ours.get(name)! / v).toFixed(2)}`;
    });
    console.log(`| ${c.name} | ${cells.join(" | ")} |`);
  }
}

function lists(record: Record<string, unknown>): Lists {
  const out: Lists = Object.create(null);
  for (const [k, v] of Object.entries(record)) out[k] = Array.isArray(v) ? v : [String(v)];
  return out;
}

interface Body {
  text: string;
  bytes: Buffer;
}

const asIs = (r: unknown) => r;
const asLists = (r: unknown) => lists(r as Record<string, unknown>);
const keep = { keepBlankValues: true };

const parsers: Contender<Body>[] = [
  { name: "parseQs (string)", run: (b) => parseQs(b.text, keep), normalise: asIs },
  { name: "parseQs (bytes)", run: (b) => parseQs(b.bytes, keep), normalise: asIs },
  {
    name: "parseQs (bytes.toString() first)",
    run: (b) => parseQs(b.bytes.toString(), keep),
    normalise: asIs,
  },
  { name: "fast-querystring", run: (b) => fastQs.parse(b.text), normalise: asLists },
  { name: "node:querystring", run: (b) => nodeQs.parse(b.text), normalise: asLists },
  { name: "qs", run: (b) => qs.parse(b.text), normalise: asLists },
  {
    name: "URLSearchParams -> lists",
    run: (b) => {
      const out: Lists = Object.create(null);
      for (const [k, v] of new URLSearchParams(b.text)) {
        const list = out[k];
        if (list === undefined) out[k] = [v];
        else list.push(v);
      }
      return out;
    },
    normalise: asIs,
  },
];

interface Form {
  record: Record<string, string[]>;
  pairs: [string, string][];
}

// Each encoder gets the form in the shape it takes; all must decode back to the same pairs.
const pairsOf = (r: unknown) => parse(String(r));
const encoders: Contender<Form>[] = [
  { name: "encode (pairs)", run: (f) => encode(f.pairs), normalise: pairsOf },
  { name: "encode (record)", run: (f) => encode(f.record), normalise: pairsOf },
  {
    name: "URLSearchParams#toString",
    run: (f) => new URLSearchParams(f.pairs).toString(),
    normalise: pairsOf,
  },
  {
    name: "node:querystring.stringify",
    run: (f) => nodeQs.stringify(f.record),
    normalise: pairsOf,
  },
  {
    name: "fast-querystring.stringify",
    run: (f) => fastQs.stringify(f.record),
    normalise: pairsOf,
  },
];

/** The form encoders take, built from the expected fields (not from our parser's output). */
function formOf(input: (typeof inputs)[number]): Form {
  const record = input.expected;
  // Pairs grouped by name, the order a record gives, so all encoders write the same fields.
  const pairs = Object.entries(record).flatMap(([k, vs]) =>
    vs.map((v): [string, string] => [k, v]),
  );
  return { record, pairs };
}

const whatwg: Contender<Body>[] = [
  { name: "parse (string)", run: (b) => parse(b.text), normalise: asIs },
  { name: "parse (bytes)", run: (b) => parse(b.bytes), normalise: asIs },
  // A leading "&" would defeat the constructor's "?" strip; none of the bodies starts with "?".
  {
    name: "[...new URLSearchParams(s)]",
    run: (b) => [...new URLSearchParams(b.text)],
    normalise: asIs,
  },
];

const bodyOf = (text: string): Body => ({ text, bytes: Buffer.from(text) });
/** The expected record as ordered pairs (the fields were written in body order). */
const pairsFrom = (record: Record<string, string[]>): [string, string][] =>
  Object.entries(record).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]));
const header = `Node ${process.version}, median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms`;
table(
  `parse: ${header}; ratio = parseQs (string) / contender`,
  parsers,
  inputs.map((i) => ({ name: i.name, input: bodyOf(i.text), expected: lists(i.expected) })),
  3,
);
table(
  `parse, WHATWG pairs: ${header}; ratio = parse (string) / contender`,
  whatwg,
  inputs.map((i) => ({ name: i.name, input: bodyOf(i.text), expected: pairsFrom(i.expected) })),
  2,
);
table(
  `encode (pairs of the same bodies): ${header}; ratio = encode (pairs) / contender`,
  encoders,
  inputs.map((i) => ({ name: i.name, input: formOf(i), expected: pairsFrom(i.expected) })),
  2,
);
if (sink === undefined) console.log("(no result kept)");
