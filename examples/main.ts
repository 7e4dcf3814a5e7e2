import { pathToFileURL } from "node:url";

/** Whether the module at `url` is the program node was started with (not an import). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
}

/** The port to listen on: `PORT`, else 8080 as in the chapter. */
export function portFromEnv(): number {
  return Number(process.env.PORT ?? 8080);
}
