// What both TypeScript boards show: the messages (escaped) and the form.

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe to put into HTML: the Python board's missing `html.escape`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const FORM = `<form method="POST">
<textarea name="message"></textarea>
<button type="submit">Save Message</button>
</form>`;

/** The board page; `items` are already HTML. */
export function boardPage(items: readonly string[]): string {
  return `<h1>Message Board</h1><ul>${items.map((item) => `<li>${item}</li>`).join("")}</ul>${FORM}`;
}
