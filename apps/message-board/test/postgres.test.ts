import { createServer } from "@wireweb/http";
import type { MessageStore } from "@wireweb/message-store";
import { openPostgresStore } from "@wireweb/message-store-postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  dropSchema,
  freshSchema,
  HAVE_POSTGRES,
  TEST_URL,
} from "../../../packages/message-store-postgres/test/helpers.js";
import {
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from "../../../packages/message-store-postgres/test/throwaway-postgres.js";
import { createBoardHandler } from "../src/app.js";
import { apiJson, eventsOf, postForm, readEvents } from "./helpers.js";

// The board on PostgreSQL: several instances on one schema, and a database that goes away.
interface Instance {
  url: string;
  store: MessageStore;
  close(): Promise<void>;
}
const running: Instance[] = [];
const schemas: string[] = [];

async function instance(url: string, schema: string): Promise<Instance> {
  const store = await openPostgresStore(url, { schema, onWarning() {}, timeoutMs: 2000 });
  // Listening on loopback only: anyone may clear, as the CLI decides for --host 127.0.0.1.
  const board = createBoardHandler({ store, timeZone: "UTC", loopbackOnly: true });
  const server = createServer(board, { onError() {} });
  const { port } = await server.listen(0, "127.0.0.1");
  const started: Instance = {
    url: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      await board.close();
      await server.close();
      await store.close();
    },
  };
  running.push(started);
  return started;
}

afterEach(async () => {
  for (const board of running.splice(0)) await board.close().catch(() => undefined);
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

/** Opens the live stream and waits until it is open. */
async function liveStream(url: string): Promise<Response> {
  const response = await fetch(`${url}/api/messages/events`);
  await readEvents(response, ": stream open");
  return response;
}

describe.skipIf(!HAVE_POSTGRES)("the board on PostgreSQL", () => {
  it("three instances on one database: a post on one reaches every instance's live clients within a second; clear on any clears all", async () => {
    const schema = freshSchema();
    schemas.push(schema);
    const boards = [];
    for (let i = 0; i < 3; i++) boards.push(await instance(TEST_URL, schema));
    const streams = await Promise.all(boards.map((b) => liveStream(b.url)));
    const sent = Date.now();
    const posted = await fetch(`${boards[0]!.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "to every instance" }),
    });
    expect(posted.status).toBe(201);
    const { id } = await apiJson(posted);
    for (const stream of streams) {
      const text = await readEvents(stream, "to every instance", 1000);
      expect(eventsOf(text, "message").map((e) => JSON.parse(e.data).id)).toEqual([id]);
    }
    expect(Date.now() - sent).toBeLessThan(1000);

    const cleared = await fetch(`${boards[2]!.url}/api/messages`, { method: "DELETE" });
    expect(cleared.status).toBe(200);
    for (const stream of streams) await readEvents(stream, "event: clear", 1000);
    for (const board of boards) {
      expect((await apiJson(await fetch(`${board.url}/api/messages`))).messages).toEqual([]);
    }
  });
});

describe.skipIf(!HAVE_POSTGRES)("the board when PostgreSQL goes away", () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => {
    server = await startThrowawayPostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("answers 503 with the board's words (never 500, never a hang) while it is down, and recovers by itself", async () => {
    const board = await instance(server.url, "board");
    expect((await postForm(`${board.url}/`, { message: "before" })).status).toBe(303);
    await server.stop();
    for (const request of [
      () => postForm(`${board.url}/`, { message: "while down" }),
      () =>
        fetch(`${board.url}/api/messages`, {
          method: "POST",
          body: '{"text":"x"}',
          headers: { "content-type": "application/json" },
        }),
      () => fetch(`${board.url}/`),
      () => fetch(`${board.url}/api/messages`, { method: "DELETE" }),
    ]) {
      const began = Date.now();
      const response = await request();
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/database cannot be reached|ERR_STORE_UNAVAILABLE/);
      expect(Date.now() - began).toBeLessThan(5000);
    }
    await server.start();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (status !== 303 && Date.now() < deadline) {
      status = (await postForm(`${board.url}/`, { message: "after" })).status;
      if (status !== 303) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(303);
    const texts = (await apiJson(await fetch(`${board.url}/api/messages`))).messages.map(
      (m) => m.text,
    );
    expect(texts).toEqual(["before", "after"]);
  });
});
