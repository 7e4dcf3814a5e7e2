import type { HttpRequest, HttpResponse } from "@wireweb/http";
import { BoardError, toBoardError } from "./errors.js";
import { mediaTypeOf, normalizeMessage, parseFormSubmission } from "./forms.js";
import type { BoardContext } from "./options.js";
import { parsePageQuery } from "./query.js";
import { type BoardView, renderBoardPage } from "./render.js";
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
  const { store, pageSize: limit, formatter } = context;
  if (after !== undefined) {
    const page = await store.list({ limit, after });
    return {
      messages: page.messages,
      formatter,
      olderCursor: page.messages[0]?.id ?? after,
      newerCursor: page.next,
      latest: false,
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
    liveUrl: latest
      ? `/api/messages/events?after=${encodeURIComponent(lastId ?? START_CURSOR)}`
      : undefined,
  };
}

/**
 * `POST /`: stores `message` or, with `clear`, clears the board; then 303 to `/` once the store
 * says it is durable. An empty or oversized message re-shows the board with the error and the
 * draft (400 / 413) and stores nothing.
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
  const submission = parseFormSubmission(await request.body({ limit: context.maxBodyBytes }));
  if (submission.clear) {
    await context.admin.authorizeClear(request, response, false);
    await context.store.clear();
    await sendSeeOther(response, "/");
    return;
  }
  let text: string;
  try {
    text = normalizeMessage(submission.text, context.maxMessageBytes);
    await context.store.append(text);
  } catch (caught) {
    const error = toBoardError(caught);
    // Anything that refused this text re-shows the page with it: a draft is never lost.
    if (error.status !== 400 && error.status !== 413 && error.status !== 503) throw error;
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
  await sendSeeOther(response, "/");
}
