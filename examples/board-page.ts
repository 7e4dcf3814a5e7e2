// What both TypeScript boards show: the messages (escaped) and the form.

// The Python board's missing `html.escape`: the one escapeHtml every wireweb app uses.
export { escapeHtml } from "@wireweb/app-shell";

const FORM = `<form method="POST">
<textarea name="message"></textarea>
<button type="submit">Save Message</button>
</form>`;

/** The board page; `items` are already HTML. */
export function boardPage(items: readonly string[]): string {
  return `<h1>Message Board</h1><ul>${items.map((item) => `<li>${item}</li>`).join("")}</ul>${FORM}`;
}
