import { parseQs } from "@wireweb/querystring";
import { BoardError } from "./errors.js";

/** Which page of messages a request asks for. */
export interface PageQuery {
  limit?: number;
  before?: string;
  after?: string;
}

/**
 * Reads `limit`, `before` and `after` from a raw query string (other fields are ignored; a
 * repeated field counts once, the first time).
 *
 * @throws BoardError `ERR_INVALID_LIMIT` (limit not an integer from 1 to `maxLimit`),
 * `ERR_INVALID_CURSOR` (both cursors, or an empty one).
 */
export function parsePageQuery(query: string, maxLimit: number): PageQuery {
  let fields: Record<string, string[]>;
  try {
    fields = parseQs(query, { keepBlankValues: true, maxFields: 32 });
  } catch (error) {
    throw new BoardError("ERR_INVALID_CURSOR", 400, "The query has too many fields.", {
      cause: error,
    });
  }
  const result: PageQuery = {};
  const limit = fields.limit?.[0];
  if (limit !== undefined) {
    if (!/^[0-9]{1,7}$/.test(limit) || Number(limit) < 1 || Number(limit) > maxLimit) {
      throw new BoardError(
        "ERR_INVALID_LIMIT",
        400,
        `limit must be a whole number from 1 to ${maxLimit}.`,
      );
    }
    result.limit = Number(limit);
  }
  const before = fields.before?.[0];
  const after = fields.after?.[0];
  if (before !== undefined && after !== undefined) {
    throw new BoardError("ERR_INVALID_CURSOR", 400, "Pass before or after, not both.");
  }
  if (before === "" || after === "") {
    throw new BoardError("ERR_INVALID_CURSOR", 400, "That page cursor is not valid.");
  }
  if (before !== undefined) result.before = before;
  if (after !== undefined) result.after = after;
  return result;
}
