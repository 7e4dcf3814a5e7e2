import type { MessageStore, StoreEvent } from "@wireweb/message-store";
import { afterEach, describe, expect, it } from "vitest";
import { openPostgresStore } from "../src/index.js";
import { adminQuery, dropSchema, freshSchema, HAVE_POSTGRES, TEST_URL } from "./helpers.js";

const opened: MessageStore[] = [];
const schemas: string[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => undefined);
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

async function instances(n: number, schema = freshSchema()): Promise<MessageStore[]> {
  if (!schemas.includes(schema)) schemas.push(schema);
  const stores = await Promise.all(
    Array.from({ length: n }, () =>
      openPostgresStore(TEST_URL, { schema, onWarning() {}, pollMs: 200 }),
    ),
  );
  opened.push(...stores);
  return stores;
}

/** Collects events until `done(events)` holds; fails after `ms` with what it got. */
async function collect(
  events: AsyncIterable<StoreEvent>,
  done: (events: StoreEvent[]) => boolean,
  ms = 30_000,
): Promise<StoreEvent[]> {
  const out: StoreEvent[] = [];
  const iterator = events[Symbol.asyncIterator]();
  const deadline = Date.now() + ms;
  while (!done(out)) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`got ${out.length} events in ${ms} ms`)),
          Math.max(1, deadline - Date.now()),
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) break;
    out.push(next.value);
  }
  await iterator.return?.();
  return out;
}

const idsOf = (events: StoreEvent[]) => events.map((e) => e.id);

describe.skipIf(!HAVE_POSTGRES)("many instances on one schema", () => {
  it("8 appending clients on 4 instances, 4 followers: each sees every message exactly once, in list order", async () => {
    const stores = await instances(4);
    const start = (await stores[0]!.append("start")).id;
    const PER_CLIENT = 100;
    const total = 8 * PER_CLIENT;
    const enough = (events: StoreEvent[]) => events.length >= total;
    // Two followers from the start, two that join mid-flood: their replay-to-live hand-over
    // happens while other instances commit, which is where a skip or a repeat would show.
    const followers: Array<Promise<StoreEvent[]>> = [
      collect(stores[0]!.follow(start, new AbortController().signal), enough),
      collect(stores[1]!.follow(start, new AbortController().signal), enough),
    ];
    const clients = Array.from({ length: 8 }, async (_, c) => {
      const store = stores[c % 4]!;
      for (let i = 0; i < PER_CLIENT; i++) {
        await store.append(`client ${c} message ${i}`);
        if (c === 0 && i === Math.floor(PER_CLIENT / 3)) {
          followers.push(collect(stores[2]!.follow(start, new AbortController().signal), enough));
        }
        if (c === 1 && i === Math.floor((2 * PER_CLIENT) / 3)) {
          followers.push(collect(stores[3]!.follow(start, new AbortController().signal), enough));
        }
      }
    });
    await Promise.all(clients);
    const listed = (await stores[3]!.list({ after: start, limit: 100_000 })).messages;
    expect(listed).toHaveLength(total);
    // Each client's own messages appear in the order it appended them.
    for (let c = 0; c < 8; c++) {
      const mine = listed.filter((m) => m.text.startsWith(`client ${c} `)).map((m) => m.text);
      expect(mine).toEqual(
        Array.from({ length: PER_CLIENT }, (_, i) => `client ${c} message ${i}`),
      );
    }
    expect(followers).toHaveLength(4);
    for (const events of await Promise.all(followers)) {
      expect(events.every((e) => e.type === "message")).toBe(true);
      expect(idsOf(events)).toEqual(listed.map((m) => m.id));
      expect(events.map((e) => (e.type === "message" ? e.message : undefined))).toEqual(listed);
    }
  });

  it("delivers a clear from one instance to followers on every instance, after the messages before it", async () => {
    const stores = await instances(3);
    const followers = stores.map((store) =>
      collect(store.follow(undefined, new AbortController().signal), (events) =>
        events.some((e) => e.type === "clear"),
      ),
    );
    const a = await stores[0]!.append("a");
    await waitUntil(async () => (await stores[2]!.list()).messages.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // every follower is live on "a"
    const { id } = await stores[1]!.clear();
    for (const events of await Promise.all(followers)) {
      expect(events).toEqual([
        { type: "message", id: a.id, message: a },
        { type: "clear", id },
      ]);
    }
    for (const store of stores) expect((await store.list()).messages).toEqual([]);
  });

  it("loses nothing when the LISTEN connection is killed mid-flood (the table is the truth)", async () => {
    const schema = freshSchema();
    const [writer, reader] = await instances(2, schema);
    const start = (await writer!.append("start")).id;
    const total = 300;
    const follower = collect(
      reader!.follow(start, new AbortController().signal),
      (events) => events.length >= total,
    );
    const appends: Array<Promise<unknown>> = [];
    for (let i = 0; i < total; i++) {
      appends.push(writer!.append(`m${i}`));
      if (i === 100 || i === 200) {
        await Promise.all(appends);
        // The LISTEN sessions of both instances, once both are there: after the first kill the
        // listeners reconnect with a back-off, and killing only one would test less.
        await waitUntil(
          async () =>
            (
              await adminQuery("SELECT 1 FROM pg_stat_activity WHERE application_name = $1", [
                `wireweb listen ${schema}`,
              ])
            ).length === 2,
        );
        const killed = await adminQuery<{ ok: boolean }>(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1",
          [`wireweb listen ${schema}`],
        );
        expect(killed.map((row) => row.ok)).toEqual([true, true]);
      }
    }
    await Promise.all(appends);
    const listed = (await reader!.list({ after: start, limit: 1000 })).messages;
    expect(idsOf(await follower)).toEqual(listed.map((m) => m.id));
  });

  it("opens one new schema from 6 processes' worth of stores at once (migrations take turns)", async () => {
    const stores = await instances(6);
    const ids = await Promise.all(stores.map((store, i) => store.append(`from ${i}`)));
    expect(new Set(ids.map((m) => m.id)).size).toBe(6);
    expect((await stores[0]!.list()).messages).toHaveLength(6);
  });
});

async function waitUntil(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
