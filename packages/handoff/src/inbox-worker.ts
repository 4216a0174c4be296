import type { HandoffSessionRow, InboxEventRow } from "@zm/db";
import type { RunResult } from "@zm/queue";
import {
  agentDisplayName,
  isAgentMessage,
  isAgentWorkspaceInControl,
  isEndOfSessionActivity,
  isOwnEcho,
  type MessageEvent,
  type SunshineEvent,
  type TicketStatusEvent,
  type WebhookMessage,
} from "@zm/zendesk";
import type { InboundSms } from "@zm/sms";
import type { RuntimeContext } from "./context.ts";
import { handleInboundSms } from "./sms-channel.ts";
import { say } from "./conversations.ts";
import { backoffMs } from "./deps.ts";
import { endSession, failSession } from "./handoff.ts";
import { isLive, type EndReason } from "./state-machine.ts";

type Result = { status: "processed" | "ignored"; outcome: string };

const MAX_PROCESSING_ATTEMPTS = 5;

/** Processes one session's stored events one at a time, oldest first. */
export async function drainInbox(ctx: RuntimeContext, key: string): Promise<RunResult> {
  for (;;) {
    // Shutting down: the rest stays pending for the next run (sweep after a restart, another instance).
    if (ctx.queue.closing) return;
    const row = await ctx.inbox.nextPending(key);
    if (!row) return;
    try {
      const result = await handleEvent(ctx, row);
      await ctx.inbox.finish(row.id, result.status, result.outcome);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (row.attempts + 1 >= MAX_PROCESSING_ATTEMPTS) {
        await ctx.inbox.finish(row.id, "failed", "processing failed", error);
        ctx.log.error({ err, inboxId: row.id, eventType: row.eventType }, "inbox event failed for good");
        continue;
      }
      await ctx.inbox.recordFailure(row.id, error);
      return { retryInMs: backoffMs(row.attempts + 1, ctx.tuning) };
    }
  }
}

async function handleEvent(ctx: RuntimeContext, row: InboxEventRow): Promise<Result> {
  if (row.source === "sms") return { status: "processed", outcome: await handleInboundSms(ctx, row.projectId, row.payload as unknown as InboundSms) };
  const session = row.routingKey ? await ctx.sessions.get(row.routingKey) : null;
  if (!session) return { status: "ignored", outcome: "session not found" };
  if (row.source === "ticket_status") return onTicketStatus(ctx, session, row.payload as unknown as TicketStatusEvent);
  const event = row.payload as unknown as SunshineEvent;
  switch (event.kind) {
    case "message":
      return onMessage(ctx, session, event);
    case "typing": {
      if (!isLive(session.state)) return { status: "ignored", outcome: "typing after the session ended" };
      if (event.activity.author.type !== "business") return { status: "ignored", outcome: "not the agent typing" };
      const at = new Date(event.createdAt);
      // A late typing:start must not light up after the message it preceded.
      if (session.lastAgentMessageAt && at <= session.lastAgentMessageAt) return { status: "ignored", outcome: "typing older than the last agent message" };
      const conversation = await ctx.chats.conversation(session.conversationId);
      if (!conversation) return { status: "ignored", outcome: "conversation missing" };
      const name = event.activity.author.displayName?.trim() || session.agentName;
      await ctx.channels.for(conversation).typing(conversation, event.activity.type === "typing:start", name);
      return { status: "processed", outcome: event.activity.type };
    }
    case "passControl": {
      if (isAgentWorkspaceInControl(event.conversation)) return { status: "processed", outcome: "Agent Workspace has control" };
      const ended = await endSession(ctx, session, event.reason === "ticketClosed" ? "ticket_closed" : "control_passed_elsewhere");
      return { status: "processed", outcome: ended ? "ended: control passed elsewhere" : "already ended" };
    }
    case "releaseControl": {
      const ended = await endSession(ctx, session, event.reason === "ticketClosed" ? "ticket_closed" : "agent_ended_session");
      return { status: "processed", outcome: ended ? "ended: control released" : "already ended" };
    }
    case "passControlFailure": {
      const failed = await failSession(ctx, session, "pass_control_failed", `${event.error.code}: ${event.error.message}`);
      return { status: "processed", outcome: failed ? `failed: ${event.error.code}` : "already over" };
    }
    case "conversationRemove": {
      const ended = await endSession(ctx, session, "conversation_removed");
      return { status: "processed", outcome: ended ? "ended: conversation removed" : "already ended" };
    }
    default:
      return { status: "ignored", outcome: "event type not used" };
  }
}

function textOf(message: WebhookMessage): { text: string; mediaUrl: string | null } {
  const content = message.content;
  if (content.type === "text") return { text: content.text ?? "", mediaUrl: null };
  if (content.type === "image" || content.type === "file") {
    return { text: content.text ?? content.altText ?? (content.type === "image" ? "Image" : "File"), mediaUrl: content.mediaUrl ?? null };
  }
  // Rich types (carousel, list, location, forms) reach the widget and SMS as their text fallback.
  const fallback = (content as { text?: string }).text;
  return { text: fallback ?? "[The agent sent a message this chat cannot show]", mediaUrl: null };
}

async function onMessage(ctx: RuntimeContext, session: HandoffSessionRow, event: MessageEvent): Promise<Result> {
  const message = event.message;
  // The only user in a hand-off conversation is the end user we relay: these are our own posts.
  if (message.author.type === "user") return { status: "ignored", outcome: "echo of a relayed end-user message" };
  if (isOwnEcho(message)) return { status: "ignored", outcome: "echo of our own post" };
  if (isEndOfSessionActivity(message)) {
    const ended = await endSession(ctx, session, message.activity?.type === "ticket:closed" ? "ticket_closed" : "agent_ended_session");
    return { status: "processed", outcome: ended ? "ended: activity message" : "already ended" };
  }
  if (!isAgentMessage(message)) return { status: "ignored", outcome: "not an agent message" };

  const received = new Date(message.received);
  if (!isLive(session.state)) {
    // The ticket was solved while this message was still on its way: it still belongs to the chat.
    const deadline = (session.endedAt?.getTime() ?? 0) + ctx.tuning.lateMessageGraceMs;
    if (session.state !== "ended" || received.getTime() > deadline) return { status: "ignored", outcome: "agent message after the session ended" };
  }
  const conversation = await ctx.chats.conversation(session.conversationId);
  if (!conversation) return { status: "ignored", outcome: "conversation missing" };
  const channel = ctx.channels.for(conversation);
  const name = agentDisplayName(message);

  if (isLive(session.state) && session.state !== "with_agent") {
    const joined = await ctx.sessions.transition(session.id, ["handoff_requested", "waiting_for_agent"], "with_agent", "agent_replied", { agentName: name });
    if (joined) {
      await say(ctx, conversation, { role: "system", text: `${name} joined the chat.`, handoffSessionId: session.id, externalId: `${session.id}:joined`, sentAt: new Date(received.getTime() - 1) });
      await channel.state(conversation, "with_agent", name);
    }
  }
  const { text, mediaUrl } = textOf(message);
  await say(ctx, conversation, { role: "agent", text, mediaUrl, authorName: name, sentAt: received, externalId: message.id, handoffSessionId: session.id });
  const newest = session.lastAgentMessageAt && session.lastAgentMessageAt > received ? session.lastAgentMessageAt : received;
  await ctx.sessions.update(session.id, { lastAgentMessageAt: newest, lastActivityAt: ctx.clock(), ...(session.agentName ? {} : { agentName: name }) });
  if (isLive(session.state)) await channel.typing(conversation, false, name);
  return { status: "processed", outcome: isLive(session.state) ? "delivered to the end user" : "delivered late (sent before the session ended)" };
}

const END_BY_STATUS: Record<string, EndReason> = { solved: "ticket_solved", closed: "ticket_closed", deleted: "ticket_deleted" };

async function onTicketStatus(ctx: RuntimeContext, session: HandoffSessionRow, event: TicketStatusEvent): Promise<Result> {
  if (!session.ticketId) await ctx.sessions.update(session.id, { ticketId: event.ticketId });
  const reason = END_BY_STATUS[event.status];
  if (!event.isEnd || !reason) return { status: "processed", outcome: `ticket ${event.status}` };
  const at = new Date(event.time);
  const ended = await endSession(ctx, session, reason, Number.isNaN(at.getTime()) ? ctx.clock() : at);
  return { status: "processed", outcome: ended ? `ended: ticket ${event.status}` : "already ended" };
}
