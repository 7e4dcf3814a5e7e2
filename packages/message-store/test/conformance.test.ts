import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { openStore } from "../src/index.js";
import { testMessageStore } from "../src/testing.js";

// The file log against the contract every adapter passes (the same suite runs in
// @wireweb/message-store-postgres).
testMessageStore("file log", {
  describe,
  it,
  async open({ maxMessageBytes }) {
    const folder = await mkdtemp(join(tmpdir(), "store-conformance-"));
    const file = join(folder, "messages.log");
    const options = { maxMessageBytes, onWarning() {} };
    let store = await openStore(file, options);
    return {
      store,
      async reopen() {
        await store.close();
        store = await openStore(file, options);
        return store;
      },
      dispose: () => rm(folder, { recursive: true, force: true }),
    };
  },
});
