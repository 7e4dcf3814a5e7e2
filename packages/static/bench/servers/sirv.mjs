// sirv 3 (production mode: files indexed at startup, ETags on) on node:http, as the research ran it.
import { createServer } from "node:http";
import sirv from "sirv";

const serve = sirv(process.argv[2], { etag: true });
const server = createServer((req, res) => serve(req, res));
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));
