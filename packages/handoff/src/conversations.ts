import { callFunction, respond, GREETING, type ConversationContext } from "@zm/agent";
import type { HandoffResponse } from "@zm/contracts";
import type { ChatMessageRow, ConversationRow, NewChatMessage, Tx } from "@zm/db";
import type { RuntimeContext } from "./context.ts";
import { QUEUES } from "./context.ts";
import { requestHandoff } from "./handoff.ts";
import { stateOfConversation } from "./views.ts";

/** Stores a message in the transcript and sends it to the end user's channel (once, even on a redelivery). */
export async function say(ctx: RuntimeContext, conversation: ConversationRow, message: NewChatMessage): Promise<ChatMessageRow> {
  const { message: stored, duplicate } = await ctx.chats.append(conversation.id, message);
  if (!duplicate) await ctx.channels.for(conversation).deliver(conversation, stored);
  return stored;
}

export interface EndUserInput {
  text: string;
  /** Widget resend id, or null */
  clientMessageId?: string | null;
  /** Provider message id (SMS MessageSid), or null */
  externalId?: string | null;
  mediaUrl?: string | null;
}

/**
 * An end user said something. During a live hand-off it is queued for the agent (in the same
 * transaction as the transcript, so a crash cannot keep one without the other); otherwise the
 * AI agent answers, and may hand off.
 */
export async function receiveFromEndUser(ctx: RuntimeContext, conversation: ConversationRow, input: EndUserInput): Promise<ChatMessageRow> {
  const relay = await ctx.prisma.$transaction(async (tx: Tx) => {
    const appended = await ctx.chats.append(
      conversation.id,
      { role: "user", text: input.text, clientMessageId: input.clientMessageId ?? null, externalId: input.externalId ?? null, mediaUrl: input.mediaUrl ?? null },
      tx,
    );
    if (appended.duplicate) return { appended, sessionId: null };
    const session = await ctx.sessions.liveForConversation(conversation.id, tx);
    if (session) {
      await ctx.outbox.add(
        {
          projectId: conversation.projectId,
          orderingKey: session.id,
          target: "zendesk",
          kind: "zendesk.post_user_message",
          payload: { sessionId: session.id, chatMessageId: appended.message.id, text: input.text, mediaUrl: input.mediaUrl ?? null },
        },
        tx,
      );
      await ctx.sessions.update(session.id, { lastActivityAt: ctx.clock() }, tx);
      await tx.chatMessage.update({ where: { id: appended.message.id }, data: { handoffSessionId: session.id }, select: { id: true } });
    }
    return { appended, sessionId: session?.id ?? null };
  });
  const { message, duplicate } = relay.appended;
  if (duplicate) return message;
  await ctx.channels.for(conversation).deliver(conversation, message);
  if (relay.sessionId) {
    await ctx.queue.kick(QUEUES.outbox, relay.sessionId);
    return message;
  }
  await answerAsAgent(ctx, conversation, input.text);
  return message;
}

async function answerAsAgent(ctx: RuntimeContext, conversation: ConversationRow, text: string) {
  const topics = await ctx.topics(conversation.projectId);
  const context: ConversationContext = { id: conversation.id, projectId: conversation.projectId, channel: conversation.channel };
  const turn = respond(topics, text, context);
  for (const line of turn.say) await say(ctx, conversation, { role: "bot", text: line });
  if (turn.handoff) await requestHandoff(ctx, conversation, turn.handoff, `topic:${turn.matchedTopicId}`);
}

/**
 * A flow step calls a function by name (`transfer_to_zendesk`) with its arguments, as a topic
 * action would: the utterance is said and the returned hand-off starts. An unknown name or
 * invalid options throw (UnknownFunctionError, ZodError) before anything is said, so the flow
 * author sees the mistake and the end user sees nothing half-done.
 */
export async function callAgentFunction(ctx: RuntimeContext, conversation: ConversationRow, name: string, args: unknown): Promise<HandoffResponse> {
  const context: ConversationContext = { id: conversation.id, projectId: conversation.projectId, channel: conversation.channel };
  const result = callFunction(name, context, args);
  if (result.utterance) await say(ctx, conversation, { role: "bot", text: result.utterance });
  if (result.handoff) await requestHandoff(ctx, conversation, result.handoff, `flow:${name}`);
  return result;
}

/** A new webchat conversation starts with the AI agent's greeting. */
export async function greet(ctx: RuntimeContext, conversation: ConversationRow) {
  await say(ctx, conversation, { role: "bot", text: GREETING, externalId: "greeting" });
}

export { stateOfConversation };
