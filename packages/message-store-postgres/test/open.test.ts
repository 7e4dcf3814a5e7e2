import { MessageStoreError } from "@wireweb/message-store";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openPostgresStore } from "../src/index.js";
import { adminQuery, dropSchema, freshSchema, HAVE_POSTGRES, TEST_URL } from "./helpers.js";

const schemas: string[] = [];
afterEach(async () => {
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});
function schema(): string {
  const name = freshSchema();
  schemas.push(name);
  return name;
}

describe("arguments", () => {
  it.each([
    ["mysql://x@localhost/db", {}, TypeError],
    ["not a url", {}, TypeError],
    [TEST_URL, { schema: "Board" }, RangeError],
    [TEST_URL, { schema: 'x"; drop table y; --' }, RangeError],
    [TEST_URL, { schema: "a".repeat(64) }, RangeError],
    [TEST_URL, { maxMessageBytes: 0 }, RangeError],
    [TEST_URL, { pollMs: 1.5 }, RangeError],
    [TEST_URL, { timeoutMs: -1 }, RangeError],
    [TEST_URL, { maxConnections: 0 }, RangeError],
  ])("refuses %j with %j (%o) before connecting", async (url, options, type) => {
    await expect(openPostgresStore(url, options)).rejects.toThrow(type);
  });

  it("never echoes the password of a URL it refuses", async () => {
    const err = await openPostgresStore("mysql://u:hunter2@h/db").catch((e: unknown) => e);
    expect(String((err as Error).message)).not.toContain("hunter2");
  });
});

describe.skipIf(!HAVE_POSTGRES)("opening", () => {
  it("works on a pool the caller owns, and leaves it open on close", async () => {
    const pool = new pg.Pool({ connectionString: TEST_URL, max: 3 });
    try {
      const store = await openPostgresStore(pool, { schema: schema(), onWarning() {} });
      const message = await store.append("via a pool");
      expect((await store.list()).messages).toEqual([message]);
      await store.close();
      expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it("says durability fsync on a server with fsync on and no synchronous standby", async () => {
    const [settings] = await adminQuery<{ fsync: string; standbys: string }>(
      "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_standby_names') AS standbys",
    );
    const store = await openPostgresStore(TEST_URL, { schema: schema(), onWarning() {} });
    try {
      expect(settings).toEqual({ fsync: "on", standbys: "" });
      expect(store.durability).toBe("fsync");
    } finally {
      await store.close();
    }
  });

  it("refuses a schema migrated by a newer version with WW_STORE_UNSUPPORTED_VERSION", async () => {
    const name = schema();
    await (await openPostgresStore(TEST_URL, { schema: name, onWarning() {} })).close();
    await adminQuery(`INSERT INTO "${name}".migrations (version) VALUES (99)`);
    const err = await openPostgresStore(TEST_URL, { schema: name, onWarning() {} }).catch(
      (e: unknown) => e,
    );
    expect(MessageStoreError.is(err)).toBe(true);
    expect((err as MessageStoreError).code).toBe("WW_STORE_UNSUPPORTED_VERSION");
    expect((err as MessageStoreError).message).toMatch(/version 99.*knows up to 1/);
  });

  it("keeps messages across a reopen and records the schema version once", async () => {
    const name = schema();
    const first = await openPostgresStore(TEST_URL, { schema: name, onWarning() {} });
    const message = await first.append("kept");
    await first.close();
    const again = await openPostgresStore(TEST_URL, { schema: name, onWarning() {} });
    try {
      expect((await again.list()).messages).toEqual([message]);
      expect(await adminQuery(`SELECT version FROM "${name}".migrations`)).toEqual([
        { version: 1 },
      ]);
    } finally {
      await again.close();
    }
  });
});
