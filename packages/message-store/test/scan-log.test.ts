import fc from "fast-check";
import { expect, it } from "vitest";
import * as api from "../src/index.js";
import { encodeRecords, HEADER, type LogRecord } from "../src/record.js";
import { LogScanner, type LogState, scanLog } from "../src/scan-log.js";

const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 100);

/** What a scan found, comparable with toEqual. */
function summary(state: LogState) {
  return {
    lastSeq: state.lastSeq,
    lastClearSeq: state.lastClearSeq,
    validLength: state.validLength,
    hasHeader: state.hasHeader,
    messages: state.index.slice(0, state.index.length),
  };
}

function outcome(run: () => LogState) {
  try {
    return { ok: summary(run()) };
  } catch (err) {
    const { code, offset } = err as { code: string; offset: number };
    return { error: { code, offset } };
  }
}

const record: fc.Arbitrary<Omit<LogRecord, "seq">> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      postedAt: fc.constant("2026-11-23T19:58:36.123Z"),
      text: fc.string({ unit: "binary", maxLength: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: "clear" as const }) },
);

it("finds the same records, torn tail and errors whatever chunks the log is read in", () => {
  fc.assert(
    fc.property(
      fc.array(record, { maxLength: 12 }),
      fc.uint8Array({ maxLength: 30 }),
      fc.option(fc.nat(), { nil: undefined }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (records, tail, flip, cuts) => {
        const body = encodeRecords(records.map((r, i) => ({ ...r, seq: i + 1 }) as LogRecord));
        const bytes = Buffer.concat([Buffer.from(HEADER), body, tail.filter((b) => b !== 10)]);
        if (flip !== undefined && bytes.length > 0) bytes[flip % bytes.length]! ^= 0x20;
        const whole = outcome(() => scanLog(bytes, "log"));
        const stops = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunked = outcome(() => {
          const scanner = new LogScanner(bytes, "log");
          for (const stop of [...stops, bytes.length]) scanner.scan(stop);
          return scanner.finish(bytes.length);
        });
        expect(chunked).toEqual(whole);
      },
    ),
    { numRuns: RUNS },
  );
});

it("exports exactly the public surface", () => {
  expect(Object.keys(api).sort()).toEqual([
    "DEFAULT_MAX_MESSAGE_BYTES",
    "MAX_LIST_LIMIT",
    "MessageStoreError",
    "openStore",
  ]);
});
