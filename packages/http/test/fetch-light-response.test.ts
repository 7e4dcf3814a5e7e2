/**
 * LightResponse must be indistinguishable from a native Response to the code that builds one:
 * same status, headers, body and errors for every kind of argument, `instanceof` both ways.
 */
import { describe, expect, it } from "vitest";
import { LightResponse, NativeResponse } from "../src/light-response.js";

type Args = [body?: unknown, init?: ResponseInit];
type BodyInit = ConstructorParameters<typeof Response>[0];

const same: Array<[string, Args]> = [
  ["no arguments", []],
  ["a string", ["héllo"]],
  ["a string with its own type", ["<p>", { headers: { "Content-Type": "text/html" } }]],
  ["bytes", [new Uint8Array([1, 2, 3])]],
  ["an ArrayBuffer", [new Uint8Array([4, 5]).buffer]],
  ["null with 204", [null, { status: 204 }]],
  [
    "a status and header pairs",
    [
      "x",
      {
        status: 418,
        headers: [
          ["x-a", "1"],
          ["X-A", "2"],
        ],
      },
    ],
  ],
  ["a Headers object", ["x", { headers: new Headers({ "set-cookie": "a=1" }) }]],
  ["a stream", [new Blob(["streamed"]).stream()]],
  ["a Blob (handed to the native one at once)", [new Blob(["b"], { type: "text/x-b" })]],
  ["URLSearchParams (native at once)", [new URLSearchParams("a=1&b=2")]],
  ["a statusText (native at once)", ["x", { status: 201, statusText: "Made" }]],
];

async function view(response: Response) {
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: [...response.headers],
    text: await response.text(),
  };
}

describe("LightResponse against the native Response", () => {
  it.each(same)("%s", async (_name, args) => {
    const native = new NativeResponse(...(args as [BodyInit, ResponseInit]));
    const fresh = () =>
      args[0] instanceof ReadableStream ? [new Blob(["streamed"]).stream(), args[1]] : args;
    const light = new LightResponse(
      ...(fresh() as [BodyInit, ResponseInit]),
    ) as unknown as Response;
    expect(await view(light)).toEqual(await view(native));
  });

  const refused: Array<[string, Args]> = [
    ["status 99", ["x", { status: 99 }]],
    ["status 600", ["x", { status: 600 }]],
    ["a body with 204", ["x", { status: 204 }]],
    ["a body with 304", ["x", { status: 304 }]],
  ];
  it.each(refused)("throws as the native one does for %s", (_name, args) => {
    const nativeError = (() => {
      try {
        new NativeResponse(...(args as [BodyInit, ResponseInit]));
      } catch (error) {
        return error;
      }
    })();
    expect(nativeError).toBeInstanceOf(Error);
    expect(() => new LightResponse(...(args as [BodyInit, ResponseInit]))).toThrow(
      (nativeError as Error).constructor as ErrorConstructor,
    );
  });

  it("is a Response, and natives are LightResponses to instanceof", () => {
    const light = new LightResponse("x");
    expect(light instanceof NativeResponse).toBe(true);
    expect(new NativeResponse("x") instanceof LightResponse).toBe(true);
    class Mine extends LightResponse {}
    expect(new Mine("x") instanceof Mine).toBe(true);
    expect(new LightResponse("x") instanceof Mine).toBe(false);
  });

  it("keeps headers changed after construction, and takes another Response as init", async () => {
    const light = new LightResponse("x") as unknown as Response;
    light.headers.set("x-late", "1");
    const copy = new LightResponse(null, light as unknown as ResponseInit) as unknown as Response;
    expect(copy.headers.get("x-late")).toBe("1");
    expect(await light.clone().text()).toBe("x");
    expect(light.headers.get("x-late")).toBe("1");
  });

  it("serves the native statics and the platform's own uses of a Response", async () => {
    expect(
      (LightResponse as unknown as typeof Response).json({ a: 1 }).headers.get("content-type"),
    ).toBe("application/json");
    const light = new LightResponse("body", { status: 202 }) as unknown as Response;
    const wrapped = new NativeResponse(light.body, light);
    expect(wrapped.status).toBe(202);
    expect(await wrapped.text()).toBe("body");
  });
});
