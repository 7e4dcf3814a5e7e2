// Child process for crash.test.ts (transpiled to JS and run by bare node): appends (and now and then clears) in a loop until killed,
// printing each acknowledgement only after its promise resolved.
import { openStore } from "../src/index.js";

const file = process.argv[2]!;
const WRITERS = 16;
const MAX_APPENDS = 200_000; // bounded even if nobody kills us
const DEADLINE = Date.now() + 20_000;

process.stdout.write("opening\n");
const store = await openStore(file, { onWarning: (w) => process.stderr.write(`${w}\n`) });
process.stdout.write("ready\n");
let n = 0;
await Promise.all(
  Array.from({ length: WRITERS }, async (_, writer) => {
    while (n < MAX_APPENDS && Date.now() < DEADLINE) {
      const i = n++;
      if (writer === 0 && i % 997 === 500) {
        const { id } = await store.clear();
        process.stdout.write(`clear ${id}\n`);
        continue;
      }
      const message = await store.append(`writer ${writer} #${i} ${"ü".repeat(i % 50)}`);
      process.stdout.write(`${message.id} ${JSON.stringify(message)}\n`);
    }
  }),
);
await store.close();
