import type { LogCursor } from "@zm/db";
import { z } from "zod";

/**
 * Keyset paging for the newest-first logs lists. The cursor is opaque to clients: the time and
 * id of the last row they have, so a page never repeats or skips rows when new ones arrive
 * (an offset would shift as the runtime writes).
 */

const CURSOR_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(`${cursor.at.getTime()}:${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string): LogCursor | null {
  const decoded = Buffer.from(value, "base64url").toString("utf8");
  const separator = decoded.indexOf(":");
  if (separator < 1) return null;
  const millis = Number(decoded.slice(0, separator));
  const id = decoded.slice(separator + 1);
  if (!Number.isSafeInteger(millis) || millis < 0 || !CURSOR_ID.test(id)) return null;
  return { at: new Date(millis), id };
}

export const cursorInput = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const cursor = decodeCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: "This cursor was not given out by the server; start again from the first page" });
      return z.NEVER;
    }
    return cursor;
  });

export const MAX_PAGE_SIZE = 200;

export const pageInput = {
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE, `At most ${MAX_PAGE_SIZE} rows per page`).default(50),
  /** Null or absent: the first page (TanStack's infinite queries send null for it). */
  cursor: cursorInput.nullish(),
};
