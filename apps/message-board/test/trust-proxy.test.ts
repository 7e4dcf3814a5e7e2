import { afterEach, describe, expect, it } from "vitest";
import { cleanUp, postForm, startBoard } from "./helpers.js";

afterEach(cleanUp);

/** A board whose access log lines are kept. */
async function loggedBoard(trustProxy: boolean) {
  const lines: string[] = [];
  const board = await startBoard({ trustProxy, log: (line) => lines.push(line) });
  return { ...board, lines };
}

const FORWARDED = { "x-forwarded-for": "203.0.113.9, 198.51.100.7", "x-forwarded-proto": "https" };

describe("--trust-proxy", () => {
  it.each([
    { trustProxy: false, address: "127.0.0.1" },
    { trustProxy: true, address: "198.51.100.7" }, // the entry the proxy appended, not the client's own
  ])(
    "access log address with trustProxy $trustProxy is $address",
    async ({ trustProxy, address }) => {
      const { url, lines } = await loggedBoard(trustProxy);
      await fetch(`${url}/`, { headers: FORWARDED });
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^${address.replaceAll(".", "\\.")} GET / 200 \\d+ms$`)),
      ]);
    },
  );

  it.each([
    ["garbage", "127.0.0.1"],
    ["", "127.0.0.1"],
    ["10.0.0.1, <script>", "127.0.0.1"],
    ["2001:db8::1", "2001:db8::1"],
  ])(
    "trusts only an address-shaped last X-Forwarded-For entry (%j → %s)",
    async (header, address) => {
      const { url, lines } = await loggedBoard(true);
      await fetch(`${url}/`, { headers: { "x-forwarded-for": header } });
      expect(lines[0]!.split(" ")[0]).toBe(address);
    },
  );

  it.each([
    // Without a proxy to trust, the scheme is the connection's (http): an https Origin is another origin.
    { trustProxy: false, headers: { origin: "https://HOST" }, status: 403 },
    { trustProxy: false, headers: { origin: "http://HOST", ...FORWARDED }, status: 303 },
    { trustProxy: true, headers: { origin: "https://HOST", ...FORWARDED }, status: 303 },
    { trustProxy: true, headers: { origin: "http://HOST", ...FORWARDED }, status: 403 },
    { trustProxy: true, headers: { origin: "http://HOST" }, status: 303 },
  ])(
    "origin check with trustProxy $trustProxy and $headers → $status",
    async ({ trustProxy, headers, status }) => {
      const { url, port } = await loggedBoard(trustProxy);
      const host = `127.0.0.1:${port}`;
      const sent = Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name, value.replace("HOST", host)]),
      );
      const response = await postForm(`${url}/`, { message: "hi" }, sent);
      expect(response.status).toBe(status);
    },
  );
});
