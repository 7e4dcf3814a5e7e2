/**
 * The hello page from a Hono app, unchanged, served by @wireweb/http's fetch adapter.
 * Run: `npx tsx examples/hono.ts`, then open http://localhost:8080/.
 */
import { Hono } from "hono";
import { createFetchServer } from "../src/index.js"; // "@wireweb/http" outside this repository

const app = new Hono().get("/", (c) => c.html("<html><body><h1>hello</h1></body></html>"));
const server = createFetchServer(app.fetch);

const { port } = await server.listen(Number(process.env.PORT ?? 8080), "localhost");
console.log(`Serving on http://localhost:${port}/`);
const stop = () => void server.close();
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
