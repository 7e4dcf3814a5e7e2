/** What a User-Agent string says about the client, in words. */
export interface UserAgentSummary {
  browser: string;
  os: string;
}

// Order matters: Edge and Opera claim to be Chrome, Chrome claims to be Safari, and every
// browser claims to be Mozilla. The first match wins.
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, "Microsoft Edge"],
  [/\bOPR\/(\d+)/, "Opera"],
  [/\bSamsungBrowser\/(\d+)/, "Samsung Internet"],
  [/\bFirefox\/(\d+)/, "Firefox"],
  [/\bFxiOS\/(\d+)/, "Firefox"],
  [/\bCriOS\/(\d+)/, "Chrome"],
  [/\bHeadlessChrome\/(\d+)/, "Headless Chrome"],
  [/\bChromium\/(\d+)/, "Chromium"],
  [/\bChrome\/(\d+)/, "Chrome"],
  [/\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, "Safari"],
  [/^curl\/(\d+)/, "curl"],
  [/^Wget\/(\d+)/, "Wget"],
  [/^python-requests\/(\d+)/, "Python requests"],
  [/^Python-urllib\/(\d+)/, "Python urllib"],
  [/^node(?:-fetch)?(?:\/(\d+))?/, "Node.js"],
  [/^undici(?:\/(\d+))?/, "Node.js (undici)"],
];

const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows NT\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/**
 * Tells, in words, which browser and operating system a User-Agent header claims — the chapter
 * asks whether a server can tell. It is a claim, not a proof: any client can send any string.
 */
export function summarizeUserAgent(userAgent: string | undefined): UserAgentSummary {
  if (!userAgent) return { browser: "unknown (no User-Agent header)", os: "unknown" };
  let browser = "an unrecognised client";
  for (const [pattern, name] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) {
      browser = match[1] ? `${name} ${match[1]}` : name;
      break;
    }
  }
  const os = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? "unknown";
  return { browser, os };
}
