import { randomBytes, createHash } from "node:crypto";
import { ApiCallLog, ChatStore, HandoffStore, InboxStore, OutboxStore, type ConversationRow, type PrismaClient, type SmsConnections, type ZendeskConnections } from "@zm/db";
import type { RuntimeContext } from "./context.ts";
import { QUEUES } from "./context.ts";
import { callAgentFunction, greet, receiveFromEndUser, type EndUserInput } from "./conversations.ts";
import { DEFAULT_TUNING, type RuntimeDeps } from "./deps.ts";
import { ChannelRegistry, WebchatChannel, type EndUserChannel } from "./end-user-channels.ts";
import { endSession, failSession, requestHandoff } from "./handoff.ts";
import { drainInbox } from "./inbox-worker.ts";
import { ingestConversationsWebhook, ingestStatusWebhook, type InboundDelivery } from "./ingest.ts";
import { drainOutbox, zendeskExecutors, type Executor } from "./outbox-worker.ts";
import { ingestSms, SmsChannel, smsExecutors, type InboundSmsDelivery } from "./sms-channel.ts";
import { sweep } from "./sweeper.ts";
import { stateOfConversation } from "./views.ts";
import { ZendeskGateway } from "./zendesk-gateway.ts";

export type HandoffRuntime = ReturnType<typeof createHandoffRuntime>;

export function storesFor(prisma: PrismaClient, connections: ZendeskConnections, smsConnections: SmsConnections) {
  return {
    prisma,
    chats: new ChatStore(prisma),
    sessions: new HandoffStore(prisma),
    inbox: new InboxStore(prisma),
    outbox: new OutboxStore(prisma),
    apiCalls: new ApiCallLog(prisma),
    connections,
    smsConnections,
  };
}

export function hashWidgetToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The hand-off runtime: end users' messages in, Zendesk's webhooks in, calls to Zendesk and
 * to end users out. Transports (HTTP, WebSocket, SMS) call into it; it never touches them.
 */
export function createHandoffRuntime(deps: RuntimeDeps) {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const channels = new ChannelRegistry();
  channels.register("webchat", new WebchatChannel(deps.bus));
  const ctx: RuntimeContext = {
    ...deps,
    tuning,
    channels,
    zendesk: new ZendeskGateway(deps, { apiBaseUrl: deps.zendeskApiBaseUrl, timeoutMs: tuning.zendeskTimeoutMs }),
    clock: deps.now ?? (() => new Date()),
  };
  channels.register("sms", new SmsChannel(ctx));
  const executors: Record<string, Executor> = { ...zendeskExecutors, ...smsExecutors };
  let sweeping: Promise<void> | null = null;

  deps.queue.register(QUEUES.outbox, (key) => drainOutbox(ctx, key, executors));
  deps.queue.register(QUEUES.inbox, (key) => drainInbox(ctx, key));

  return {
    context: ctx,

    /** Adds an end-user channel (SMS) and the outbox kinds it sends through. */
    registerChannel(name: ConversationRow["channel"], channel: EndUserChannel, channelExecutors: Record<string, Executor> = {}) {
      channels.register(name, channel);
      Object.assign(executors, channelExecutors);
    },

    /**
     * A widget connects: resumes its conversation when the token matches, else starts a new one
     * (with the AI agent's greeting). Returns the bearer token only for a new conversation.
     */
    async openWebchat(projectId: string, resume: { conversationId?: string | undefined; token?: string | undefined }) {
      if (resume.conversationId && resume.token) {
        const existing = await ctx.chats.webchatConversation(projectId, resume.conversationId, hashWidgetToken(resume.token));
        if (existing) return { conversation: existing, token: resume.token, created: false };
      }
      const project = await ctx.prisma.project.findUnique({ where: { id: projectId }, select: { id: true } });
      if (!project) return null;
      const token = randomBytes(24).toString("base64url");
      const conversation = await ctx.chats.createConversation({ projectId, channel: "webchat", visitorTokenHash: hashWidgetToken(token) });
      await greet(ctx, conversation);
      return { conversation, token, created: true };
    },

    receiveFromEndUser: (conversation: ConversationRow, input: EndUserInput) => receiveFromEndUser(ctx, conversation, input),
    messagesAfter: (conversationId: string, afterSeq: number) => ctx.chats.messagesAfter(conversationId, afterSeq),
    stateOf: (conversationId: string) => stateOfConversation(ctx, conversationId),
    /** The agent runtime's API for flow steps: `callAgentFunction(conversation, "transfer_to_zendesk", { utterance, options })`. */
    callAgentFunction: (conversation: ConversationRow, name: string, args: unknown) => callAgentFunction(ctx, conversation, name, args),
    requestHandoff: (conversation: ConversationRow, handoff: Parameters<typeof requestHandoff>[2], cause: string) => requestHandoff(ctx, conversation, handoff, cause),
    endSession: (...args: Parameters<typeof endSession> extends [unknown, ...infer R] ? R : never) => endSession(ctx, ...args),
    failSession: (...args: Parameters<typeof failSession> extends [unknown, ...infer R] ? R : never) => failSession(ctx, ...args),

    ingestConversationsWebhook: (delivery: InboundDelivery) => ingestConversationsWebhook(ctx, delivery),
    ingestStatusWebhook: (delivery: InboundDelivery) => ingestStatusWebhook(ctx, delivery),
    ingestSms: (delivery: InboundSmsDelivery) => ingestSms(ctx, delivery),

    /** Drops cached credentials after an admin changes the connection. */
    forgetCredentials: (projectId: string) => ctx.zendesk.forget(projectId),

    /** Runs the safety-net sweep now (also at start-up, to resume work a crash left behind). */
    sweep(): Promise<void> {
      sweeping ??= sweep(ctx).finally(() => {
        sweeping = null;
      });
      return sweeping;
    },
  };
}
