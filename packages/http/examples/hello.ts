/**
 * The same page with the plain handler API: one function per request, a Response to write.
 * Run: `npx tsx examples/hello.ts`, then open http://localhost:8080/.
 */
import { createServer } from "../src/index.js"; // "@wireweb/http" outside this repository

const server = createServer(async (request, response) => {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" });
    await response.end("405 Method Not Allowed\n");
    return;
  }
  response.setHeader("Content-Type", "text/html; charset=utf-8");
  await response.end("<html><body><h1>hello</h1></body></html>");
});

const { port } = await server.listen(Number(process.env.PORT ?? 8080), "localhost");
console.log(`Serving on http://localhost:${port}/`);
const stop = () => void server.close();
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
