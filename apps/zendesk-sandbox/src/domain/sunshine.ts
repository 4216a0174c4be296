import type { StateStore } from "../state/store.ts";
import type {
  AppRecord,
  ConversationRecord,
  MessageAuthor,
  MessageRecord,
  Metadata,
  SwitchboardIntegrationRecord,
  UserProfile,
  UserRecord,
} from "../state/model.ts";
import { sunshineId } from "../util/ids.ts";
import { isoMillis } from "../util/time.ts";
import { SandboxHttpError, badRequest, conflict, notFound } from "./errors.ts";
import type { SunshineEvent, SunshineEventSink } from "./event-sink.ts";
import { presentConversationTruncated, presentWebhookUser } from "./presenters.ts";

/** Conversations may hold this many messages; the next POST gets 423 (spec, "Conversation Size Limits"). */
export const MAX_MESSAGES_PER_CONVERSATION = 30_000;
/** List Messages pages are fixed at 100 (spec, ListMessages). */
export const MESSAGE_PAGE_SIZE = 100;

export interface NewMessage {
  author: MessageAuthor & { userExternalId?: string };
  content: Record<string, unknown> & { type: string };
  metadata?: Metadata;
  source: { type: string; integrationId?: string };
}

export type SwitchboardReason = "ticketClosed" | "transferToEmail";

/** What Agent Workspace needs to hear about; implemented by AgentWorkspace. */
export interface SwitchboardListener {
  /** Control moved to `to` (or stayed there, when the call was not a duplicate). */
  controlPassed(app: AppRecord, conversation: ConversationRecord, to: SwitchboardIntegrationRecord, from: SwitchboardIntegrationRecord | undefined, metadata: Metadata): void;
  controlReleased(app: AppRecord, conversation: ConversationRecord, from: SwitchboardIntegrationRecord | undefined): void;
  messageAdded(app: AppRecord, conversation: ConversationRecord, message: MessageRecord): void;
  /** True when a passControl to `to` would duplicate a hand-off that is still live. */
  isDuplicateHandOff(conversation: ConversationRecord, to: SwitchboardIntegrationRecord): boolean;
  conversationRemoved(app: AppRecord, conversation: ConversationRecord): void;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
  beforeCursor?: string;
  afterCursor?: string;
}

/**
 * The Sunshine Conversations core: users, conversations, messages, activities and the
 * switchboard. Every state change publishes the webhook events a real app would.
 */
export class SunshineService {
  private listener: SwitchboardListener | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly events: SunshineEventSink,
  ) {}

  setSwitchboardListener(listener: SwitchboardListener): void {
    this.listener = listener;
  }

  private get state() {
    return this.store.state;
  }

  app(appId: string): AppRecord {
    const app = this.state.apps.find((a) => a.id === appId);
    if (!app) throw notFound("app_not_found", "App not found");
    return app;
  }

  // ---- users -------------------------------------------------------------------------------

  createUser(app: AppRecord, body: { externalId?: string; profile?: UserProfile; metadata?: Metadata; signedUpAt?: string; toBeRetained?: boolean }): UserRecord {
    if (body.externalId !== undefined && this.state.users.some((u) => u.appId === app.id && u.externalId === body.externalId)) {
      throw conflict("User already exists");
    }
    const user: UserRecord = {
      id: sunshineId(),
      appId: app.id,
      ...(body.externalId !== undefined ? { externalId: body.externalId } : {}),
      signedUpAt: body.signedUpAt ?? isoMillis(),
      ...(body.toBeRetained !== undefined ? { toBeRetained: body.toBeRetained } : {}),
      profile: stripNulls(body.profile ?? {}),
      metadata: body.metadata ?? {},
    };
    this.state.users.push(user);
    this.store.changed();
    return user;
  }

  getUser(app: AppRecord, idOrExternalId: string): UserRecord {
    const users = this.state.users.filter((u) => u.appId === app.id);
    const user = users.find((u) => u.id === idOrExternalId) ?? users.find((u) => u.externalId === idOrExternalId);
    if (!user) throw notFound("user_not_found", "User not found");
    return user;
  }

  findUser(userId: string | undefined): UserRecord | undefined {
    return userId === undefined ? undefined : this.state.users.find((u) => u.id === userId);
  }

  // ---- conversations -----------------------------------------------------------------------

  createConversation(
    app: AppRecord,
    body: { type: "personal" | "sdkGroup"; participants?: { userId?: string; userExternalId?: string }[]; displayName?: string; description?: string; iconUrl?: string; metadata?: Metadata },
  ): ConversationRecord {
    const participants = body.participants ?? [];
    if (body.type === "personal" && participants.length !== 1) {
      throw badRequest("A personal conversation must have exactly one participant");
    }
    const users = participants.map((p) => {
      if (p.userId === undefined && p.userExternalId === undefined) throw badRequest("A participant needs a userId or a userExternalId");
      return this.getUser(app, (p.userId ?? p.userExternalId)!);
    });
    if (body.type === "personal" && !app.multiConversations) {
      const existing = this.state.conversations.find((c) => c.appId === app.id && c.type === "personal" && c.participantUserIds.includes(users[0]!.id));
      if (existing) throw badRequest("Multi-conversations is not enabled: this user already has a personal conversation");
    }
    const now = isoMillis();
    const conversation: ConversationRecord = {
      id: sunshineId(),
      appId: app.id,
      type: body.type,
      participantUserIds: users.map((u) => u.id),
      ...(body.displayName != null ? { displayName: body.displayName } : {}),
      ...(body.description != null ? { description: body.description } : {}),
      ...(body.iconUrl != null ? { iconUrl: body.iconUrl } : {}),
      metadata: body.metadata ?? {},
      createdAt: now,
      lastUpdatedAt: now,
      // The switchboard's default integration gets control of new conversations (spec, defaultSwitchboardIntegrationId).
      activeSwitchboardIntegrationId: app.switchboard.enabled ? app.switchboard.defaultSwitchboardIntegrationId : null,
      pendingSwitchboardIntegrationId: null,
      messages: [],
    };
    this.state.conversations.push(conversation);
    this.store.changed();
    this.publish(app, "conversation:create", {
      conversation: presentConversationTruncated(app, conversation),
      creationReason: "none",
      source: { type: "api:conversations" },
      ...(users[0] ? { user: presentWebhookUser(users[0]) } : {}),
    });
    return conversation;
  }

  getConversation(app: AppRecord, conversationId: string): ConversationRecord {
    const conversation = this.state.conversations.find((c) => c.appId === app.id && c.id === conversationId);
    if (!conversation) throw notFound("conversation_not_found", "Conversation not found");
    return conversation;
  }

  findConversation(conversationId: string): ConversationRecord | undefined {
    return this.state.conversations.find((c) => c.id === conversationId);
  }

  listConversations(app: AppRecord, filter: { userId?: string; userExternalId?: string }, page: CursorQuery): Page<ConversationRecord> {
    if (filter.userId === undefined && filter.userExternalId === undefined) {
      throw badRequest("filter[userId] or filter[userExternalId] is required");
    }
    const user = this.getUser(app, (filter.userId ?? filter.userExternalId)!);
    const all = this.state.conversations.filter((c) => c.appId === app.id && c.participantUserIds.includes(user.id));
    return paginate(all, page, page.size ?? 25, "forwards");
  }

  deleteConversation(app: AppRecord, conversationId: string): void {
    const conversation = this.getConversation(app, conversationId);
    this.state.conversations = this.state.conversations.filter((c) => c !== conversation);
    this.store.changed();
    this.listener?.conversationRemoved(app, conversation);
    this.publish(app, "conversation:remove", { conversation: presentConversationTruncated(app, conversation) });
  }

  // ---- messages ----------------------------------------------------------------------------

  postMessage(app: AppRecord, conversation: ConversationRecord, input: NewMessage): MessageRecord {
    if (conversation.messages.length >= MAX_MESSAGES_PER_CONVERSATION) {
      throw new SandboxHttpError(423, "locked", `Message limit of ${MAX_MESSAGES_PER_CONVERSATION} per conversation reached.`);
    }
    const author = this.resolveAuthor(app, conversation, input.author);
    const message: MessageRecord = {
      id: sunshineId(),
      received: isoMillis(),
      author,
      content: normaliseContent(input.content),
      source: input.source,
      ...(input.metadata && Object.keys(input.metadata).length > 0 ? { metadata: input.metadata } : {}),
    };

    // A user message in a conversation nobody controls goes to the default responder (switchboard guide).
    if (author.type === "user" && conversation.activeSwitchboardIntegrationId === null && app.switchboard.enabled) {
      conversation.activeSwitchboardIntegrationId = app.switchboard.defaultSwitchboardIntegrationId;
    }
    conversation.messages.push(message);
    conversation.lastUpdatedAt = message.received;
    this.store.changed();
    this.publish(app, "conversation:message", {
      conversation: presentConversationTruncated(app, conversation),
      message: this.webhookMessage(message),
    });
    this.listener?.messageAdded(app, conversation, message);
    return message;
  }

  listMessages(conversation: ConversationRecord, page: CursorQuery): Page<MessageRecord> {
    return paginate(conversation.messages, page, MESSAGE_PAGE_SIZE, "backwards");
  }

  // ---- activities --------------------------------------------------------------------------

  postActivity(app: AppRecord, conversation: ConversationRecord, input: { author: MessageAuthor & { userExternalId?: string }; type: string; source: { type: string; integrationId?: string } }): void {
    if (input.author.type === "user" && input.type !== "conversation:read") {
      throw badRequest(`Activity type ${input.type} is not supported for user authors; only conversation:read is`);
    }
    const author = this.resolveAuthor(app, conversation, input.author);
    const eventType = input.type === "conversation:read" ? "conversation:read" : "conversation:typing";
    this.publish(app, eventType, {
      conversation: presentConversationTruncated(app, conversation),
      activity: { type: input.type, author: this.webhookAuthor(author), source: input.source },
    });
  }

  // ---- switchboard -------------------------------------------------------------------------

  /**
   * Resolves a switchboard integration by id, then name, then integrationType (spec passControlBody),
   * or `next`: the active integration's next, else the switchboard default.
   */
  resolveSwitchboardIntegration(app: AppRecord, conversation: ConversationRecord, target: string): SwitchboardIntegrationRecord | undefined {
    const all = app.switchboardIntegrations;
    if (target === "next") {
      const active = all.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
      const nextId = active ? active.nextSwitchboardIntegrationId : app.switchboard.defaultSwitchboardIntegrationId;
      return all.find((s) => s.id === nextId);
    }
    const byId = all.find((s) => s.id === target);
    if (byId) return byId;
    const byName = all.find((s) => s.name === target);
    if (byName) return byName;
    const byType = all.filter((s) => s.integrationType === target);
    if (byType.length > 1) throw badRequest(`Ambiguous switchboard integration: ${byType.length} integrations have type ${target}`);
    return byType[0];
  }

  passControl(app: AppRecord, conversation: ConversationRecord, target: string, metadata: Metadata, reason?: SwitchboardReason): void {
    const to = this.resolveSwitchboardIntegration(app, conversation, target);
    if (!to) {
      this.publish(app, "switchboard:passControl:failure", {
        conversation: presentConversationTruncated(app, conversation),
        metadata,
        error: { code: "switchboard_invalid_target", message: "Switchboard invalid target" },
      });
      throw badRequest(`Invalid switchboard integration: ${target}`);
    }
    const from = app.switchboardIntegrations.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
    // passControl is idempotent: repeating a live hand-off changes nothing, metadata included (switchboard guide).
    if (from?.id === to.id && this.listener?.isDuplicateHandOff(conversation, to)) return;

    conversation.activeSwitchboardIntegrationId = to.id;
    if (conversation.pendingSwitchboardIntegrationId === to.id) conversation.pendingSwitchboardIntegrationId = null;
    this.store.changed();
    this.publish(app, "switchboard:passControl", {
      conversation: presentConversationTruncated(app, conversation),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      ...(reason ? { reason } : {}),
    });
    this.listener?.controlPassed(app, conversation, to, from, metadata);
  }

  releaseControl(app: AppRecord, conversation: ConversationRecord, metadata: Metadata, reason?: SwitchboardReason): void {
    const from = app.switchboardIntegrations.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
    conversation.activeSwitchboardIntegrationId = null;
    conversation.pendingSwitchboardIntegrationId = null;
    this.store.changed();
    this.publish(app, "switchboard:releaseControl", {
      conversation: presentConversationTruncated(app, conversation),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      ...(reason ? { reason } : {}),
    });
    this.listener?.controlReleased(app, conversation, from);
  }

  offerControl(app: AppRecord, conversation: ConversationRecord, target: string, metadata: Metadata): void {
    const to = this.resolveSwitchboardIntegration(app, conversation, target);
    if (!to) {
      this.publish(app, "switchboard:offerControl:failure", {
        conversation: presentConversationTruncated(app, conversation),
        metadata,
        error: { code: "switchboard_invalid_target", message: "Switchboard invalid target" },
      });
      throw badRequest(`Invalid switchboard integration: ${target}`);
    }
    conversation.pendingSwitchboardIntegrationId = to.id;
    this.store.changed();
    this.publish(app, "switchboard:offerControl", {
      conversation: presentConversationTruncated(app, conversation),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    });
  }

  acceptControl(app: AppRecord, conversation: ConversationRecord, metadata: Metadata): void {
    const to = app.switchboardIntegrations.find((s) => s.id === conversation.pendingSwitchboardIntegrationId);
    if (!to) {
      this.publish(app, "switchboard:acceptControl:failure", {
        conversation: presentConversationTruncated(app, conversation),
        metadata,
        error: { code: "switchboard_no_pending_integration", message: "No switchboard integration was offered control" },
      });
      throw badRequest("No switchboard integration was offered control of this conversation");
    }
    const from = app.switchboardIntegrations.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
    conversation.activeSwitchboardIntegrationId = to.id;
    conversation.pendingSwitchboardIntegrationId = null;
    this.store.changed();
    this.publish(app, "switchboard:acceptControl", {
      conversation: presentConversationTruncated(app, conversation),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    });
    this.listener?.controlPassed(app, conversation, to, from, metadata);
  }

  // ---- helpers -----------------------------------------------------------------------------

  publish(app: AppRecord, type: string, payload: Record<string, unknown>): void {
    const event: SunshineEvent = { id: sunshineId(), createdAt: isoMillis(), type, payload };
    this.events.publish(app, event);
  }

  private resolveAuthor(app: AppRecord, conversation: ConversationRecord, author: NewMessage["author"]): MessageAuthor {
    const { userExternalId, ...rest } = author;
    if (author.type === "business") {
      if (author.userId !== undefined || userExternalId !== undefined) throw badRequest("author.userId and author.userExternalId are only supported when author.type is user");
      return stripUndefined(rest);
    }
    if (author.userId === undefined && userExternalId === undefined) throw badRequest("A user author needs a userId or a userExternalId");
    const user = this.getUser(app, (author.userId ?? userExternalId)!);
    if (!conversation.participantUserIds.includes(user.id)) throw badRequest("The author is not a participant of this conversation");
    return stripUndefined({ ...rest, userId: user.id });
  }

  private webhookAuthor(author: MessageAuthor): Record<string, unknown> {
    // Subtypes are documented for API responses only; whether webhooks carry them is unconfirmed (PROTOCOL §1.4).
    const { subtypes: _responseOnly, ...rest } = author;
    const user = this.findUser(author.userId);
    return { ...rest, ...(author.type === "user" && user ? { user: presentWebhookUser(user) } : {}) };
  }

  private webhookMessage(message: MessageRecord): Record<string, unknown> {
    return { ...structuredClone(message), author: this.webhookAuthor(message.author) };
  }
}

export interface CursorQuery {
  after?: string;
  before?: string;
  size?: number;
}

/**
 * Cursor pagination as the spec describes it: `after`/`before` point at a record id; without a
 * cursor, forwards lists start at the oldest record and backwards lists (messages) at the newest.
 */
export function paginate<T extends { id: string }>(all: T[], query: CursorQuery, size: number, direction: "forwards" | "backwards"): Page<T> {
  if (query.after !== undefined && query.before !== undefined) throw badRequest("Only one of page[after] or page[before] may be provided");
  const indexOf = (id: string) => {
    const index = all.findIndex((item) => item.id === id);
    if (index < 0) throw badRequest("Invalid page query parameters");
    return index;
  };
  if (query.after !== undefined) {
    const start = indexOf(query.after) + 1;
    const items = all.slice(start, start + size);
    const hasMore = start + size < all.length;
    return { items, hasMore, ...(hasMore && items.length > 0 ? { afterCursor: items[items.length - 1]!.id } : {}) };
  }
  if (query.before !== undefined || direction === "backwards") {
    const end = query.before !== undefined ? indexOf(query.before) : all.length;
    const start = Math.max(0, end - size);
    const items = all.slice(start, end);
    const hasMore = start > 0;
    return { items, hasMore, ...(hasMore && items.length > 0 ? { beforeCursor: items[0]!.id } : {}) };
  }
  const items = all.slice(0, size);
  const hasMore = size < all.length;
  return { items, hasMore, ...(hasMore && items.length > 0 ? { afterCursor: items[items.length - 1]!.id } : {}) };
}

/** Markdown arrives write-only and is stored as htmlText (spec markdownText); media keeps its file name as altText. */
function normaliseContent(content: NewMessage["content"]): MessageRecord["content"] {
  const out: Record<string, unknown> & { type: string } = { ...content };
  for (const readOnly of ["mediaType", "mediaSize"]) delete out[readOnly];
  if (typeof out.markdownText === "string") {
    out.htmlText ??= `<p>${escapeHtml(out.markdownText)}</p>`;
    out.text ??= out.markdownText;
    delete out.markdownText;
  }
  if ((out.type === "image" || out.type === "file") && typeof out.mediaUrl === "string" && out.altText === undefined) {
    out.altText = decodeURIComponent(out.mediaUrl.split("/").pop() ?? "").slice(0, 128) || out.type;
  }
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function stripNulls<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
