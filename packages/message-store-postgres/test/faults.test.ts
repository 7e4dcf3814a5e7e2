import { existsSync } from "node:fs";
import { MessageStoreError, type StoreEvent } from "@wireweb/message-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../src/index.js";
import { HAVE_POSTGRES } from "./helpers.js";
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from "./throwaway-postgres.js";

// A server of this file's own (initdb in a temp folder, a free port, password auth), so it can
// be restarted under load without disturbing other tests that use the machine's PostgreSQL.
const HAVE_BINARIES =
  existsSync("/usr/lib/postgresql/15/bin/initdb") || !!process.env.WIREWEB_PG_BIN;
if (!HAVE_BINARIES && process.env.WIREWEB_REQUIRE_POSTGRES === "1") {
  throw new Error("PostgreSQL server binaries (initdb, pg_ctl) are required in CI");
}

describe.skipIf(!HAVE_POSTGRES || !HAVE_BINARIES)("faults, on a throwaway server", () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("names the URL without its password when the password is wrong or the server unreachable", async () => {
    const wrong = server.url.replace(server.password, "not-the-password");
    const port = await freePort();
    const cases = [
      { url: wrong, reason: /password authentication failed/ },
      { url: `postgres://postgres:hunter2@127.0.0.1:${port}/postgres`, reason: /ECONNREFUSED/ },
      {
        url: `${server.url.replace(/\/postgres$/, "/no_such_db")}?password=${server.password}`,
        reason: /does not exist/,
      },
    ];
    for (const { url, reason } of cases) {
      const err = await openPostgresStore(url, { onWarning() {} }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MessageStoreError);
      const { code, message } = err as MessageStoreError;
      expect(code).toBe("WW_STORE_UNAVAILABLE");
      expect(message).toMatch(reason);
      expect(message).toContain(`@127.0.0.1:`);
      for (const secret of [server.password, "not-the-password", "hunter2"]) {
        expect(message).not.toContain(secret);
      }
    }
  });

  it("restarted under load: in-flight appends reject (WW_STORE_UNAVAILABLE, no hang), nothing acknowledged is lost, it reconnects by itself, a follower misses nothing", async () => {
    const warnings: string[] = [];
    const store = await openPostgresStore(server.url, {
      schema: "restart",
      pollMs: 200,
      timeoutMs: 3000,
      onWarning: (w) => warnings.push(w),
    });
    const other = await openPostgresStore(server.url, {
      schema: "restart",
      pollMs: 200,
      onWarning() {},
    });
    try {
      const start = (await store.append("start")).id;
      const seen: StoreEvent[] = [];
      const aborter = new AbortController();
      const following = (async () => {
        for await (const event of other.follow(start, aborter.signal)) seen.push(event);
      })();
      const resolved: string[] = [];
      const failures: unknown[] = [];
      let slowest = 0;
      let stop = false;
      const clients = Array.from({ length: 8 }, async (_, c) => {
        for (let i = 0; !stop; i++) {
          const began = Date.now();
          try {
            resolved.push((await store.append(`c${c} m${i}`)).id);
          } catch (err) {
            failures.push(err);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          slowest = Math.max(slowest, Date.now() - began);
        }
      });
      await waitUntil(() => resolved.length > 200);
      await server.restart();
      const afterRestart = resolved.length;
      await waitUntil(() => resolved.length > afterRestart + 200, 20_000); // reconnected by itself
      stop = true;
      await Promise.all(clients);

      expect(failures.length).toBeGreaterThan(0);
      for (const err of failures) {
        expect(err).toBeInstanceOf(MessageStoreError);
        expect((err as MessageStoreError).code).toBe("WW_STORE_UNAVAILABLE");
      }
      expect(slowest).toBeLessThan(10_000);
      const listed = (await store.list({ after: start, limit: 100_000 })).messages.map((m) => m.id);
      const stored = new Set(listed);
      expect(resolved.filter((id) => !stored.has(id))).toEqual([]);
      // The follower saw every stored message once, in order (including any from batches whose
      // COMMIT went through but whose answer was lost in the restart).
      await waitUntil(() => seen.length >= listed.length);
      aborter.abort();
      await following;
      expect(seen.map((e) => e.id)).toEqual(listed);
      expect(warnings.some((w) => w.includes("ERR") || w.includes("failed"))).toBe(true);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it("answers within the timeout while the server is down, then works again after it starts", async () => {
    const store = await openPostgresStore(server.url, {
      schema: "down",
      timeoutMs: 2000,
      onWarning() {},
    });
    try {
      await store.append("before");
      await server.stop();
      for (const call of [() => store.append("x"), () => store.list(), () => store.clear()]) {
        const began = Date.now();
        const err = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((err as MessageStoreError).code).toBe("WW_STORE_UNAVAILABLE");
        expect(Date.now() - began).toBeLessThan(5000);
        expect((err as Error).message).not.toContain(server.password);
      }
      await server.start();
      await waitUntil(
        async () =>
          await store.append("after").then(
            () => true,
            () => false,
          ),
        20_000,
      );
      expect((await store.list()).messages.map((m) => m.text).slice(0, 2)).toEqual([
        "before",
        "after",
      ]);
    } finally {
      await store.close();
    }
  });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
