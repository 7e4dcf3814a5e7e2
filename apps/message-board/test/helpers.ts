import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "@wireweb/http";
import { type MessageStore, type OpenStoreOptions, openStore } from "@wireweb/message-store";
import { type BoardHandler, type BoardOptions, createBoardHandler } from "../src/app.js";

/** A board on a real socket with a real store on a temp file. */
export interface TestBoard {
  url: string;
  port: number;
  file: string;
  store: MessageStore;
  board: BoardHandler;
  server: Server;
  /** Closes streams, server and store (idempotent). */
  close(): Promise<void>;
}

const folders: string[] = [];
const open: TestBoard[] = [];

/** A fresh temporary folder, removed by {@link cleanUp}. */
export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "board-test-"));
  folders.push(folder);
  return folder;
}

/** Starts a board on 127.0.0.1:0 over a log in a new temp folder (or `file`). */
export async function startBoard(
  options: Omit<BoardOptions, "store"> = {},
  file = join(tempFolder(), "messages.log"),
  storeOptions: OpenStoreOptions = {},
): Promise<TestBoard> {
  const store = await openStore(file, { onWarning() {}, ...storeOptions });
  // It listens on 127.0.0.1: without an adminPassword anyone may clear, as in the chapter.
  const board = createBoardHandler({ timeZone: "UTC", loopbackOnly: true, ...options, store });
  const server = createServer(board, { onError() {} });
  const { port } = await server.listen(0, "127.0.0.1");
  let closing: Promise<void> | undefined;
  const running: TestBoard = {
    url: `http://127.0.0.1:${port}`,
    port,
    file,
    store,
    board,
    server,
    close() {
      closing ??= (async () => {
        await board.close();
        await server.close();
        await store.close();
      })();
      return closing;
    },
  };
  open.push(running);
  return running;
}

/** Closes every board and removes every temp folder; call in afterEach. */
export async function cleanUp(): Promise<void> {
  await Promise.all(open.splice(0).map((b) => b.close()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** POSTs a urlencoded form without following the redirect. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** Every stored text, oldest first, straight from the store. */
export async function storedTexts(store: MessageStore): Promise<string[]> {
  return (await store.list({ limit: 100_000 })).messages.map((m) => m.text);
}

/**
 * Reads an SSE response until `until` (a marker string, or a test of the text so far) holds,
 * or fails after `ms`. A marker is searched only in the new text, so long streams stay linear.
 */
export async function readEvents(
  response: Response,
  until: string | ((text: string) => boolean),
  ms = 5000,
): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  let tail = "";
  let done = false;
  const deadline = Date.now() + ms;
  const reached = () => (typeof until === "string" ? tail.includes(until) : until(chunks.join("")));
  try {
    while (!reached()) {
      const left = deadline - Date.now();
      const failure = () =>
        new Error(`timed out; got ${JSON.stringify(chunks.join("").slice(-300))}`);
      if (left <= 0) throw failure();
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(failure()), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) {
        done = true;
        break;
      }
      const text = decoder.decode(chunk.value, { stream: true });
      chunks.push(text);
      if (typeof until === "string") tail = tail.slice(-until.length) + text;
    }
  } finally {
    if (!done) reader.releaseLock();
  }
  return chunks.join("");
}

/** The `data:` payloads of every event of type `type` in an SSE text. */
export function eventsOf(text: string, type: string): Array<{ id: string; data: string }> {
  const events: Array<{ id: string; data: string }> = [];
  for (const block of text.split("\n\n")) {
    const lines = block.split("\n");
    const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
    const id = lines.find((l) => l.startsWith("id: "))?.slice(4);
    const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
    if (id !== undefined && event === type) events.push({ id, data: data.join("\n") });
  }
  return events;
}

/** What the JSON API answers, loosely: each test reads the fields it expects. */
export interface ApiBody {
  messages: Array<{ id: string; text: string; postedAt: string }>;
  next: string | null;
  error: { code: string; message: string };
  id: string;
  text: string;
  postedAt: string;
}

/** The response body as the API's JSON. */
export async function apiJson(response: Response): Promise<ApiBody> {
  return (await response.json()) as ApiBody;
}
