import type { StateStore } from "../state/store.ts";
import type {
  AppRecord,
  ConversationRecord,
  MessageRecord,
  Metadata,
  SwitchboardIntegrationRecord,
  TicketRecord,
  TicketStatus,
  TranscriptEntry,
} from "../state/model.ts";
import { stableAgentId, zendeskNumericId } from "../util/ids.ts";
import { isoSeconds } from "../util/time.ts";
import { SandboxHttpError, badRequest, notFound } from "./errors.ts";
import type { TicketStatusSink } from "./event-sink.ts";
import { anonymousUserName, authorName, messageText } from "./presenters.ts";
import type { SunshineService, SwitchboardListener } from "./sunshine.ts";
import { captureTicketFields } from "./ticket-fields.ts";

export const AGENT_WORKSPACE_TYPE = "zd:agentWorkspace";
export const AGENT_WORKSPACE_SOURCE = "zd:agentWorkspace";
/** Without `first_message_id`, AW copies the last 10 messages (PROTOCOL §2.6), or messageHistoryCount. */
const DEFAULT_HISTORY = 10;
/** The label Zendesk gives messaging tickets in `via.channel` (PROTOCOL §3.4, unconfirmed). */
const MESSAGING_CHANNEL = "native_messaging";

export interface AgentIdentity {
  agentName: string;
  agentId: number;
  avatarUrl: string;
}

/**
 * Zendesk Agent Workspace: turns a hand-off into a ticket, keeps the transcript, and carries
 * out what a human agent does (reply, type, change status, end the messaging session).
 */
export class AgentWorkspace implements SwitchboardListener {
  constructor(
    private readonly store: StateStore,
    private readonly sunshine: SunshineService,
    private readonly statusSink: TicketStatusSink,
    private readonly avatarUrlFor: (agentId: number) => string,
  ) {
    sunshine.setSwitchboardListener(this);
  }

  private get state() {
    return this.store.state;
  }

  // ---- queries -----------------------------------------------------------------------------

  tickets(): TicketRecord[] {
    return [...this.state.tickets].sort((a, b) => b.id - a.id);
  }

  ticket(id: number): TicketRecord {
    const ticket = this.state.tickets.find((t) => t.id === id);
    if (!ticket) throw notFound("ticket_not_found", `Ticket ${id} not found`);
    return ticket;
  }

  /** The ticket whose messaging session is live on this conversation, if any. */
  sessionTicket(conversationId: string): TicketRecord | undefined {
    return this.state.tickets.find((t) => t.conversationId === conversationId && t.sessionActive);
  }

  agent(agentName: string | undefined): AgentIdentity {
    const name = agentName?.trim() || "Jane Agent";
    const agentId = stableAgentId(name);
    return { agentName: name, agentId, avatarUrl: this.avatarUrlFor(agentId) };
  }

  // ---- switchboard listener ----------------------------------------------------------------

  isDuplicateHandOff(conversation: ConversationRecord, to: SwitchboardIntegrationRecord): boolean {
    if (to.integrationType !== AGENT_WORKSPACE_TYPE) return true;
    const live = this.sessionTicket(conversation.id);
    return live !== undefined && live.status !== "solved" && live.status !== "closed";
  }

  controlPassed(app: AppRecord, conversation: ConversationRecord, to: SwitchboardIntegrationRecord, _from: SwitchboardIntegrationRecord | undefined, metadata: Metadata): void {
    const live = this.sessionTicket(conversation.id);
    if (to.integrationType !== AGENT_WORKSPACE_TYPE) {
      if (live) this.closeSession(live);
      return;
    }
    if (live && live.status !== "solved" && live.status !== "closed") return;
    if (live) this.closeSession(live);
    this.createTicket(app, conversation, to, metadata, undefined);
  }

  controlReleased(_app: AppRecord, conversation: ConversationRecord): void {
    const live = this.sessionTicket(conversation.id);
    if (live) this.closeSession(live);
  }

  conversationRemoved(_app: AppRecord, conversation: ConversationRecord): void {
    const live = this.sessionTicket(conversation.id);
    if (live) this.closeSession(live);
  }

  messageAdded(app: AppRecord, conversation: ConversationRecord, message: MessageRecord): void {
    const live = this.sessionTicket(conversation.id);
    if (live) {
      live.transcript.push(this.transcriptEntry(message));
      // A messaging ticket that was solved reopens when the customer writes again (PROTOCOL §3.4).
      if (message.author.type === "user" && live.status === "solved") this.changeStatus(app, live, "open");
      else this.touch(live);
      return;
    }
    const active = app.switchboardIntegrations.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
    // AW in control with no ticket: the customer's message opens one, without any hand-off metadata (PROTOCOL §5.9).
    if (message.author.type === "user" && active?.integrationType === AGENT_WORKSPACE_TYPE) {
      this.createTicket(app, conversation, active, {}, message);
    }
  }

  // ---- agent actions -----------------------------------------------------------------------

  reply(ticketId: number, agentName: string | undefined, text: string): MessageRecord {
    const ticket = this.ticket(ticketId);
    this.requireLiveSession(ticket);
    if (text.trim().length === 0) throw badRequest("Reply text is empty");
    if (text.length > 4096) throw badRequest("Reply text is longer than 4096 characters");
    const { app, conversation } = this.context(ticket);
    const agent = this.agent(agentName);
    // The agent who answers an unassigned ticket takes it, as Agent Workspace does on reply.
    if (ticket.assigneeId === null) ticket.assigneeId = agent.agentId;
    return this.sunshine.postMessage(app, conversation, {
      author: { type: "business", displayName: agent.agentName, avatarUrl: agent.avatarUrl, subtypes: ["agent"] },
      content: { type: "text", text },
      metadata: { "__zendesk_msg.agent.id": String(agent.agentId) },
      source: { type: AGENT_WORKSPACE_SOURCE },
    });
  }

  typing(ticketId: number, agentName: string | undefined, typing: boolean): void {
    const ticket = this.ticket(ticketId);
    this.requireLiveSession(ticket);
    const { app, conversation } = this.context(ticket);
    const agent = this.agent(agentName);
    this.sunshine.postActivity(app, conversation, {
      author: { type: "business", displayName: agent.agentName, avatarUrl: agent.avatarUrl },
      type: typing ? "typing:start" : "typing:stop",
      source: { type: AGENT_WORKSPACE_SOURCE },
    });
  }

  setStatus(ticketId: number, status: TicketStatus): TicketRecord {
    const ticket = this.ticket(ticketId);
    if (ticket.status === status) return ticket;
    if (ticket.status === "closed") throw new SandboxHttpError(409, "ticket_closed", "A closed ticket cannot be changed");
    const { app, conversation } = this.tryContext(ticket);
    if (!app) throw notFound("app_not_found", "App not found");
    this.changeStatus(app, ticket, status);
    if (status === "closed" && ticket.sessionActive) {
      this.closeSession(ticket);
      if (conversation) this.handBackAfterClose(app, conversation);
    }
    return ticket;
  }

  /** The agent ends the messaging session: control is released, the ticket status stays (PROTOCOL §4). */
  endSession(ticketId: number): TicketRecord {
    const ticket = this.ticket(ticketId);
    this.requireLiveSession(ticket);
    const { app, conversation } = this.context(ticket);
    this.closeSession(ticket);
    const active = app.switchboardIntegrations.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
    if (active?.integrationType === AGENT_WORKSPACE_TYPE) this.sunshine.releaseControl(app, conversation, {});
    return ticket;
  }

  // ---- internals ---------------------------------------------------------------------------

  /**
   * After a close, control leaves AW with reason `ticketClosed`: to AW's next integration when one
   * is configured (legacy switchboard guide), else it is released (PROTOCOL §4, "Ticket closed").
   */
  private handBackAfterClose(app: AppRecord, conversation: ConversationRecord): void {
    const active = app.switchboardIntegrations.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
    if (active?.integrationType !== AGENT_WORKSPACE_TYPE) return;
    const next = app.switchboardIntegrations.find((s) => s.id === active.nextSwitchboardIntegrationId);
    if (next) this.sunshine.passControl(app, conversation, next.id, {}, "ticketClosed");
    else this.sunshine.releaseControl(app, conversation, {}, "ticketClosed");
  }

  private createTicket(app: AppRecord, conversation: ConversationRecord, aw: SwitchboardIntegrationRecord, metadata: Metadata, trigger: MessageRecord | undefined): TicketRecord {
    const fields = captureTicketFields(metadata);
    const user = this.sunshine.findUser(conversation.participantUserIds[0]);
    const profileName = [user?.profile.givenName, user?.profile.surname].filter(Boolean).join(" ");
    const name = fields.requesterName ?? (profileName || anonymousUserName(user?.id ?? conversation.id));
    const email = fields.requesterEmail ?? user?.profile.email ?? null;
    const requesterId = this.requesterId(user?.zendeskId, email);
    if (user && user.zendeskId === undefined) user.zendeskId = String(requesterId);

    const history = this.initialHistory(conversation, aw, fields.firstMessageId, trigger);
    const now = isoSeconds();
    const ticket: TicketRecord = {
      id: this.state.nextTicketId++,
      appId: app.id,
      conversationId: conversation.id,
      status: "open",
      subject: fields.subject ?? `Conversation with ${name}`,
      description: fields.description ?? (history[0] ? messageText(history[0]) : ""),
      requester: { id: requesterId, name, email },
      tags: fields.tags,
      priority: fields.priority,
      groupId: fields.groupId,
      brandId: fields.brandId,
      assigneeId: fields.assigneeId,
      organizationId: fields.organizationId,
      formId: fields.formId,
      customFields: fields.customFields,
      via: { channel: MESSAGING_CHANNEL, originSourceType: fields.originSourceType },
      handoffMetadata: { ...metadata },
      createdAt: now,
      updatedAt: now,
      sessionActive: true,
      transcript: history.map((m) => this.transcriptEntry(m)),
    };
    this.state.tickets.push(ticket);
    this.store.changed();
    return ticket;
  }

  /** Messages from `first_message_id` on; else the last `messageHistoryCount` (default 10). */
  private initialHistory(conversation: ConversationRecord, aw: SwitchboardIntegrationRecord, firstMessageId: string | undefined, trigger: MessageRecord | undefined): MessageRecord[] {
    const messages = conversation.messages;
    const start = firstMessageId ? messages.findIndex((m) => m.id === firstMessageId) : -1;
    if (start >= 0) return messages.slice(start);
    const count = aw.messageHistoryCount ?? DEFAULT_HISTORY;
    const upTo = trigger ? messages.indexOf(trigger) + 1 : messages.length;
    return messages.slice(Math.max(0, upTo - count), upTo);
  }

  /** A requester with the same email is the same Zendesk user. */
  private requesterId(existing: string | undefined, email: string | null): number {
    if (existing !== undefined) return Number(existing);
    const sameEmail = email ? this.state.tickets.find((t) => t.requester.email === email) : undefined;
    return sameEmail?.requester.id ?? zendeskNumericId();
  }

  private transcriptEntry(message: MessageRecord): TranscriptEntry {
    const user = message.author.type === "user" ? this.sunshine.findUser(message.author.userId) : undefined;
    const ticketName = message.author.type === "user" ? this.state.tickets.find((t) => String(t.requester.id) === user?.zendeskId)?.requester.name : undefined;
    return {
      messageId: message.id,
      received: message.received,
      authorType: message.author.type,
      authorName: message.author.displayName ?? ticketName ?? authorName(message, user),
      sourceType: message.source.type,
      text: messageText(message),
      ...(typeof message.content.mediaUrl === "string" ? { mediaUrl: message.content.mediaUrl } : {}),
    };
  }

  private changeStatus(app: AppRecord, ticket: TicketRecord, status: TicketStatus): void {
    const previous = ticket.status;
    ticket.status = status;
    this.touch(ticket);
    this.statusSink.statusChanged(app, ticket, previous);
  }

  private closeSession(ticket: TicketRecord): void {
    ticket.sessionActive = false;
    this.touch(ticket);
  }

  private touch(ticket: TicketRecord): void {
    ticket.updatedAt = isoSeconds();
    this.store.changed();
  }

  private requireLiveSession(ticket: TicketRecord): void {
    if (ticket.status === "closed") throw new SandboxHttpError(409, "ticket_closed", `Ticket ${ticket.id} is closed`);
    if (!ticket.sessionActive) throw new SandboxHttpError(409, "session_ended", `The messaging session of ticket ${ticket.id} has ended`);
  }

  private context(ticket: TicketRecord): { app: AppRecord; conversation: ConversationRecord } {
    const { app, conversation } = this.tryContext(ticket);
    if (!app) throw notFound("app_not_found", "App not found");
    if (!conversation) throw new SandboxHttpError(409, "conversation_not_found", "The ticket's conversation was deleted");
    return { app, conversation };
  }

  private tryContext(ticket: TicketRecord): { app?: AppRecord; conversation?: ConversationRecord } {
    return {
      app: this.state.apps.find((a) => a.id === ticket.appId),
      conversation: this.sunshine.findConversation(ticket.conversationId),
    };
  }
}
