// The chapter's message board, as a baseline: every message in one list, the whole list
// rewritten to a file and fsynced on every post. Done safely (temp file, fsync, rename, fsync
// the folder), so a crash cannot truncate the board; the chapter itself pickles straight over
// the file and never fsyncs. Posts are handled one at a time, as the chapter's single-threaded
// HTTPServer does. Usage: node chapter-board.mjs FILE  (prints the URL, listens on a free port)
import { open, readFile, rename } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname } from "node:path";

const file = process.argv[2];
const messages = JSON.parse(await readFile(file, "utf8"));
const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

async function save() {
  const temp = `${file}.tmp`;
  const handle = await open(temp, "w");
  await handle.writeFile(JSON.stringify(messages));
  await handle.sync();
  await handle.close();
  await rename(temp, file);
  const folder = await open(dirname(file), "r");
  await folder.sync();
  await folder.close();
}

let queue = Promise.resolve();
const server = createServer((request, response) => {
  if (request.method === "POST") {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const text = new URLSearchParams(Buffer.concat(chunks).toString()).get("message") ?? "";
      queue = queue.then(async () => {
        messages.push({ text, postedAt: new Date().toISOString() });
        await save();
        response.writeHead(303, { Location: "/" }).end();
      });
    });
    return;
  }
  const items = messages
    .slice(-100)
    .map((m) => `<li><pre>${escapeHtml(m.text)}</pre><p>Posted: ${m.postedAt}</p></li>`)
    .join("\n");
  response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  response.end(`<!doctype html><title>Tiny Message Board</title><ol>${items}</ol>`);
});
server.listen(0, "127.0.0.1", () => {
  console.log(`Open your browser and connect to: http://127.0.0.1:${server.address().port}/`);
});
process.on("SIGTERM", () => queue.then(() => process.exit(0)));
