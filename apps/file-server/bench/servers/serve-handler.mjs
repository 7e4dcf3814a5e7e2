// serve-handler 6 (the `serve` CLI's engine) on node:http.
import { createServer } from "node:http";
import handler from "serve-handler";

const root = process.argv[2];
const server = createServer((req, res) => handler(req, res, { public: root }));
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));
