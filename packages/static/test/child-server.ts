// A static server in its own process, for tests that need another user: root reads every
// file whatever its mode, so "unreadable" can only be tested as an unprivileged user.
// Usage: node --import <tsx loader> child-server.ts ROOT OPTIONS_JSON
// Prints one JSON line per event: {"port":N}, {"error":{code,status,path,message}}, {"fatal":…}.
import { createServer } from "@wireweb/http";
import { createStaticHandler, StaticError } from "../src/index.js";

const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const [root = "", optionsJson = "{}"] = process.argv.slice(2);
try {
  const handler = createStaticHandler(root, {
    ...JSON.parse(optionsJson),
    onError: (error: StaticError) =>
      say({
        error: { code: error.code, status: error.status, path: error.path, message: error.message },
      }),
  });
  const { port } = await createServer(handler).listen(0, "127.0.0.1");
  say({ port });
} catch (error) {
  say({
    fatal: StaticError.is(error) ? { code: error.code, message: error.message } : String(error),
  });
  process.exit(1);
}
