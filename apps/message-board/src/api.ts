import type { HttpRequest, HttpResponse } from "@wireweb/http";
import type { StoredMessage } from "@wireweb/message-store";
import { BoardError } from "./errors.js";
import {
  isJsonMediaType,
  mediaTypeOf,
  normalizeMessage,
  parseFormSubmission,
  parseJsonSubmission,
} from "./forms.js";
import { type BoardContext, MAX_API_LIMIT } from "./options.js";
import { parsePageQuery } from "./query.js";
import { sendJson } from "./respond.js";

/** A message as the API sends it: exactly these three fields. */
function toJson(message: StoredMessage): { id: string; text: string; postedAt: string } {
  return { id: message.id, text: message.text, postedAt: message.postedAt };
}

/**
 * `GET /api/messages?limit=&before=&after=` → `{ "messages": [...], "next": cursor | null }`,
 * oldest first; `next` is the `before` (or, for `after` pages, the `after`) of the next page.
 * `limit` defaults to the page size and goes up to 100 000, for export.
 */
export async function listMessages(
  context: BoardContext,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  const query = parsePageQuery(request.query, MAX_API_LIMIT);
  const page = await context.store.list({ limit: context.pageSize, ...query });
  await sendJson(response, 200, { messages: page.messages.map(toJson), next: page.next ?? null });
}

/**
 * `POST /api/messages` with JSON `{"text":"…"}` or a form (`message=…`) → 201 and the stored
 * message, once durable. Same checks and limits as the page's form.
 */
export async function createMessage(
  context: BoardContext,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  const type = mediaTypeOf(request.headers.get("content-type"));
  const json = isJsonMediaType(type);
  if (!json && type !== "" && type !== "application/x-www-form-urlencoded") {
    throw new BoardError(
      "ERR_UNSUPPORTED_MEDIA_TYPE",
      415,
      "Send application/json or application/x-www-form-urlencoded.",
    );
  }
  const body = await request.body({ limit: context.maxBodyBytes });
  const submission = json ? parseJsonSubmission(body) : parseFormSubmission(body);
  const text = normalizeMessage(submission.text, context.maxMessageBytes);
  const message = await context.store.append(text);
  await sendJson(response, 201, toJson(message));
}

/**
 * `DELETE /api/messages` clears the board → `{ "id": cursor }` (the clear event's id). Needs
 * the administrator when there is one (`Authorization: Bearer <password>` or the session cookie).
 */
export async function clearMessages(
  context: BoardContext,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  await context.admin.authorizeClear(request, response, true);
  const { id } = await context.store.clear();
  await sendJson(response, 200, { id });
}
