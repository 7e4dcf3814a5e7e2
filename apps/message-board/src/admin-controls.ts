import type { Viewer } from "./admin.js";

/** The "Log out" button: a POST form, so a link or an image elsewhere cannot log anyone out. */
export const LOGOUT_FORM = `<form method="post" action="/logout" class="logout">
<button type="submit">Log out</button>
</form>`;

/**
 * What goes under the board besides "Clear Messages" (which the page shows to whoever may
 * clear): "Log out" for the logged-in administrator, a "Log in" link for whoever may not clear.
 */
export function renderAdminControls(viewer: Viewer): string {
  if (viewer.loggedIn) return `${LOGOUT_FORM}\n`;
  return viewer.mayClear
    ? ""
    : `<p class="admin">Only the administrator can clear the board. <a href="/login">Log in</a></p>\n`;
}
