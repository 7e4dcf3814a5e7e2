/** Content codings the server can serve from precompressed siblings, in its order of preference. */
export const SIBLING_ENCODINGS = [
  { coding: "br", extension: ".br" },
  { coding: "gzip", extension: ".gz" },
] as const;

/** A content coding that can come from a precompressed sibling file. */
export type SiblingEncoding = (typeof SIBLING_ENCODINGS)[number]["coding"];

/**
 * The codings from {@link SIBLING_ENCODINGS} that `Accept-Encoding` allows, best first
 * (RFC 9110 §12.5.3): higher q first, the server's order (br, then gzip) on ties. `q=0` refuses
 * a coding, `*` stands for every coding not named, `x-gzip` is gzip. No header: none (identity).
 *
 * @example acceptedEncodings("gzip, deflate, br") // ["br", "gzip"]
 * @example acceptedEncodings("br;q=0, *") // ["gzip"]
 */
export function acceptedEncodings(header: string | undefined): SiblingEncoding[] {
  if (header === undefined) return [];
  const weights = new Map<string, number>();
  let star: number | undefined;
  for (const element of header.split(",")) {
    const [rawName = "", ...params] = element.split(";");
    const name = rawName.trim().toLowerCase();
    if (name === "") continue;
    const q = parseQ(params);
    if (q === undefined) continue;
    if (name === "*") star = q;
    else weights.set(name === "x-gzip" ? "gzip" : name, q);
  }
  const chosen: { coding: SiblingEncoding; q: number; order: number }[] = [];
  SIBLING_ENCODINGS.forEach(({ coding }, order) => {
    const q = weights.get(coding) ?? star ?? 0;
    if (q > 0) chosen.push({ coding, q, order });
  });
  chosen.sort((a, b) => b.q - a.q || a.order - b.order);
  return chosen.map((c) => c.coding);
}

/** The `q` weight of one element (default 1), or `undefined` when it is malformed. */
function parseQ(params: string[]): number | undefined {
  let q = 1;
  for (const param of params) {
    const [key = "", value = ""] = param.split("=").map((s) => s.trim());
    if (key.toLowerCase() !== "q") continue;
    // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return undefined;
    q = Number(value);
  }
  return q;
}
