import type { HandoffSessionRow, OutboxRow } from "@zm/db";
import type { RunResult } from "@zm/queue";
import { isRetryable, SunshineApiError, type SunshineClient } from "@zm/zendesk";
import type { RuntimeContext } from "./context.ts";
import { backoffMs } from "./deps.ts";
import { failSession } from "./handoff.ts";
import { isLive } from "./state-machine.ts";
import { startHandoff } from "./start-handoff.ts";

/** What executing one outbox message came to. */
export type Outcome =
  | { kind: "done"; ref?: string | null }
  | { kind: "retry"; error: string; retryAfterMs?: number | undefined }
  | { kind: "give_up"; error: string };

export type Executor = (ctx: RuntimeContext, row: OutboxRow) => Promise<Outcome>;

/**
 * Drains one ordering key: messages go out strictly in order, and a message waiting for a
 * retry holds back the ones behind it, so an agent never sees message 3 before message 2.
 */
export async function drainOutbox(ctx: RuntimeContext, key: string, executors: Record<string, Executor>): Promise<RunResult> {
  for (;;) {
    if (ctx.queue.closing) return;
    const row = await ctx.outbox.head(key);
    if (!row) return;
    const waitMs = row.nextAttemptAt.getTime() - ctx.clock().getTime();
    if (waitMs > 0) return { retryInMs: waitMs };
    const execute = executors[row.kind];
    if (!execute) {
      await ctx.outbox.fail(row.id, `no executor for ${row.kind}`);
      ctx.log.error({ kind: row.kind, outboxId: row.id }, "outbox message of unknown kind dropped");
      continue;
    }
    await ctx.outbox.beginAttempt(row.id);
    const attempt = { ...row, attempts: row.attempts + 1 };
    let outcome: Outcome;
    try {
      outcome = await execute(ctx, attempt);
    } catch (err) {
      outcome = classifyError(err);
    }
    if (outcome.kind === "done") {
      await ctx.outbox.complete(row.id, outcome.ref);
      continue;
    }
    const limit = row.kind === "zendesk.start_handoff" ? ctx.tuning.maxStartAttempts : ctx.tuning.maxMessageAttempts;
    if (outcome.kind === "give_up" || attempt.attempts >= limit) {
      await ctx.outbox.fail(row.id, outcome.error);
      ctx.log.warn({ projectId: row.projectId, outboxId: row.id, kind: row.kind, attempts: attempt.attempts, error: outcome.error }, "outbox message failed for good");
      await onPermanentFailure(ctx, row, outcome.error);
      continue;
    }
    const delay = Math.max(outcome.retryAfterMs ?? 0, backoffMs(attempt.attempts, ctx.tuning));
    await ctx.outbox.retryLater(row.id, new Date(ctx.clock().getTime() + delay), outcome.error);
    return { retryInMs: delay };
  }
}

export function classifyError(err: unknown): Outcome {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof SunshineApiError) {
    const error = `${err.status} ${err.code}: ${err.title}`.slice(0, 500);
    return err.retryable || isRetryable(err) ? { kind: "retry", error, retryAfterMs: err.retryAfterMs } : { kind: "give_up", error };
  }
  if (isRetryable(err)) return { kind: "retry", error: message };
  // Our own bug or a database hiccup: retry, bounded by the attempt limit.
  return { kind: "retry", error: message };
}

async function onPermanentFailure(ctx: RuntimeContext, row: OutboxRow, error: string) {
  if (!row.kind.startsWith("zendesk.")) return;
  const session = await ctx.sessions.get(row.orderingKey);
  if (!session || !isLive(session.state)) return;
  // Without the start or with a lost message the agent sees a broken conversation: end it visibly.
  const reason = error.startsWith("4") && !error.startsWith("429") ? "zendesk_refused" : "zendesk_unreachable";
  await failSession(ctx, session, reason, `${row.kind}: ${error}`);
}

/** A client and a live session for a Zendesk-bound message, or why there is none. */
export async function sessionClient(
  ctx: RuntimeContext,
  sessionId: string,
): Promise<{ session: HandoffSessionRow; client: SunshineClient; switchboardTarget: string } | { skip: string }> {
  const session = await ctx.sessions.get(sessionId);
  if (!session || !isLive(session.state)) return { skip: "session is no longer live" };
  const connection = await ctx.zendesk.client(session.projectId, session.id);
  if (!connection) return { skip: "Zendesk Messaging is not connected" };
  return { session, client: connection.client, switchboardTarget: connection.credentials.switchboardTarget };
}

export const zendeskExecutors: Record<string, Executor> = {
  "zendesk.start_handoff": async (ctx, row) => {
    const { sessionId } = row.payload as { sessionId: string };
    return startHandoff(ctx, sessionId, row.attempts);
  },

  "zendesk.post_user_message": async (ctx, row) => {
    const { sessionId, chatMessageId, text, mediaUrl } = row.payload as { sessionId: string; chatMessageId: string; text: string; mediaUrl: string | null };
    const found = await sessionClient(ctx, sessionId);
    if ("skip" in found) return { kind: "done", ref: `skipped: ${found.skip}` };
    const { session, client } = found;
    if (!session.zendeskConversationId || !session.zendeskUserId) return { kind: "retry", error: "hand-off not started yet" };
    // A previous attempt may have landed before the crash or timeout: look before posting again.
    if (row.attempts > 1) {
      const already = await findPosted(client, session.zendeskConversationId, chatMessageId);
      if (already) return { kind: "done", ref: already };
    }
    const author = { type: "user" as const, userId: session.zendeskUserId };
    const metadata = { zm_message_id: chatMessageId };
    const created = mediaUrl
      ? await client.postMessage(session.zendeskConversationId, { author, content: { type: "file", mediaUrl, altText: text || "Attachment" }, metadata })
      : await client.postText(session.zendeskConversationId, author, text, metadata);
    return { kind: "done", ref: created[0]?.id ?? null };
  },
};

/** The id of a message we posted earlier for `chatMessageId`, if Zendesk has it. */
async function findPosted(client: SunshineClient, zendeskConversationId: string, chatMessageId: string): Promise<string | null> {
  const page = await client.listMessages(zendeskConversationId);
  const hit = page.messages.find((m) => (m.metadata as Record<string, unknown> | undefined)?.zm_message_id === chatMessageId);
  return hit?.id ?? null;
}
