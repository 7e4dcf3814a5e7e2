import { type FlagSpec, type FlagTable, placeholder } from "./flags.js";

const WIDTH = 100;
/** The flag column never pushes the help text past this indent; longer flags get their own line. */
const MAX_COLUMN = 26;

/** The line after a usage mistake: where to look, without burying the message under every option. */
export function formatUsageHint(usage: string): string {
  return `Usage: ${usage}   (--help lists every option)\n`;
}

/** What `--help` prints: the usage line, a summary, and one row per flag. */
export interface UsageText {
  /** `Usage: …` without the word Usage. */
  usage: string;
  /** A paragraph saying what the program does. */
  summary: string;
  flags: FlagTable;
}

/**
 * Formats `--help` from a flag table: `  --port N   port to listen on (env PORT, default 8080)`,
 * wrapped at 100 columns.
 */
export function formatUsage({ usage, summary, flags }: UsageText): string {
  const rows = Object.entries(flags).map(([name, spec]) => ({
    left: `--${name}${spec.type === "boolean" ? "" : ` ${placeholder(spec)}`}`,
    text: describe(spec),
  }));
  const column = Math.min(MAX_COLUMN, Math.max(...rows.map((row) => row.left.length)) + 2);
  const lines = rows.map(({ left, text }) => {
    const indent = " ".repeat(2 + column);
    const wrapped = wrap(text, WIDTH - indent.length);
    if (left.length + 2 > column) return `  ${left}\n${indent}${wrapped.join(`\n${indent}`)}`;
    return `  ${left.padEnd(column)}${wrapped.join(`\n${indent}`)}`;
  });
  return `Usage: ${usage}\n\n${wrap(summary, WIDTH).join("\n")}\n\nOptions:\n${lines.join("\n")}\n`;
}

function describe(spec: FlagSpec): string {
  const notes: string[] = [];
  if (spec.env !== undefined) notes.push(`env ${spec.env}${spec.type === "boolean" ? "=1" : ""}`);
  const fallback =
    spec.defaultText ??
    (spec.type !== "boolean" && spec.default !== undefined ? String(spec.default) : undefined);
  if (fallback !== undefined) notes.push(`default ${fallback}`);
  return notes.length === 0 ? spec.help : `${spec.help} (${notes.join(", ")})`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}
