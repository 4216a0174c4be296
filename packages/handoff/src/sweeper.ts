import type { RuntimeContext } from "./context.ts";
import { QUEUES } from "./context.ts";
import { say } from "./conversations.ts";
import { endSession } from "./handoff.ts";

/** Inbox events left pending this long are assumed orphaned (their kick was lost in a crash). */
const ORPHANED_AFTER_MS = 5_000;
const SHORTEST_WAIT_NOTICE_MS = 10_000;

/**
 * The runtime's safety net, run periodically: re-kick work whose job was lost (a crash, a
 * restart), tell end users who wait too long that they are still queued, and end sessions
 * nobody has spoken in for the project's idle timeout.
 */
export async function sweep(ctx: RuntimeContext) {
  const now = ctx.clock();
  for (const key of await ctx.outbox.dueKeys(now)) await ctx.queue.kick(QUEUES.outbox, key);
  for (const key of await ctx.inbox.keysWithPending(new Date(now.getTime() - ORPHANED_AFTER_MS))) await ctx.queue.kick(QUEUES.inbox, key);
  await noticeLongWaits(ctx, now);
  await endIdleSessions(ctx, now);
}

async function noticeLongWaits(ctx: RuntimeContext, now: Date) {
  const candidates = await ctx.sessions.waitingWithoutNotice(new Date(now.getTime() - SHORTEST_WAIT_NOTICE_MS));
  for (const session of candidates) {
    const settings = await ctx.settings(session.projectId);
    if (now.getTime() - session.createdAt.getTime() < settings.waitNoticeAfterSeconds * 1000) continue;
    // Claim the notice first so two sweeps (or instances) never send it twice.
    const { count } = await ctx.prisma.handoffSession.updateMany({
      where: { id: session.id, state: "waiting_for_agent", waitNoticeSentAt: null },
      data: { waitNoticeSentAt: now },
    });
    if (count !== 1) continue;
    const conversation = await ctx.chats.conversation(session.conversationId);
    if (conversation) {
      await say(ctx, conversation, { role: "system", text: settings.waitNoticeMessage, handoffSessionId: session.id, externalId: `${session.id}:wait-notice` });
    }
  }
}

async function endIdleSessions(ctx: RuntimeContext, now: Date) {
  // The shortest allowed idle timeout is a minute; look at sessions quiet for at least that long.
  for (const session of await ctx.sessions.idleSince(new Date(now.getTime() - 60_000))) {
    const settings = await ctx.settings(session.projectId);
    if (now.getTime() - session.lastActivityAt.getTime() < settings.idleTimeoutMinutes * 60_000) continue;
    await endSession(ctx, session, "idle_timeout");
  }
}
