// The three bodies of the brief: the message board's own form, 20 escaped fields, and a 2 KB
// body with many escapes (the research note's inputs, rebuilt from its description).

export interface BenchInput {
  name: string;
  text: string;
  /**
   * The fields the body holds, written down from the values it was built from (not by parsing
   * it): `parseQs(text, { keepBlankValues: true })` must give exactly this, or the bench fails.
   */
  expected: Record<string, string[]>;
}

const enc = (s: string) => encodeURIComponent(s).replaceAll("%20", "+");

const twentyValues = [
  "café crème",
  "naïve",
  "東京",
  "😀 smile",
  "a&b",
  "100%",
  "São Paulo",
  "Zürich",
  "ελληνικά",
  "Ω≈ç√",
  "plain",
  "x=y",
  "über",
  "日本語テキスト",
  "façade",
  "résumé",
  "🎉🎉",
  "mañana",
  "Kraków",
  "10% off & more",
];
const twenty = twentyValues.map((v, i) => `field${i}=${enc(v)}`).join("&");

const sentence = "Héllo wörld! Ünïcödé & symbols: 50% off — naïve café, 東京 😀. ";
// Whole characters only: a cut UTF-8 sequence would be invalid, which some contenders keep raw.
let text = "";
for (const ch of sentence.repeat(20)) {
  if (enc(text).length >= 1880) break;
  text += ch;
}
const message = enc(text);
const twoKb = [
  `message=${message}`,
  "tag=news",
  "tag=caf%C3%A9",
  "tag=%E6%9D%B1%E4%BA%AC",
  "empty=",
  "preview",
  `pad=${"x".repeat(2048 - 1880 - 85)}`,
].join("&");

export const inputs: BenchInput[] = [
  {
    name: "short",
    text: "message=hello+world&save=",
    expected: { message: ["hello world"], save: [""] },
  },
  {
    name: "twenty",
    text: twenty,
    expected: Object.fromEntries(twentyValues.map((v, i) => [`field${i}`, [v]])),
  },
  {
    name: "2 KB",
    text: twoKb,
    expected: {
      message: [text],
      tag: ["news", "café", "東京"],
      empty: [""],
      preview: [""],
      pad: ["x".repeat(2048 - 1880 - 85)],
    },
  },
];
