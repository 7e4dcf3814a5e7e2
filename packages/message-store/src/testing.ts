/**
 * `@wireweb/message-store/testing`: the {@link MessageStore} contract as a test suite. Every
 * adapter (the file log, PostgreSQL, yours) runs the same cases:
 *
 * ```ts
 * import { describe, it } from "vitest"; // or node:test, jest, mocha
 * import { testMessageStore } from "@wireweb/message-store/testing";
 * testMessageStore("my adapter", { describe, it, open: async ({ maxMessageBytes }) => … });
 * ```
 *
 * The runner's `describe` and `it` are passed in and the cases assert with `node:assert`, so this
 * module imports no test framework: no peer dependency, no second copy of a runner whose
 * `describe` would then run outside its own context, and any runner that reports a thrown
 * `AssertionError` as a failure works.
 */
import assert from "node:assert/strict";
import { MAX_LIST_LIMIT } from "./file-message-store.js";
import type { Cursor, MessageStore, StoredMessage, StoreEvent } from "./types.js";

/** One store under test, on data of its own. */
export interface StoreFixture {
  /** The store, open and empty. */
  readonly store: MessageStore;
  /** Closes `store` (if still open) and opens the same data again as a new store. */
  reopen(): Promise<MessageStore>;
  /** Deletes the data. The suite closes every store it got from the fixture first. */
  dispose(): Promise<void>;
}

/** How {@link testMessageStore} reaches the adapter and the test runner. */
export interface ConformanceOptions {
  /** The runner's `describe` (vitest, jest, mocha, node:test). */
  describe(name: string, body: () => void): unknown;
  /** The runner's `it`; each case is one async function that throws on failure. */
  it(name: string, body: () => Promise<void>): unknown;
  /** Opens a new, empty store on fresh data whose largest message is `maxMessageBytes` UTF-8 bytes. */
  open(settings: { maxMessageBytes: number }): Promise<StoreFixture>;
  /** How long a case waits for a `follow` event before failing. Default 5000 ms. */
  eventTimeoutMs?: number;
}

/** What the suite sets `maxMessageBytes` to. */
const MAX_BYTES = 64;
/** Texts any adapter must give back exactly: the cases stores get wrong. */
const TRICKY_TEXTS = [
  "",
  " ",
  "line 1\nline 2",
  "\r\n\r",
  '"quoted" \\ back\\slash',
  "nul \u0000 byte",
  "\u2028\u2029 separators",
  "emoji 😀 and é",
  "<script>alert(1)</script>",
  "\ud800 lone \udfff surrogates",
  "%00 %zz &amp;",
  "é".repeat(MAX_BYTES / 2), // exactly MAX_BYTES UTF-8 bytes
];

/**
 * Declares the conformance cases of the {@link MessageStore} contract (append, list paging and
 * cursors, clear, follow, close) for one adapter. Cursors are treated as opaque: the cases
 * compare them only through the store.
 */
export function testMessageStore(name: string, options: ConformanceOptions): void {
  const { describe, it } = options;
  const eventTimeoutMs = options.eventTimeoutMs ?? 5000;

  /** Runs `body` with a fresh fixture; closes what it opened and disposes of the data after. */
  function withStore(
    body: (fixture: StoreFixture & { reopen(): Promise<MessageStore> }) => Promise<void>,
  ): () => Promise<void> {
    return async () => {
      const fixture = await options.open({ maxMessageBytes: MAX_BYTES });
      const stores: MessageStore[] = [fixture.store];
      try {
        await body({
          store: fixture.store,
          reopen: async () => {
            const store = await fixture.reopen();
            stores.push(store);
            return store;
          },
          dispose: () => fixture.dispose(),
        });
      } finally {
        for (const store of stores) await store.close().catch(() => undefined);
        await fixture.dispose();
      }
    };
  }

  const take = (events: AsyncIterable<StoreEvent>, n: number) =>
    takeEvents(events, n, eventTimeoutMs);

  describe(`MessageStore contract: ${name}`, () => {
    describe("append", () => {
      it(
        "resolves with the text, a store-assigned id and an ISO 8601 UTC time with ms",
        withStore(async ({ store }) => {
          const before = Date.now();
          const message = await store.append("hello");
          assert.equal(message.text, "hello");
          assert.equal(typeof message.id, "string");
          assert.notEqual(message.id, "");
          assert.match(message.postedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          // A database's clock may differ a little from this process's.
          assert.ok(Math.abs(Date.parse(message.postedAt) - before) < 60_000, message.postedAt);
          assert.ok(["fsync", "replicated", "async"].includes(store.durability));
          assert.deepEqual(await listAll(store), [message]);
        }),
      );

      it(
        "orders 200 concurrent appends as called, with distinct ids",
        withStore(async ({ store }) => {
          const texts = Array.from({ length: 200 }, (_, i) => `m${i}`);
          const messages = await Promise.all(texts.map((text) => store.append(text)));
          assert.deepEqual(
            messages.map((m) => m.text),
            texts,
          );
          assert.equal(new Set(messages.map((m) => m.id)).size, texts.length);
          assert.deepEqual(await listAll(store), messages);
        }),
      );

      it(
        "gives back every text exactly, also after a reopen (NUL, lone surrogates, CR, …)",
        withStore(async ({ store, reopen }) => {
          const written: StoredMessage[] = [];
          for (const text of TRICKY_TEXTS) written.push(await store.append(text));
          assert.deepEqual(await listAll(store), written);
          assert.deepEqual(await listAll(await reopen()), written);
        }),
      );

      it(
        "refuses a text over maxMessageBytes UTF-8 bytes with WW_STORE_MESSAGE_TOO_LARGE",
        withStore(async ({ store }) => {
          await assertCode(
            store.append("é".repeat(MAX_BYTES / 2 + 1)),
            "WW_STORE_MESSAGE_TOO_LARGE",
          );
          await assertCode(store.append("x".repeat(MAX_BYTES + 1)), "WW_STORE_MESSAGE_TOO_LARGE");
          assert.deepEqual(await listAll(store), []);
        }),
      );

      it(
        "refuses a text that is not a string with TypeError",
        withStore(async ({ store }) => {
          for (const bad of [42, null, undefined, { text: "x" }]) {
            await assert.rejects(store.append(bad as unknown as string), TypeError);
          }
        }),
      );
    });

    describe("list", () => {
      /** Stores m1..m7 and returns their ids; `id(n)` is the id of mn. */
      async function seven(store: MessageStore) {
        const messages: StoredMessage[] = [];
        for (let i = 1; i <= 7; i++) messages.push(await store.append(`m${i}`));
        return (n: number) => messages[n - 1]!.id;
      }
      const texts = (page: { messages: StoredMessage[] }) => page.messages.map((m) => m.text);

      // Positions instead of ids: cursors are opaque. `next` is the position whose id it must be.
      const PAGES: Array<{
        options: { limit?: number; before?: number; after?: number };
        messages: number[];
        next?: number;
      }> = [
        { options: {}, messages: [1, 2, 3, 4, 5, 6, 7] },
        { options: { limit: 3 }, messages: [5, 6, 7], next: 5 },
        { options: { limit: 3, before: 5 }, messages: [2, 3, 4], next: 2 },
        { options: { limit: 3, before: 2 }, messages: [1] },
        { options: { limit: 3, before: 4 }, messages: [1, 2, 3] },
        { options: { limit: 3, before: 1 }, messages: [] },
        { options: { limit: 3, after: 1 }, messages: [2, 3, 4], next: 4 },
        { options: { limit: 3, after: 4 }, messages: [5, 6, 7] },
        { options: { limit: 2, after: 4 }, messages: [5, 6], next: 6 },
        { options: { limit: 3, after: 7 }, messages: [] },
        { options: { limit: 7 }, messages: [1, 2, 3, 4, 5, 6, 7] },
      ];

      it(
        "pages oldest first; next continues in the same direction (table of 11 pages)",
        withStore(async ({ store }) => {
          const id = await seven(store);
          for (const { options: at, messages, next } of PAGES) {
            const options = {
              ...(at.limit === undefined ? {} : { limit: at.limit }),
              ...(at.before === undefined ? {} : { before: id(at.before) }),
              ...(at.after === undefined ? {} : { after: id(at.after) }),
            };
            const page = await store.list(options);
            const label = JSON.stringify(at);
            assert.deepEqual(
              texts(page),
              messages.map((n) => `m${n}`),
              label,
            );
            assert.equal(page.next, next === undefined ? undefined : id(next), label);
          }
        }),
      );

      it(
        "walks every message exactly once following next, in both directions",
        withStore(async ({ store }) => {
          const all: string[] = [];
          for (let i = 0; i < 25; i++) all.push((await store.append(`m${i}`)).id);
          const backwards: string[] = [];
          let page = await store.list({ limit: 4 });
          for (;;) {
            backwards.unshift(...page.messages.map((m) => m.id));
            if (page.next === undefined) break;
            page = await store.list({ limit: 4, before: page.next });
          }
          const forwards = [all[0]!];
          page = await store.list({ limit: 4, after: all[0]! });
          for (;;) {
            forwards.push(...page.messages.map((m) => m.id));
            if (page.next === undefined) break;
            page = await store.list({ limit: 4, after: page.next });
          }
          assert.deepEqual(backwards, all);
          assert.deepEqual(forwards, all);
        }),
      );

      it(
        "refuses malformed cursors with WW_STORE_INVALID_CURSOR (list) and synchronously (follow)",
        withStore(async ({ store }) => {
          await store.append("x");
          for (const cursor of ["", "abc", "-1", "1.5", " 1", "1e3", "0x10", "１"]) {
            await assertCode(store.list({ before: cursor }), "WW_STORE_INVALID_CURSOR", cursor);
            await assertCode(store.list({ after: cursor }), "WW_STORE_INVALID_CURSOR", cursor);
            assert.throws(
              () => store.follow(cursor, new AbortController().signal),
              (err: unknown) => (err as { code?: unknown }).code === "WW_STORE_INVALID_CURSOR",
              cursor,
            );
          }
        }),
      );

      it(
        "refuses a bad limit with RangeError and both cursors with TypeError",
        withStore(async ({ store }) => {
          const { id } = await store.append("x");
          for (const limit of [0, -1, 1.5, MAX_LIST_LIMIT + 1, Number.NaN]) {
            await assert.rejects(store.list({ limit }), RangeError, String(limit));
          }
          await assert.rejects(store.list({ before: id, after: id }), TypeError);
        }),
      );
    });

    describe("clear", () => {
      it(
        "empties the store durably; later ids come after the clear's id",
        withStore(async ({ store, reopen }) => {
          await store.append("secret 1");
          await store.append("secret 2");
          const { id: clearId } = await store.clear();
          assert.equal(typeof clearId, "string");
          assert.deepEqual(await listAll(store), []);
          const after = await store.append("after");
          assert.deepEqual(await listAll(store), [after]);
          assert.deepEqual((await store.list({ after: clearId })).messages, [after]);
          const again = await reopen();
          assert.deepEqual(await listAll(again), [after]);
          const next = await again.append("next");
          assert.deepEqual(await listAll(again), [after, next]);
        }),
      );

      it(
        "keeps call order when appends and clears are queued together",
        withStore(async ({ store }) => {
          const [, cleared, b, c] = await Promise.all([
            store.append("a"),
            store.clear(),
            store.append("b"),
            store.append("c"),
          ]);
          assert.deepEqual(await listAll(store), [b, c]);
          const events = await take(store.follow(cleared.id, new AbortController().signal), 2);
          assert.deepEqual(brief(events), ["b", "c"]);
        }),
      );
    });

    describe("follow", () => {
      it(
        "replays the events after the cursor, then streams live ones",
        withStore(async ({ store }) => {
          const a = await store.append("a");
          await store.append("b");
          const events = store.follow(a.id, new AbortController().signal);
          const live = store.append("c");
          const got = await take(events, 2);
          assert.deepEqual(brief(got), ["b", "c"]);
          assert.equal(got[1]!.id, (await live).id);
          assert.deepEqual((got[1] as { message: StoredMessage }).message, await live);
        }),
      );

      it(
        "without a cursor streams only new events, including those made before next()",
        withStore(async ({ store }) => {
          await store.append("old");
          const events = store.follow(undefined, new AbortController().signal);
          await store.append("new");
          const { id } = await store.clear();
          const got = await take(events, 2);
          assert.deepEqual(brief(got), ["new", "clear"]);
          assert.equal(got[1]!.id, id);
        }),
      );

      it(
        "replays a clear that came after the cursor, then the messages after it",
        withStore(async ({ store }) => {
          const a = await store.append("a");
          const { id } = await store.clear();
          await store.append("b");
          const got = await take(store.follow(a.id, new AbortController().signal), 2);
          assert.deepEqual(brief(got), ["clear", "b"]);
          assert.equal(got[0]!.id, id);
        }),
      );

      it(
        "hands out event ids that resume exactly after that event",
        withStore(async ({ store }) => {
          const first = await store.append("1");
          for (const text of ["2", "3", "4"]) await store.append(text);
          const got = await take(store.follow(first.id, new AbortController().signal), 3);
          const resumed = await take(store.follow(got[0]!.id, new AbortController().signal), 2);
          assert.deepEqual(brief(resumed), ["3", "4"]);
        }),
      );

      it(
        "ends when the signal aborts, when it was aborted already, and when the store closes",
        withStore(async ({ store }) => {
          const aborter = new AbortController();
          const aborted = take(store.follow(undefined, aborter.signal), 5);
          const closed = take(store.follow(undefined, new AbortController().signal), 5);
          const gone = AbortSignal.abort();
          const never = take(store.follow(undefined, gone), 5);
          await store.append("x");
          await waitFor(async () => (await aborted.peek()).length === 1, eventTimeoutMs);
          aborter.abort();
          assert.deepEqual(brief(await aborted), ["x"]);
          assert.deepEqual(brief(await never), []);
          await waitFor(async () => (await closed.peek()).length === 1, eventTimeoutMs);
          await store.close();
          assert.deepEqual(brief(await closed), ["x"]);
        }),
      );
    });

    describe("close", () => {
      it(
        "refuses every call afterwards with WW_STORE_CLOSED; close is idempotent",
        withStore(async ({ store }) => {
          await store.close();
          await store.close();
          await assertCode(store.append("x"), "WW_STORE_CLOSED");
          await assertCode(store.list(), "WW_STORE_CLOSED");
          await assertCode(store.clear(), "WW_STORE_CLOSED");
          assert.throws(
            () => store.follow(undefined, new AbortController().signal),
            (err: unknown) => (err as { code?: unknown }).code === "WW_STORE_CLOSED",
          );
        }),
      );

      it(
        "finishes the appends it accepted before closing",
        withStore(async ({ store, reopen }) => {
          const pending = Array.from({ length: 50 }, (_, i) => store.append(`m${i}`));
          await store.close();
          const messages = await Promise.all(pending);
          assert.deepEqual(await listAll(await reopen()), messages);
        }),
      );
    });
  });
}

/** Every message, oldest first, in pages. */
async function listAll(store: MessageStore): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  let before: Cursor | undefined;
  for (;;) {
    const page = await store.list(before === undefined ? { limit: 1000 } : { limit: 1000, before });
    out.unshift(...page.messages);
    if (page.next === undefined) return out;
    before = page.next;
  }
}

/** A message's text, or "clear". */
function brief(events: StoreEvent[]): string[] {
  return events.map((e) => (e.type === "clear" ? "clear" : e.message.text));
}

/** `n` events (fewer if the iteration ends); fails after `ms` rather than hang. `peek()` shows the events so far. */
function takeEvents(
  events: AsyncIterable<StoreEvent>,
  n: number,
  ms: number,
): Promise<StoreEvent[]> & { peek(): Promise<StoreEvent[]> } {
  const out: StoreEvent[] = [];
  const iterator = events[Symbol.asyncIterator]();
  const done = (async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`follow: got ${out.length} of ${n} events in ${ms} ms`)),
        ms,
      );
    });
    try {
      while (out.length < n) {
        const next = await Promise.race([iterator.next(), timeout]);
        if (next.done) break;
        out.push(next.value);
      }
      if (out.length === n) await iterator.return?.();
      return out;
    } finally {
      clearTimeout(timer);
    }
  })();
  return Object.assign(done, { peek: async () => out });
}

async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function assertCode(promise: Promise<unknown>, code: string, label?: string): Promise<void> {
  await assert.rejects(
    promise,
    (err: unknown) => {
      assert.equal((err as { code?: unknown }).code, code, label);
      return true;
    },
    label,
  );
}
