import { open, writeFile } from "node:fs/promises";
import fc from "fast-check";
import { afterEach, expect, it } from "vitest";
import * as api from "../src/index.js";
import { encodeRecords, HEADER, type LogRecord } from "../src/record.js";
import { scanFile } from "../src/scan-log.js";
import { scratch } from "./helpers.js";

const tmp = scratch();
afterEach(() => tmp.cleanup());
const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 60);

/** What scanning `file` in chunks of `chunkBytes` finds, comparable with toEqual. */
async function scanWith(file: string, chunkBytes: number) {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const state = await scanFile(handle, size, file, chunkBytes);
    state.index.attach({ handle, file, end: state.validLength });
    const { index, ...rest } = state;
    return { ok: { ...rest, messages: await index.slice(0, index.length) } };
  } catch (err) {
    const { code, offset } = err as { code: string; offset: number };
    return { error: { code, offset } };
  } finally {
    await handle.close();
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

it("finds the same records, torn tail and errors whatever chunk size the log is read in", async () => {
  const file = await tmp.file();
  await fc.assert(
    fc.asyncProperty(
      fc.array(record, { maxLength: 12 }),
      fc.uint8Array({ maxLength: 30 }),
      fc.option(fc.nat(), { nil: undefined }),
      fc.integer({ min: 1, max: 64 }),
      async (records, tail, flip, chunkBytes) => {
        const body = encodeRecords(records.map((r, i) => ({ ...r, seq: i + 1 }) as LogRecord));
        const bytes = Buffer.concat([Buffer.from(HEADER), body, tail.filter((b) => b !== 10)]);
        if (flip !== undefined) bytes[flip % bytes.length]! ^= 0x20;
        await writeFile(file, bytes);
        expect(await scanWith(file, chunkBytes)).toEqual(await scanWith(file, 1 << 20));
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
    "Subscription",
    "openStore",
  ]);
});
