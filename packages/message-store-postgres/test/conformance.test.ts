import { testMessageStore } from "@wireweb/message-store/testing";
import { describe, it } from "vitest";
import { openPostgresStore } from "../src/index.js";
import { dropSchema, freshSchema, HAVE_POSTGRES, TEST_URL } from "./helpers.js";

// The same contract suite the file log passes, against the real server.
testMessageStore("PostgreSQL", {
  describe: (name, body) => describe.skipIf(!HAVE_POSTGRES)(name, body),
  it,
  // A loaded CI machine: allow 10 s for an event (the default is 5 s).
  eventTimeoutMs: 10_000,
  async open({ maxMessageBytes }) {
    const schema = freshSchema();
    const options = { schema, maxMessageBytes, onWarning() {} };
    let store = await openPostgresStore(TEST_URL, options);
    return {
      store,
      async reopen() {
        await store.close();
        store = await openPostgresStore(TEST_URL, options);
        return store;
      },
      dispose: () => dropSchema(schema),
    };
  },
});
