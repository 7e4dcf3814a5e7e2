import type { HttpRequest, HttpResponse } from "@wireweb/http";
import type { StoredMessage } from "@wireweb/message-store";
import { BoardError, toBoardError } from "./errors.js";
import { mediaTypeOf, normalizeMessage, parseFormSubmission } from "./forms.js";
import type { BoardContext } from "./options.js";
import { parsePageQuery } from "./query.js";
import { type BoardView, renderBoardPage, renderClearConfirmPage } from "./render.js";
import { sendHtml, sendSeeOther } from "./respond.js";

/**
 * The file log's cursor for "before everything". The latest page of an empty board follows live
 * updates from it, so a message posted between rendering and connecting is not missed.
 */
const START_CURSOR = "0";

/** `GET /`: the latest page, or an older one with `?before=` / `?after=`. */
export async function getBoardPage(
  context: BoardContext,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  const query = parsePageQuery(request.query, context.pageSize);
  const view = await loadView(context, query.before, query.after);
  await sendHtml(
    response,
    200,
    renderBoardPage({ ...view, viewer: context.admin.viewer(request) }),
  );
}

async function loadView(
  context: BoardContext,
  before: string | undefined,
  after: string | undefined,
): Promise<BoardView> {
  const { store, pageSize: limit, formatter, maxMessageBytes } = context;
  if (after !== undefined) {
    const page = await store.list({ limit, after });
    return {
      messages: page.messages,
      formatter,
      olderCursor: page.messages[0]?.id ?? after,
      newerCursor: page.next,
      latest: false,
      maxMessageBytes,
    };
  }
  const page = await store.list(before === undefined ? { limit } : { limit, before });
  const latest = before === undefined;
  const lastId = page.messages.at(-1)?.id;
  return {
    messages: page.messages,
    formatter,
    olderCursor: page.next,
    newerCursor: latest ? undefined : lastId,
    latest,
    maxMessageBytes,
    liveUrl: latest
      ? `/api/messages/events?after=${encodeURIComponent(lastId ?? START_CURSOR)}`
      : undefined,
  };
}

/**
 * How much of a too-large form body is still read, so that the draft can be shown back: a
 * message over the limit is text the person typed (6 KB of Cyrillic is 36 KB %-encoded), and a
 * dead-end "body too large" page would lose it. Anything beyond this is not a typed message.
 */
function draftRescueBytes(maxBodyBytes: number): number {
  return Math.max(maxBodyBytes * 4, 64 * 1024);
}

/**
 * `POST /`: stores `message`, then 303 to `/#m-<id>` once the store says it is durable (the
 * browser lands on the new message). `clear=ask` (the Clear Messages button) answers a page that
 * asks to confirm; `clear=confirm` clears, then 303 to `/`. A message that is refused (empty,
 * too large, a body over the limit, a full disk) re-shows the board with the error beside the
 * form and the draft in it (400 / 413 / 503) and stores nothing.
 */
export async function postBoardForm(
  context: BoardContext,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  const type = mediaTypeOf(request.headers.get("content-type"));
  if (type !== "" && type !== "application/x-www-form-urlencoded") {
    throw new BoardError(
      "ERR_UNSUPPORTED_MEDIA_TYPE",
      415,
      "The board's form sends application/x-www-form-urlencoded; nothing else is accepted here.",
    );
  }
  const body = await request.body({ limit: draftRescueBytes(context.maxBodyBytes) });
  const submission = parseFormSubmission(body);
  if (submission.clear !== false) await context.admin.authorizeClear(request, response, false);
  if (submission.clear === "ask") {
    await sendHtml(response, 200, renderClearConfirmPage());
    return;
  }
  if (submission.clear === "confirm") {
    await context.store.clear();
    await sendSeeOther(response, "/");
    return;
  }
  let message: StoredMessage;
  try {
    // The text's own limit first: its bytes are what the page's counter shows.
    const text = normalizeMessage(submission.text, context.maxMessageBytes);
    if (body.length > context.maxBodyBytes) {
      throw new BoardError(
        "ERR_BODY_TOO_LARGE",
        413,
        `The form sent ${body.length} bytes; the board accepts ${context.maxBodyBytes}. Shorten the message and save again.`,
      );
    }
    message = await context.store.append(text);
  } catch (caught) {
    const error = toBoardError(caught);
    // Anything that refused this text re-shows the page with it: a draft is never lost.
    if (error.status !== 400 && error.status !== 413 && error.status !== 503) throw error;
    if (error.status === 503) response.setHeader("Retry-After", "30");
    const view = await loadView(context, undefined, undefined);
    await sendHtml(
      response,
      error.status,
      renderBoardPage({
        ...view,
        error: error.message,
        draft: submission.text,
        viewer: context.admin.viewer(request),
      }),
    );
    return;
  }
  await sendSeeOther(response, `/#m-${encodeURIComponent(message.id)}`);
}
