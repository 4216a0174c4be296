import type { ChatMessageRow, ConversationRow, OutboxRow } from "@zm/db";
import { optKeyword, parseInboundSms, SmsClient, SmsProviderError, verifyTwilioSignature, type InboundSms } from "@zm/sms";
import { randomUUID } from "node:crypto";
import type { RuntimeContext } from "./context.ts";
import { QUEUES } from "./context.ts";
import { receiveFromEndUser, say } from "./conversations.ts";
import type { EndUserChannel } from "./end-user-channels.ts";
import { FAILURE_FLOOR_MS } from "./ingest.ts";
import type { Executor, Outcome } from "./outbox-worker.ts";

export const SMS_SEND = "sms.send";
const OPTED_IN_TEXT = "You're subscribed again. Reply STOP to stop receiving messages.";

/** SMS conversations are keyed by the end user's number and the project's number. */
export function smsChannelKey(endUser: string, projectNumber: string): string {
  return `${endUser}|${projectNumber}`;
}

function numbersOf(conversation: ConversationRow): { endUser: string; projectNumber: string } {
  const [endUser = "", projectNumber = ""] = (conversation.channelKey ?? "").split("|");
  return { endUser, projectNumber };
}

export function smsOrderingKey(conversationId: string): string {
  return `sms:${conversationId}`;
}

/**
 * SMS: every message to the end user goes through the outbox (in order, retried); typing and
 * state have no SMS equivalent and are dropped; media becomes a link.
 */
export class SmsChannel implements EndUserChannel {
  constructor(private readonly ctx: RuntimeContext) {}

  async deliver(conversation: ConversationRow, message: ChatMessageRow) {
    // The end user's own texts are not echoed back to their phone.
    if (message.role === "user") return;
    const text = message.mediaUrl ? `${message.text}\n${message.mediaUrl}`.trim() : message.text;
    const sender = message.role === "agent" && message.authorName ? `${message.authorName}: ` : "";
    await this.ctx.outbox.add({
      projectId: conversation.projectId,
      orderingKey: smsOrderingKey(conversation.id),
      target: "sms",
      kind: SMS_SEND,
      payload: { conversationId: conversation.id, chatMessageId: message.id, text: sender + text },
    });
    await this.ctx.queue.kick(QUEUES.outbox, smsOrderingKey(conversation.id));
  }

  async typing() {}

  async state() {}
}

export const smsExecutors: Record<string, Executor> = {
  [SMS_SEND]: async (ctx, row: OutboxRow): Promise<Outcome> => {
    const { conversationId, text } = row.payload as { conversationId: string; text: string };
    const conversation = await ctx.chats.conversation(conversationId);
    if (!conversation) return { kind: "give_up", error: "conversation missing" };
    if (conversation.optedOut) return { kind: "done", ref: "skipped: the end user opted out (STOP)" };
    const credentials = await ctx.smsConnections.credentials(conversation.projectId);
    if (!credentials) return { kind: "give_up", error: "SMS is not connected for this project" };
    const { endUser, projectNumber } = numbersOf(conversation);
    const client = new SmsClient({ accountSid: credentials.accountSid, authToken: credentials.authToken, baseUrl: ctx.smsApiBaseUrl, timeoutMs: ctx.tuning.zendeskTimeoutMs });
    const started = performance.now();
    try {
      const sent = await client.send({ from: projectNumber || credentials.phoneNumber, to: endUser, body: text });
      await ctx.apiCalls.record({ projectId: conversation.projectId, target: "sms", operation: "sendMessage", status: 201, attempt: row.attempts, latencyMs: performance.now() - started });
      return { kind: "done", ref: sent.map((s) => s.sid).join(",") };
    } catch (err) {
      const status = err instanceof SmsProviderError ? err.status : null;
      const code = err instanceof SmsProviderError && err.code !== null ? String(err.code) : null;
      await ctx.apiCalls.record({ projectId: conversation.projectId, target: "sms", operation: "sendMessage", status, attempt: row.attempts, latencyMs: performance.now() - started, errorCode: code });
      if (err instanceof SmsProviderError) {
        return err.retryable ? { kind: "retry", error: err.message, retryAfterMs: err.retryAfterMs } : { kind: "give_up", error: err.message };
      }
      throw err;
    }
  },
};

export interface InboundSmsDelivery {
  projectId: string;
  /** The full URL the provider called, as it signs it. */
  url: string;
  params: Record<string, string | string[]>;
  signature: string | undefined;
  startedAt: number;
}

export type SmsDeliveryResult = { status: 200; twiml: true } | { status: 400 | 403 | 404; error: string };

/** POST /channels/sms/twilio/:projectId — verified, stored (a repeated MessageSid is skipped), processed later. */
export async function ingestSms(ctx: RuntimeContext, delivery: InboundSmsDelivery): Promise<SmsDeliveryResult> {
  const refuse = async (status: 403 | 404, error: string): Promise<SmsDeliveryResult> => {
    const wait = FAILURE_FLOOR_MS - (performance.now() - delivery.startedAt);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return { status, error };
  };
  const credentials = await ctx.smsConnections.credentials(delivery.projectId);
  if (!credentials) return refuse(404, "Unknown project");
  if (!verifyTwilioSignature({ authToken: credentials.authToken, url: delivery.url, params: delivery.params, signature: delivery.signature })) {
    await ctx.inbox.store([
      { projectId: delivery.projectId, source: "sms", eventId: `rejected:${randomUUID()}`, eventType: "unverified delivery", routingKey: null, verification: delivery.signature ? "bad_signature" : "missing_signature", status: "rejected", outcome: "refused with 403" },
    ]);
    return refuse(403, "Invalid X-Twilio-Signature");
  }
  const parsed = parseInboundSms(delivery.params);
  if (!parsed.ok) return { status: 400, error: parsed.error };
  const sms = parsed.sms;
  if (sms.accountSid !== credentials.accountSid) return refuse(403, "Message for another account");
  const routingKey = `sms:${delivery.projectId}:${smsChannelKey(sms.from, sms.to)}`;
  const stored = await ctx.inbox.store([
    {
      projectId: delivery.projectId,
      source: "sms",
      eventId: sms.messageSid,
      eventType: "sms.received",
      routingKey,
      verification: "ok",
      status: "pending",
      payload: sms as unknown as object,
      occurredAt: new Date(),
      ackLatencyMs: Math.round(performance.now() - delivery.startedAt),
    },
  ]);
  if (stored > 0) await ctx.queue.kick(QUEUES.inbox, routingKey);
  return { status: 200, twiml: true };
}

/** An inbound text, from the inbox: STOP/START handled here, everything else as any end-user message. */
export async function handleInboundSms(ctx: RuntimeContext, projectId: string, sms: InboundSms) {
  const conversation = await ctx.chats.conversationForChannelKey(projectId, "sms", smsChannelKey(sms.from, sms.to));
  const keyword = optKeyword(sms.body);
  if (keyword === "opt_out") {
    await ctx.chats.setOptedOut(conversation.id, true);
    await ctx.outbox.cancelPending(smsOrderingKey(conversation.id));
    await ctx.chats.append(conversation.id, { role: "user", text: sms.body, externalId: sms.messageSid });
    return "opted out";
  }
  if (keyword === "opt_in") {
    await ctx.chats.setOptedOut(conversation.id, false);
    const fresh = { ...conversation, optedOut: false };
    await ctx.chats.append(conversation.id, { role: "user", text: sms.body, externalId: sms.messageSid });
    await say(ctx, fresh, { role: "bot", text: OPTED_IN_TEXT });
    return "opted in";
  }
  if (conversation.optedOut) {
    // Texting anything else is not an opt-in (Twilio's rule): store it, stay silent.
    await ctx.chats.append(conversation.id, { role: "user", text: sms.body, externalId: sms.messageSid });
    return "stored; the end user is opted out";
  }
  await receiveFromEndUser(ctx, conversation, { text: sms.body || "(media)", externalId: sms.messageSid, mediaUrl: sms.media[0]?.url ?? null });
  return "received";
}
