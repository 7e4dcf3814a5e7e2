import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { MessageStoreError, openStore } from "../src/index.js";
import { scratch } from "./helpers.js";

const tmp = scratch();
afterEach(() => tmp.cleanup());

it("runs the README's usage example as printed", async () => {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  const code = /## Usage[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const folder = await tmp.folder();
  const body = code!
    .replace(/^import .*$/m, "")
    .replace('"data/messages.log"', JSON.stringify(join(folder, "data", "messages.log")));
  const printed: unknown[] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const run = new AsyncFunction("openStore", "MessageStoreError", "console", body);
  await run(openStore, MessageStoreError, { log: (x: unknown) => printed.push(x) });
  expect(printed).toEqual([
    expect.objectContaining({ id: "1", text: "Hello, board!" }),
    "id: 1\ndata: Hello, board!\n",
    "id: 2\ndata: live\n",
    "WW_STORE_MESSAGE_TOO_LARGE",
  ]);
});
