import { z } from "zod";

// =============================================================================================
// Shared helpers
// =============================================================================================

/**
 * An optional field that never sinks the event: null, a missing key or a value of the wrong type
 * all come out as `undefined`. Used for decorative fields (names, avatars, metadata) so that one
 * odd field cannot make us drop an agent's message.
 */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** IDs arrive as strings from Sunshine but as numbers in some Zendesk event fields. */
const idLike = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

/** Sunshine metadata is documented as flat, but we keep whatever values arrive. */
export const metadataSchema = z.record(z.string(), z.unknown());

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
  return `${where}: ${issue.message}`.slice(0, 200);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// =============================================================================================
// Sunshine Conversations webhook (integration webhook, payload version v2)
// =============================================================================================

export const switchboardIntegrationSchema = z.object({
  id: lenient(z.string()),
  name: lenient(z.string()),
  integrationId: lenient(z.string()),
  integrationType: lenient(z.string()),
});

export const conversationRefSchema = z.object({
  id: z.string().min(1),
  type: lenient(z.string()),
  metadata: lenient(metadataSchema),
  activeSwitchboardIntegration: lenient(switchboardIntegrationSchema),
  pendingSwitchboardIntegration: lenient(switchboardIntegrationSchema),
});

export const webhookUserSchema = z.object({
  id: lenient(z.string()),
  externalId: lenient(z.string()),
  zendeskId: lenient(z.string()),
  authenticated: lenient(z.boolean()),
  profile: lenient(
    z.object({
      givenName: lenient(z.string()),
      surname: lenient(z.string()),
      email: lenient(z.string()),
      avatarUrl: lenient(z.string()),
      locale: lenient(z.string()),
    }),
  ),
});

export const authorSchema = z.object({
  type: z.enum(["business", "user"]),
  userId: lenient(z.string()),
  displayName: lenient(z.string()),
  avatarUrl: lenient(z.string()),
  /** Defined on the API's author; whether webhooks carry it is unconfirmed (PROTOCOL §1.4). */
  subtypes: lenient(z.array(z.string())),
  user: lenient(webhookUserSchema),
});

export const sourceSchema = z.object({
  type: z.string(),
  integrationId: lenient(z.string()),
  originalMessageId: lenient(z.string()),
  originalMessageTimestamp: lenient(z.string()),
});

const actionSchema = z.object({
  type: z.string(),
  text: lenient(z.string()),
  uri: lenient(z.string()),
  payload: lenient(z.string()),
});

export const textContentSchema = z.object({
  type: z.literal("text"),
  /** Empty when Zendesk sent only `htmlText`. */
  text: z.string().catch(""),
  htmlText: lenient(z.string()),
  payload: lenient(z.string()),
  actions: lenient(z.array(actionSchema)),
});

const mediaFields = {
  mediaUrl: z.string().min(1),
  mediaType: lenient(z.string()),
  mediaSize: lenient(z.number()),
  altText: lenient(z.string()),
  text: lenient(z.string()),
  attachmentId: lenient(z.string()),
};
export const imageContentSchema = z.object({ type: z.literal("image"), ...mediaFields });
export const fileContentSchema = z.object({ type: z.literal("file"), ...mediaFields });

/** Content types the spec defines but this package does not model field by field. */
export const OTHER_CONTENT_TYPES = ["carousel", "list", "location", "form", "formResponse", "template"] as const;
export type OtherContentType = (typeof OTHER_CONTENT_TYPES)[number];

/**
 * Everything but text, image and file, reduced to what can be relayed as plain text. A type the spec
 * does not know comes out as `unsupported` (with `originalType`), so `type` stays a clean
 * discriminator and a `switch (content.type)` narrows properly.
 */
export const fallbackContentSchema = z
  .object({ type: z.string().min(1), text: lenient(z.string()), textFallback: lenient(z.string()) })
  .refine((c) => c.type !== "text" && c.type !== "image" && c.type !== "file", "typed content failed its schema")
  .transform((c) => {
    const text = c.text ?? c.textFallback;
    const known = (OTHER_CONTENT_TYPES as readonly string[]).includes(c.type);
    const fallback: { type: OtherContentType | "unsupported"; text?: string; originalType?: string } = known
      ? { type: c.type as OtherContentType }
      : { type: "unsupported", originalType: c.type };
    if (text !== undefined) fallback.text = text;
    return fallback;
  });

export const messageContentSchema = z.union([textContentSchema, imageContentSchema, fileContentSchema, fallbackContentSchema]);

export const webhookMessageSchema = z.object({
  id: z.string().min(1),
  received: z.string(),
  author: authorSchema,
  content: messageContentSchema,
  source: lenient(sourceSchema),
  metadata: lenient(metadataSchema),
  deleted: lenient(z.boolean()),
  /** System messages such as `ticket:closed`; their presence in webhooks is unconfirmed (PROTOCOL §1.4). */
  activity: lenient(z.object({ type: z.string(), data: lenient(metadataSchema) })),
});

const activityBase = { author: authorSchema, source: lenient(sourceSchema) };
export const typingActivitySchema = z.object({ type: z.enum(["typing:start", "typing:stop"]), ...activityBase });
export const readActivitySchema = z.object({ type: z.string().catch("conversation:read"), ...activityBase });

const eventBase = { id: z.string().min(1), createdAt: z.string() };

export const messageEventSchema = z
  .object({
    ...eventBase,
    type: z.literal("conversation:message"),
    payload: z.object({ conversation: conversationRefSchema, message: webhookMessageSchema }),
  })
  .transform((e) => ({
    kind: "message" as const,
    id: e.id,
    createdAt: e.createdAt,
    conversation: e.payload.conversation,
    message: e.payload.message,
  }));

export const typingEventSchema = z
  .object({
    ...eventBase,
    type: z.literal("conversation:typing"),
    payload: z.object({ conversation: conversationRefSchema, activity: typingActivitySchema }),
  })
  .transform((e) => ({
    kind: "typing" as const,
    id: e.id,
    createdAt: e.createdAt,
    conversation: e.payload.conversation,
    activity: e.payload.activity,
  }));

export const readEventSchema = z
  .object({
    ...eventBase,
    type: z.literal("conversation:read"),
    payload: z.object({ conversation: conversationRefSchema, activity: readActivitySchema }),
  })
  .transform((e) => ({
    kind: "read" as const,
    id: e.id,
    createdAt: e.createdAt,
    conversation: e.payload.conversation,
    activity: e.payload.activity,
  }));

const switchboardPayload = z.object({
  conversation: conversationRefSchema,
  metadata: lenient(metadataSchema),
  /** `ticketClosed` or `transferToEmail` per the spec; kept open for values Zendesk adds later. */
  reason: lenient(z.string()),
});

export const passControlEventSchema = z
  .object({ ...eventBase, type: z.literal("switchboard:passControl"), payload: switchboardPayload })
  .transform((e) => ({ kind: "passControl" as const, id: e.id, createdAt: e.createdAt, ...e.payload }));

export const releaseControlEventSchema = z
  .object({ ...eventBase, type: z.literal("switchboard:releaseControl"), payload: switchboardPayload })
  .transform((e) => ({ kind: "releaseControl" as const, id: e.id, createdAt: e.createdAt, ...e.payload }));

const controlPayload = z.object({ conversation: conversationRefSchema, metadata: lenient(metadataSchema) });

export const offerControlEventSchema = z
  .object({ ...eventBase, type: z.literal("switchboard:offerControl"), payload: controlPayload })
  .transform((e) => ({ kind: "offerControl" as const, id: e.id, createdAt: e.createdAt, ...e.payload }));

export const acceptControlEventSchema = z
  .object({ ...eventBase, type: z.literal("switchboard:acceptControl"), payload: controlPayload })
  .transform((e) => ({ kind: "acceptControl" as const, id: e.id, createdAt: e.createdAt, ...e.payload }));

export const passControlFailureEventSchema = z
  .object({
    ...eventBase,
    type: z.literal("switchboard:passControl:failure"),
    payload: z.object({
      conversation: conversationRefSchema,
      error: z.object({ code: z.string(), message: z.string().catch("") }),
      metadata: lenient(metadataSchema),
    }),
  })
  .transform((e) => ({ kind: "passControlFailure" as const, id: e.id, createdAt: e.createdAt, ...e.payload }));

export const conversationRemoveEventSchema = z
  .object({ ...eventBase, type: z.literal("conversation:remove"), payload: z.object({ conversation: conversationRefSchema }) })
  .transform((e) => ({
    kind: "conversationRemove" as const,
    id: e.id,
    createdAt: e.createdAt,
    conversation: e.payload.conversation,
  }));

/** Sunshine trigger name → schema of the events this package understands. */
export const sunshineEventSchemas = {
  "conversation:message": messageEventSchema,
  "conversation:typing": typingEventSchema,
  "conversation:read": readEventSchema,
  "conversation:remove": conversationRemoveEventSchema,
  "switchboard:passControl": passControlEventSchema,
  "switchboard:passControl:failure": passControlFailureEventSchema,
  "switchboard:releaseControl": releaseControlEventSchema,
  "switchboard:offerControl": offerControlEventSchema,
  "switchboard:acceptControl": acceptControlEventSchema,
} as const;

export type MessageEvent = z.output<typeof messageEventSchema>;
export type TypingEvent = z.output<typeof typingEventSchema>;
export type ReadEvent = z.output<typeof readEventSchema>;
export type PassControlEvent = z.output<typeof passControlEventSchema>;
export type PassControlFailureEvent = z.output<typeof passControlFailureEventSchema>;
export type ReleaseControlEvent = z.output<typeof releaseControlEventSchema>;
export type OfferControlEvent = z.output<typeof offerControlEventSchema>;
export type AcceptControlEvent = z.output<typeof acceptControlEventSchema>;
export type ConversationRemoveEvent = z.output<typeof conversationRemoveEventSchema>;
/** Any event type we do not handle, or a known type whose payload failed its schema (`issue` says why). */
export type UnknownEvent = { kind: "unknown"; type: string; id?: string; createdAt?: string; issue?: string };

export type SunshineEvent =
  | MessageEvent
  | TypingEvent
  | ReadEvent
  | PassControlEvent
  | PassControlFailureEvent
  | ReleaseControlEvent
  | OfferControlEvent
  | AcceptControlEvent
  | ConversationRemoveEvent
  | UnknownEvent;

export type WebhookConversation = z.output<typeof conversationRefSchema>;
export type WebhookMessage = z.output<typeof webhookMessageSchema>;
export type WebhookAuthor = z.output<typeof authorSchema>;
export type MessageContentPart = z.output<typeof messageContentSchema>;

export const conversationsWebhookEnvelopeSchema = z.object({
  app: z.object({ id: z.string().min(1) }),
  webhook: z.object({ id: z.string().min(1), version: z.string() }),
  events: z.array(z.unknown()),
});

export type ParsedConversationsWebhook =
  | { ok: true; app: { id: string }; webhook: { id: string; version: string }; events: SunshineEvent[] }
  | { ok: false; error: string };

/**
 * Parses a Sunshine Conversations webhook body. Never throws. The envelope must be valid; each event
 * is parsed on its own, so one malformed or unfamiliar event becomes `kind: "unknown"` instead of
 * losing the whole batch. Events in one delivery may belong to different conversations.
 */
export function parseConversationsWebhook(json: unknown): ParsedConversationsWebhook {
  try {
    const envelope = conversationsWebhookEnvelopeSchema.safeParse(json);
    if (!envelope.success) return { ok: false, error: `not a Sunshine webhook: ${describeIssue(envelope.error)}` };
    const { app, webhook, events } = envelope.data;
    return { ok: true, app: { id: app.id }, webhook: { id: webhook.id, version: webhook.version }, events: events.map(parseEvent) };
  } catch (err) {
    // zod does not throw on bad input, but exotic objects (throwing getters, proxies) could.
    return { ok: false, error: `unreadable webhook body: ${err instanceof Error ? err.message : "unknown error"}` };
  }
}

function parseEvent(raw: unknown): SunshineEvent {
  if (!isRecord(raw)) return { kind: "unknown", type: "", issue: "event is not an object" };
  const type = typeof raw.type === "string" ? raw.type : "";
  const unknown: UnknownEvent = { kind: "unknown", type };
  if (typeof raw.id === "string") unknown.id = raw.id;
  if (typeof raw.createdAt === "string") unknown.createdAt = raw.createdAt;
  if (!Object.hasOwn(sunshineEventSchemas, type)) return unknown;
  const schema = sunshineEventSchemas[type as keyof typeof sunshineEventSchemas];
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  unknown.issue = describeIssue(parsed.error);
  return unknown;
}

// =============================================================================================
// Message classification (PROTOCOL §1.4)
// =============================================================================================

export const AGENT_WORKSPACE_SOURCE_TYPE = "zd:agentWorkspace";
export const AGENT_WORKSPACE_SWITCHBOARD_NAME = "zd-agentWorkspace";
/** Source type of messages posted through the Conversations API, i.e. by us. */
export const OWN_API_SOURCE_TYPE = "api:conversations";
export const ZENDESK_AGENT_ID_METADATA_KEY = "__zendesk_msg.agent.id";
export const AUTOMATED_RESPONSE_DISPLAY_NAME = "Automated Response";

/**
 * The fields the classifiers look at. Both a parsed webhook message and a message from the REST API
 * (`listMessages`, `postMessage`) satisfy it.
 */
export type ClassifiableMessage = {
  id?: string | undefined;
  author?: { type: string; displayName?: string | undefined } | undefined;
  source?: { type: string } | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
};

/**
 * True for a message we posted ourselves, echoed back by the webhook: its source is the
 * Conversations API, or its ID is one our POSTs returned. Check this before `isAgentMessage`.
 */
export function isOwnEcho(message: ClassifiableMessage, postedMessageIds?: ReadonlySet<string>): boolean {
  if (message.id !== undefined && postedMessageIds?.has(message.id)) return true;
  return message.source?.type === OWN_API_SOURCE_TYPE;
}

/**
 * True for a message from the Zendesk side that should reach the end user: a business-authored
 * message that is not our echo and comes from Agent Workspace (source type or agent-ID metadata)
 * or from a Zendesk trigger ("Automated Response", agent ID `__trigger`). The metadata keys are
 * undocumented and seen only in public code, so either signal is enough.
 */
export function isAgentMessage(message: ClassifiableMessage, postedMessageIds?: ReadonlySet<string>): boolean {
  if (message.author?.type !== "business") return false;
  if (isOwnEcho(message, postedMessageIds)) return false;
  if (message.source?.type === AGENT_WORKSPACE_SOURCE_TYPE) return true;
  const agentId = message.metadata?.[ZENDESK_AGENT_ID_METADATA_KEY];
  if ((typeof agentId === "string" && agentId !== "") || typeof agentId === "number") return true;
  return message.author.displayName?.trim() === AUTOMATED_RESPONSE_DISPLAY_NAME;
}

/** The name to show for the agent: the author's display name, else `fallback`. */
export function agentDisplayName(message: ClassifiableMessage, fallback = "Agent"): string {
  const name = message.author?.displayName?.trim();
  return name ? name : fallback;
}

/** True when Agent Workspace is the active switchboard integration of the conversation. */
export function isAgentWorkspaceInControl(
  conversation: Pick<WebhookConversation, "activeSwitchboardIntegration">,
  switchboardName: string = AGENT_WORKSPACE_SWITCHBOARD_NAME,
): boolean {
  const active = conversation.activeSwitchboardIntegration;
  if (!active) return false;
  return active.integrationType === AGENT_WORKSPACE_SOURCE_TYPE || active.name === switchboardName;
}

/** System messages that mean the Zendesk side ended the session (PROTOCOL §4 rule e; unconfirmed in webhooks). */
export function isEndOfSessionActivity(message: Pick<WebhookMessage, "activity">): boolean {
  const type = message.activity?.type;
  return type === "ticket:closed" || type === "conversation:endedByUser";
}

// =============================================================================================
// Zendesk events webhook: ticket status (PROTOCOL §3)
// =============================================================================================

export const TICKET_STATUS_CHANGED = "zen:event-type:ticket.status_changed";
/** Ticket events that end the hand-off, with the status they leave the ticket in. */
export const TICKET_END_EVENTS: Readonly<Record<string, string>> = {
  "zen:event-type:ticket.soft_deleted": "deleted",
  "zen:event-type:ticket.permanently_deleted": "deleted",
  "zen:event-type:ticket.marked_as_spam": "deleted",
  // Zendesk closes the source ticket of a merge.
  "zen:event-type:ticket.merged": "closed",
};
const END_STATUSES = new Set(["solved", "closed", "deleted"]);

export const ticketEventSchema = z.object({
  type: z.string().min(1),
  id: lenient(z.string().min(1)),
  account_id: lenient(idLike),
  time: lenient(z.string()),
  /** `zen:ticket:<id>` */
  subject: lenient(z.string()),
  detail: lenient(
    z.object({
      id: lenient(idLike),
      status: lenient(z.string()),
      subject: lenient(z.string()),
      requester_id: lenient(idLike),
      tags: lenient(z.array(z.unknown()).transform((tags) => tags.filter((t): t is string => typeof t === "string"))),
    }),
  ),
  event: lenient(z.object({ previous: lenient(z.string().nullable()), current: lenient(z.string()) })),
});

export type TicketStatusEvent = {
  ignored: false;
  /** Event ID, for de-duplication. */
  id: string;
  type: string;
  accountId?: string;
  ticketId: string;
  /** The ticket's subject line. */
  subject?: string;
  /** Lower-case: new, open, pending, hold, solved, closed, deleted… */
  status: string;
  /** Lower-case previous status, or null when the event does not say. */
  previous: string | null;
  tags: string[];
  time: string;
  requesterId?: string;
  /** The hand-off should end: solved, closed, or the ticket was deleted, merged or marked as spam. */
  isEnd: boolean;
};
export type IgnoredTicketEvent = { ignored: true; type: string; id?: string };
export type ParsedTicketEvent = { ok: true; event: TicketStatusEvent | IgnoredTicketEvent } | { ok: false; error: string };

/**
 * Parses a Zendesk events-webhook body. Never throws. Status changes and the ticket-ending events
 * become a `TicketStatusEvent`; any other `zen:event-type:*` is returned as ignored.
 * Zendesk mixes `SOLVED`, `solved` and `Open`, so statuses are lower-cased.
 */
export function parseTicketStatusEvent(json: unknown): ParsedTicketEvent {
  try {
    const parsed = ticketEventSchema.safeParse(json);
    if (!parsed.success) return { ok: false, error: `not a Zendesk event: ${describeIssue(parsed.error)}` };
    const body = parsed.data;
    if (!body.type.startsWith("zen:event-type:")) return { ok: false, error: `not a Zendesk event type: ${body.type.slice(0, 100)}` };

    const impliedStatus = TICKET_END_EVENTS[body.type];
    if (body.type !== TICKET_STATUS_CHANGED && impliedStatus === undefined) {
      const ignored: IgnoredTicketEvent = { ignored: true, type: body.type };
      if (body.id !== undefined) ignored.id = body.id;
      return { ok: true, event: ignored };
    }

    const ticketId = body.detail?.id ?? ticketIdFromSubject(body.subject);
    const status = (impliedStatus ?? body.event?.current ?? body.detail?.status)?.toLowerCase();
    if (body.id === undefined || body.time === undefined || ticketId === undefined || status === undefined) {
      const missing = Object.entries({ id: body.id, time: body.time, "ticket id": ticketId, status })
        .filter(([, value]) => value === undefined)
        .map(([name]) => name);
      return { ok: false, error: `${body.type} without ${missing.join(", ")}` };
    }

    const event: TicketStatusEvent = {
      ignored: false,
      id: body.id,
      type: body.type,
      ticketId,
      status,
      previous: impliedStatus === undefined ? (body.event?.previous?.toLowerCase() ?? null) : null,
      tags: body.detail?.tags ?? [],
      time: body.time,
      isEnd: impliedStatus !== undefined || END_STATUSES.has(status),
    };
    if (body.account_id !== undefined) event.accountId = body.account_id;
    if (body.detail?.subject !== undefined) event.subject = body.detail.subject;
    if (body.detail?.requester_id !== undefined) event.requesterId = body.detail.requester_id;
    return { ok: true, event };
  } catch (err) {
    return { ok: false, error: `unreadable event body: ${err instanceof Error ? err.message : "unknown error"}` };
  }
}

function ticketIdFromSubject(subject: string | undefined): string | undefined {
  const match = subject === undefined ? null : /^zen:ticket:(\d+)$/.exec(subject);
  return match?.[1];
}
