import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { bytes, parsePieces } from "./vectors/harness.js";
import { VECTORS } from "./vectors/requests.js";

/**
 * Differential check against Node's own llhttp: wherever both parsers accept a vector, they
 * must agree on every message's method, target, fields (names as spelled, values without OWS)
 * and body. Where they disagree on accepting, the vectors' own expectations already decide.
 */

const require = createRequire(import.meta.url);

interface Message {
  method: string;
  target: string;
  headers: string[];
  body: string;
}

interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(input: Buffer): number | Error;
  finish(): number | Error | undefined;
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

function llhttpParse(input: Buffer): Message[] | undefined {
  // node:http's own module holds the llhttp binding (process.binding is gone in Node 24).
  const { HTTPParser, methods } = require("_http_common") as NativeBinding;
  const out: Message[] = [];
  let current: Message | undefined;
  let pending: string[] = [];
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, 0, 0);
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
    current = {
      method: methods[method]!,
      target: url,
      headers: pending.concat(headers ?? []),
      body: "",
    };
    pending = [];
    return 0;
  };
  parser[HTTPParser.kOnBody] = (b: Buffer) => {
    if (current) current.body += b.toString("latin1");
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (current) out.push(current);
    current = undefined;
  };
  const r = parser.execute(input);
  if (r instanceof Error) return undefined;
  return out;
}

describe("agreement with llhttp", () => {
  const both = VECTORS.flatMap((v) => {
    if (v.error !== undefined || v.options !== undefined) return [];
    const theirs = llhttpParse(Buffer.from(v.input, "latin1"));
    // Node's method table lags llhttp's (QUERY has no name there): compare only what it names.
    if (theirs === undefined || theirs.some((m) => m.method === undefined)) return [];
    return [[v.name, v.input, theirs] as const];
  });

  it("covers a good share of the accepted vectors", () => {
    expect(both.length).toBeGreaterThan(40);
  });

  it.each(both)("%s", (_name, input, theirs) => {
    const ours = parsePieces([bytes(input)]).messages.map((m) => ({
      method: m.method,
      target: m.target,
      headers: m.headers.flat(),
      body: m.body,
    }));
    expect(ours).toEqual(theirs);
  });
});
