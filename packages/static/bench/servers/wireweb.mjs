// @wireweb/static on @wireweb/http, with its defaults (the small-file cache on, revalidated
// every 500 ms), as `createStaticHandler(root)` gives it to any user.
import { createServer } from "@wireweb/http";
import { createStaticHandler } from "../../dist/index.js";

const server = createServer(createStaticHandler(process.argv[2]));
const { port } = await server.listen(0, "127.0.0.1");
console.log(`PORT ${port}`);
