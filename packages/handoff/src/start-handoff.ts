import type { ZendeskIntegrationOptions } from "@zm/contracts";
import type { ChatMessageRow, HandoffSessionRow } from "@zm/db";
import type { FlatMetadata, SunshineClient } from "@zm/zendesk";
import type { RuntimeContext } from "./context.ts";
import { failSession } from "./handoff.ts";
import type { Outcome } from "./outbox-worker.ts";

const TRANSCRIPT_AUTHOR = { type: "business" as const, displayName: "Virtual assistant" };
const ROLE_LABEL: Record<ChatMessageRow["role"], string> = { user: "Customer", bot: "Assistant", agent: "Agent", system: "Note" };

/** The Sunshine user stands for one hand-off session, so a returning end user never collides with an old conversation. */
export function externalIdOf(session: Pick<HandoffSessionRow, "projectId" | "id">): string {
  return `zm:${session.projectId}:${session.id}`;
}

export function transcriptText(messages: readonly ChatMessageRow[], channel: string): string {
  const lines = messages
    .filter((m) => m.role !== "system")
    .map((m) => `${ROLE_LABEL[m.role]}: ${m.text}${m.mediaUrl ? ` [${m.mediaUrl}]` : ""}`);
  return [`Conversation handed over by the virtual assistant (${channel}). Transcript so far:`, "", ...lines].join("\n");
}

/** passControl metadata: Agent Workspace reads `first_message_id` and the `dataCapture.*` keys into the ticket. */
export function passControlMetadata(session: HandoffSessionRow, firstMessageId: string, channel: string): FlatMetadata {
  const routing = (session.routing ?? {}) as ZendeskIntegrationOptions;
  const tags = ["zm_handoff", session.sessionTag, ...(routing.tags ?? [])];
  const metadata: FlatMetadata = {
    first_message_id: firstMessageId,
    "dataCapture.systemField.tags": [...new Set(tags)].join(","),
    origin_source_type: channel === "sms" ? "sms" : "web",
    handoff_session: session.id,
  };
  if (routing.requester_name) metadata["dataCapture.systemField.requester.name"] = routing.requester_name;
  if (routing.requester_email) metadata["dataCapture.systemField.requester.email"] = routing.requester_email;
  if (routing.priority) metadata["dataCapture.systemField.priority"] = routing.priority;
  if (routing.group_id) metadata["dataCapture.systemField.group_id"] = routing.group_id;
  if (routing.brand_id) metadata["dataCapture.systemField.brand_id"] = routing.brand_id;
  for (const [fieldId, value] of Object.entries(routing.custom_fields ?? {})) metadata[`dataCapture.ticketField.${fieldId}`] = value;
  return metadata;
}

/**
 * The hand-off sequence, resumable after a crash or a failed call: each step's result is
 * stored on the session before the next step, and steps that may have landed without us
 * hearing back are looked up before being repeated.
 *   1. a Sunshine user for this session   2. a personal conversation naming our session
 *   3. the transcript as business messages (not user ones: they would wake Zendesk's bots)
 *   4. passControl to Agent Workspace with first_message_id and the routing fields
 */
export async function startHandoff(ctx: RuntimeContext, sessionId: string, attempt: number): Promise<Outcome> {
  const stored = await ctx.sessions.get(sessionId);
  if (!stored || stored.state !== "handoff_requested") return { kind: "done", ref: "not requested any more" };
  let session: HandoffSessionRow = stored;
  const connection = await ctx.zendesk.client(session.projectId, session.id);
  if (!connection) {
    await failSession(ctx, session, "not_connected", "Zendesk Messaging is not connected for this project");
    return { kind: "done", ref: "not connected" };
  }
  const { client, credentials } = connection;
  const conversation = await ctx.chats.conversation(session.conversationId);
  if (!conversation) return { kind: "give_up", error: "conversation missing" };
  const routing = (session.routing ?? {}) as ZendeskIntegrationOptions;

  if (!session.zendeskUserId) {
    const user = await client.getOrCreateUser({
      externalId: externalIdOf(session),
      ...(routing.requester_name || routing.requester_email
        ? { profile: { ...(routing.requester_name ? { givenName: routing.requester_name } : {}), ...(routing.requester_email ? { email: routing.requester_email } : {}) } }
        : {}),
      metadata: { zm_session: session.id, zm_project: session.projectId, channel: conversation.channel },
    });
    if (!user.id) return { kind: "retry", error: "Zendesk returned a user without an id" };
    await ctx.sessions.update(session.id, { zendeskUserId: user.id });
    session = { ...session, zendeskUserId: user.id };
  }

  if (!session.zendeskConversationId) {
    const existing = attempt > 1 ? await findOurConversation(client, session) : null;
    const zendeskConversationId =
      existing ??
      (
        await client.createConversation({
          type: "personal",
          participants: [{ userId: session.zendeskUserId!, subscribeSDKClient: false }],
          displayName: `Hand-off from ${conversation.channel}`,
          metadata: { handoff_session: session.id, handoff_owner: session.projectId },
        })
      ).id;
    if (!zendeskConversationId) return { kind: "retry", error: "Zendesk returned a conversation without an id" };
    await ctx.sessions.update(session.id, { zendeskConversationId });
    session = { ...session, zendeskConversationId };
  }
  const zendeskConversationId = session.zendeskConversationId!;

  if (!session.firstMessageId) {
    const posted = attempt > 1 ? await findTranscript(client, zendeskConversationId) : null;
    let firstMessageId: string | null = posted;
    if (!firstMessageId) {
      const history = await ctx.chats.transcript(conversation.id);
      const created = await client.postText(zendeskConversationId, TRANSCRIPT_AUTHOR, transcriptText(history, conversation.channel), { zm_kind: "transcript" });
      firstMessageId = created[0]?.id ?? null;
    }
    if (!firstMessageId) return { kind: "retry", error: "Zendesk returned no message id for the transcript" };
    await ctx.sessions.update(session.id, { firstMessageId });
    session = { ...session, firstMessageId };
  }

  // Naming the target makes a repeated passControl harmless (PROTOCOL §2.6).
  await client.passControl(zendeskConversationId, {
    switchboardIntegration: credentials.switchboardTarget,
    metadata: passControlMetadata(session, session.firstMessageId!, conversation.channel),
  });
  await ctx.sessions.transition(session.id, ["handoff_requested"], "waiting_for_agent", "passed_control_to_agent_workspace", { lastActivityAt: ctx.clock() });
  return { kind: "done", ref: zendeskConversationId };
}

async function findOurConversation(client: SunshineClient, session: HandoffSessionRow): Promise<string | null> {
  const conversations = await client.listConversations({ userId: session.zendeskUserId! });
  const ours = conversations.find((c) => (c.metadata as Record<string, unknown> | undefined)?.handoff_session === session.id);
  return ours?.id ?? null;
}

async function findTranscript(client: SunshineClient, zendeskConversationId: string): Promise<string | null> {
  const page = await client.listMessages(zendeskConversationId);
  const first = page.messages.find((m) => (m.metadata as Record<string, unknown> | undefined)?.zm_kind === "transcript");
  return first?.id ?? null;
}
