import { zendeskIntegrationOptions, type HandoffResponse } from "@zm/contracts";
import type { ConversationRow, HandoffSessionRow, HandoffState } from "@zm/db";
import type { RuntimeContext } from "./context.ts";
import { QUEUES } from "./context.ts";
import { say } from "./conversations.ts";
import { statesBefore, type EndReason, type FailReason } from "./state-machine.ts";

export const CONNECTING_TEXT = "Connecting you to an agent...";
export const UNAVAILABLE_TEXT =
  "Sorry, I can't connect you to an agent right now. I'm still here to help, and you can ask for an agent again later.";
const UNKNOWN_TARGET_TEXT = "Sorry, I can't transfer you right now. I'm still here to help with your question.";

const END_LINES: Record<EndReason, string> = {
  ticket_solved: "The agent marked your request as solved.",
  ticket_closed: "The agent closed your request.",
  ticket_deleted: "Your request was closed.",
  agent_ended_session: "The agent ended the chat.",
  control_passed_elsewhere: "The chat with the agent has ended.",
  conversation_removed: "The chat with the agent has ended.",
  idle_timeout: "The chat with the agent ended after a period of inactivity.",
};

/**
 * A hand-off object came back from the AI agent. Only `text_chat.zendesk_integration` is ours;
 * any other target is logged and the end user hears a polite line instead of silence.
 */
export async function requestHandoff(ctx: RuntimeContext, conversation: ConversationRow, handoff: HandoffResponse["handoff"], cause: string) {
  const targets = Object.keys(handoff.text_chat ?? {});
  const raw = handoff.text_chat?.zendesk_integration;
  if (!raw) {
    ctx.log.error({ projectId: conversation.projectId, conversationId: conversation.id, targets }, "hand-off to an unknown target");
    await say(ctx, conversation, { role: "bot", text: UNKNOWN_TARGET_TEXT });
    return null;
  }
  const parsed = zendeskIntegrationOptions.safeParse(raw);
  if (!parsed.success) {
    ctx.log.error({ projectId: conversation.projectId, conversationId: conversation.id, issues: parsed.error.issues.map((i) => i.path.join(".")) }, "invalid zendesk_integration options");
    await say(ctx, conversation, { role: "bot", text: UNKNOWN_TARGET_TEXT });
    return null;
  }
  const live = await ctx.sessions.liveForConversation(conversation.id);
  if (live) return live;

  const session = await ctx.prisma.$transaction(async (tx) => {
    const created = await ctx.sessions.create({ projectId: conversation.projectId, conversationId: conversation.id, routing: parsed.data, cause }, tx);
    await ctx.outbox.add(
      { projectId: conversation.projectId, orderingKey: created.id, target: "zendesk", kind: "zendesk.start_handoff", payload: { sessionId: created.id } },
      tx,
    );
    return created;
  });
  ctx.log.info({ projectId: conversation.projectId, sessionId: session.id }, "hand-off requested");

  if (!(await ctx.zendesk.credentials(conversation.projectId))) {
    await failSession(ctx, session, "not_connected", "Zendesk Messaging is not connected for this project");
    return session;
  }
  await say(ctx, conversation, { role: "system", text: CONNECTING_TEXT, handoffSessionId: session.id, externalId: `${session.id}:connecting` });
  await ctx.channels.for(conversation).state(conversation, "connecting", null);
  await ctx.queue.kick(QUEUES.outbox, session.id);
  return session;
}

async function conversationOf(ctx: RuntimeContext, session: HandoffSessionRow) {
  const conversation = await ctx.chats.conversation(session.conversationId);
  if (!conversation) throw new Error(`conversation ${session.conversationId} of session ${session.id} is missing`);
  return conversation;
}

/**
 * Ends a live session (idempotent: the first of several end signals wins). The end user is
 * told, the project's closing line is said by the AI agent, and what was still queued for
 * Zendesk is dropped.
 */
export async function endSession(ctx: RuntimeContext, session: HandoffSessionRow, reason: EndReason, endedAt: Date = ctx.clock()): Promise<boolean> {
  const moved = await ctx.prisma.$transaction(async (tx) => {
    const ok = await ctx.sessions.transition(session.id, statesBefore("ended"), "ended", reason, { endReason: reason, endedAt }, tx);
    if (ok) await ctx.outbox.cancelPending(session.id, tx);
    return ok;
  });
  if (!moved) return false;
  ctx.log.info({ projectId: session.projectId, sessionId: session.id, reason }, "hand-off ended");
  const conversation = await conversationOf(ctx, session);
  const settings = await ctx.settings(session.projectId);
  const channel = ctx.channels.for(conversation);
  await channel.typing(conversation, false, null);
  await say(ctx, conversation, { role: "system", text: END_LINES[reason], handoffSessionId: session.id, externalId: `${session.id}:ended` });
  await say(ctx, conversation, { role: "bot", text: settings.closingMessage, handoffSessionId: session.id, externalId: `${session.id}:closing` });
  await channel.state(conversation, "bot", null);
  return true;
}

/** A hand-off that cannot happen: the end user is told and the AI agent carries on. */
export async function failSession(ctx: RuntimeContext, session: HandoffSessionRow, reason: FailReason, detail: string): Promise<boolean> {
  const from: HandoffState[] = statesBefore("failed");
  const moved = await ctx.prisma.$transaction(async (tx) => {
    const ok = await ctx.sessions.transition(session.id, from, "failed", `${reason}: ${detail}`.slice(0, 500), { endReason: reason, endedAt: ctx.clock() }, tx);
    if (ok) await ctx.outbox.cancelPending(session.id, tx);
    return ok;
  });
  if (!moved) return false;
  ctx.log.warn({ projectId: session.projectId, sessionId: session.id, reason, detail }, "hand-off failed");
  const conversation = await conversationOf(ctx, session);
  await say(ctx, conversation, { role: "bot", text: UNAVAILABLE_TEXT, handoffSessionId: session.id, externalId: `${session.id}:failed` });
  await ctx.channels.for(conversation).state(conversation, "bot", null);
  return true;
}
