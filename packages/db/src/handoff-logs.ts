import type { Channel, ChatRole } from "./chat-store.ts";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { LIVE_STATES, type HandoffState } from "./handoff-store.ts";
import type { InboxSource, InboxStatus } from "./inbox-store.ts";
import type { OutboxStatus, OutboxTarget } from "./outbox-store.ts";

/**
 * Read side of the hand-off runtime, for the Studio logs page. Every query takes the project id
 * and selects named columns only: payloads (raw webhook bodies, message texts queued for a
 * provider) never leave this module, so a logs view cannot leak them by accident.
 */

/** Position in a newest-first list: the row's time, then its id to break ties. */
export interface LogCursor {
  at: Date;
  id: string;
}

export interface LogPage<T> {
  items: T[];
  /** Where the next (older) page starts; null on the last page. */
  next: LogCursor | null;
}

export type SessionStateFilter = "live" | "ended" | "failed";

export interface SessionLogRow {
  id: string;
  conversationId: string;
  /** Null only if the conversation row is gone. */
  channel: Channel | null;
  state: HandoffState;
  endReason: string | null;
  agentName: string | null;
  ticketId: string | null;
  createdAt: Date;
  endedAt: Date | null;
  /** End-user messages Zendesk accepted (done `zendesk.post_user_message` calls). */
  messagesToAgent: number;
  /** Agent messages added to the end user's transcript. */
  messagesToEndUser: number;
}

export interface SessionLogDetailRow extends SessionLogRow {
  zendeskConversationId: string | null;
  lastActivityAt: Date;
  lastAgentMessageAt: Date | null;
}

export interface TransitionLogRow {
  fromState: string;
  toState: string;
  cause: string;
  at: Date;
}

export interface DeliveryLogRow {
  id: string;
  source: InboxSource;
  eventId: string;
  eventType: string;
  verification: string;
  status: InboxStatus;
  outcome: string | null;
  error: string | null;
  attempts: number;
  ackLatencyMs: number | null;
  receivedAt: Date;
  processedAt: Date | null;
  /** The hand-off session the event was routed to, when it was. */
  sessionId: string | null;
}

export interface OutboxLogRow {
  id: string;
  target: OutboxTarget;
  kind: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  doneAt: Date | null;
}

export interface ApiCallLogRow {
  id: string;
  sessionId: string | null;
  target: OutboxTarget;
  operation: string;
  status: number | null;
  attempt: number;
  latencyMs: number;
  errorCode: string | null;
  at: Date;
}

export interface TranscriptLogRow {
  id: string;
  seq: number;
  role: ChatRole;
  authorName: string | null;
  text: string;
  sentAt: Date;
  /** Said while this session was live (relayed to or from the agent, or a hand-off status line). */
  duringHandoff: boolean;
}

/** A capped list: `truncated` says older rows exist beyond the newest `limit`. */
export interface CappedList<T> {
  items: T[];
  truncated: boolean;
}

export interface SessionLogDetail {
  session: SessionLogDetailRow;
  transitions: TransitionLogRow[];
  inboxEvents: CappedList<DeliveryLogRow>;
  outboxMessages: CappedList<OutboxLogRow>;
  apiCalls: CappedList<ApiCallLogRow>;
  transcript: CappedList<TranscriptLogRow>;
}

const SESSION_COLUMNS = {
  id: true,
  conversationId: true,
  state: true,
  endReason: true,
  agentName: true,
  ticketId: true,
  createdAt: true,
  endedAt: true,
  zendeskConversationId: true,
  lastActivityAt: true,
  lastAgentMessageAt: true,
} as const satisfies Prisma.HandoffSessionSelect;

const DELIVERY_COLUMNS = {
  id: true,
  source: true,
  eventId: true,
  eventType: true,
  verification: true,
  status: true,
  outcome: true,
  error: true,
  attempts: true,
  ackLatencyMs: true,
  receivedAt: true,
  processedAt: true,
  routingKey: true,
} as const satisfies Prisma.InboxEventSelect;

const OUTBOX_COLUMNS = {
  id: true,
  target: true,
  kind: true,
  status: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  nextAttemptAt: true,
  doneAt: true,
} as const satisfies Prisma.OutboxMessageSelect;

const API_CALL_COLUMNS = {
  id: true,
  sessionId: true,
  target: true,
  operation: true,
  status: true,
  attempt: true,
  latencyMs: true,
  errorCode: true,
  at: true,
} as const satisfies Prisma.ApiCallSelect;

const STATES_OF_FILTER: Record<SessionStateFilter, readonly HandoffState[]> = {
  live: LIVE_STATES,
  ended: ["ended"],
  failed: ["failed"],
};

/** How many rows of each kind the session view shows (newest kept). */
export const SESSION_DETAIL_CAP = 200;
/** The end line and the closing message are queued just after a session ends; SMS rows this late still belong to it. */
const SMS_AFTER_END_GRACE_MS = 60_000;
const POST_USER_MESSAGE = "zendesk.post_user_message";
const SMS_SEND = "sms.send";

type DeliveryColumns = Prisma.InboxEventGetPayload<{ select: typeof DELIVERY_COLUMNS }>;

function toDeliveryRow({ routingKey, ...row }: DeliveryColumns): DeliveryLogRow {
  // Hand-off sessions route by their id; SMS routes by a key holding phone numbers, which stays here.
  return { ...row, source: row.source as InboxSource, status: row.status as InboxStatus, sessionId: routingKey?.startsWith("hs_") ? routingKey : null };
}

function toOutboxRow(row: Prisma.OutboxMessageGetPayload<{ select: typeof OUTBOX_COLUMNS }>): OutboxLogRow {
  return { ...row, target: row.target as OutboxTarget, status: row.status as OutboxStatus };
}

function toApiCallRow(row: Prisma.ApiCallGetPayload<{ select: typeof API_CALL_COLUMNS }>): ApiCallLogRow {
  return { ...row, target: row.target as OutboxTarget };
}

/** Takes `limit + 1` rows newest first and turns the extra one into the next cursor. */
function pageOf<T extends { id: string }>(rows: T[], limit: number, timeOf: (row: T) => Date): LogPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? { at: timeOf(last), id: last.id } : null };
}

/** Newest `cap` rows of a query fetched newest first with `cap + 1`, returned oldest first. */
function capped<T>(rowsNewestFirst: T[], cap: number): CappedList<T> {
  return { items: rowsNewestFirst.slice(0, cap).reverse(), truncated: rowsNewestFirst.length > cap };
}

export class HandoffLogs {
  constructor(private readonly prisma: PrismaClient) {}

  /** The project's hand-off sessions, newest first. */
  async sessions(projectId: string, options: { state?: SessionStateFilter | undefined; limit: number; after?: LogCursor | undefined }): Promise<LogPage<SessionLogRow>> {
    const { after } = options;
    const rows = await this.prisma.handoffSession.findMany({
      where: {
        projectId,
        ...(options.state ? { state: { in: [...STATES_OF_FILTER[options.state]] } } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: options.limit + 1,
      select: SESSION_COLUMNS,
    });
    const page = pageOf(rows, options.limit, (r) => r.createdAt);
    const withCounts = await this.withRelayCounts(page.items);
    return { items: withCounts.map(({ zendeskConversationId: _z, lastActivityAt: _l, lastAgentMessageAt: _a, ...summary }) => summary), next: page.next };
  }

  /** One session with everything recorded about it, or null when it is not this project's. */
  async session(projectId: string, sessionId: string): Promise<SessionLogDetail | null> {
    const row = await this.prisma.handoffSession.findFirst({ where: { id: sessionId, projectId }, select: SESSION_COLUMNS });
    if (!row) return null;
    const [session] = await this.withRelayCounts([row]);
    const take = SESSION_DETAIL_CAP + 1;
    const [transitions, inbox, outbox, calls, transcript] = await Promise.all([
      this.prisma.handoffTransition.findMany({
        where: { sessionId },
        orderBy: [{ at: "asc" }, { id: "asc" }],
        select: { fromState: true, toState: true, cause: true, at: true },
      }),
      this.prisma.inboxEvent.findMany({
        where: { projectId, routingKey: sessionId },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take,
        select: DELIVERY_COLUMNS,
      }),
      this.outboxOf(projectId, row, take),
      this.prisma.apiCall.findMany({
        where: { projectId, sessionId },
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take,
        select: API_CALL_COLUMNS,
      }),
      this.transcriptOf(projectId, row, take),
    ]);
    return {
      session: session!,
      transitions,
      inboxEvents: capped(inbox.map(toDeliveryRow), SESSION_DETAIL_CAP),
      outboxMessages: capped(outbox.map(toOutboxRow), SESSION_DETAIL_CAP),
      apiCalls: capped(calls.map(toApiCallRow), SESSION_DETAIL_CAP),
      transcript: capped(transcript, SESSION_DETAIL_CAP),
    };
  }

  /** Inbound deliveries (including refused ones), newest first. */
  async deliveries(
    projectId: string,
    options: { source?: InboxSource | undefined; status?: InboxStatus | undefined; limit: number; after?: LogCursor | undefined },
  ): Promise<LogPage<DeliveryLogRow>> {
    const { after } = options;
    const rows = await this.prisma.inboxEvent.findMany({
      where: {
        projectId,
        ...(options.source ? { source: options.source } : {}),
        ...(options.status ? { status: options.status } : {}),
        ...(after ? { OR: [{ receivedAt: { lt: after.at } }, { receivedAt: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: options.limit + 1,
      select: DELIVERY_COLUMNS,
    });
    const page = pageOf(rows, options.limit, (r) => r.receivedAt);
    return { items: page.items.map(toDeliveryRow), next: page.next };
  }

  /** HTTP attempts made to Zendesk and SMS providers, newest first. */
  async calls(
    projectId: string,
    options: { target?: OutboxTarget | undefined; failedOnly?: boolean | undefined; limit: number; after?: LogCursor | undefined },
  ): Promise<LogPage<ApiCallLogRow>> {
    const { after } = options;
    const and: Prisma.ApiCallWhereInput[] = [];
    // No status means no response at all (timeout, refused connection).
    if (options.failedOnly) and.push({ OR: [{ errorCode: { not: null } }, { status: null }, { status: { gte: 400 } }] });
    if (after) and.push({ OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] });
    const rows = await this.prisma.apiCall.findMany({
      where: { projectId, ...(options.target ? { target: options.target } : {}), AND: and },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: options.limit + 1,
      select: API_CALL_COLUMNS,
    });
    const page = pageOf(rows, options.limit, (r) => r.at);
    return { items: page.items.map(toApiCallRow), next: page.next };
  }

  private async withRelayCounts(rows: Array<Prisma.HandoffSessionGetPayload<{ select: typeof SESSION_COLUMNS }>>): Promise<SessionLogDetailRow[]> {
    if (rows.length === 0) return [];
    const sessionIds = rows.map((r) => r.id);
    const [conversations, posted, agentMessages] = await Promise.all([
      this.prisma.conversation.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.conversationId))] } }, select: { id: true, channel: true } }),
      this.prisma.outboxMessage.groupBy({
        by: ["orderingKey"],
        where: { orderingKey: { in: sessionIds }, kind: POST_USER_MESSAGE, status: "done" },
        _count: { _all: true },
      }),
      this.prisma.chatMessage.groupBy({
        by: ["handoffSessionId"],
        where: { handoffSessionId: { in: sessionIds }, role: "agent" },
        _count: { _all: true },
      }),
    ]);
    const channelOf = new Map(conversations.map((c) => [c.id, c.channel as Channel]));
    const postedBy = new Map(posted.map((g) => [g.orderingKey, g._count._all]));
    const agentBy = new Map(agentMessages.map((g) => [g.handoffSessionId, g._count._all]));
    return rows.map((r) => ({
      ...r,
      state: r.state as HandoffState,
      channel: channelOf.get(r.conversationId) ?? null,
      messagesToAgent: postedBy.get(r.id) ?? 0,
      messagesToEndUser: agentBy.get(r.id) ?? 0,
    }));
  }

  /**
   * The session's own calls, plus, for SMS, the texts sent to the end user on its behalf: those
   * share the conversation's key with the AI agent's texts, so they are told apart by the
   * transcript message each one carries.
   */
  private async outboxOf(projectId: string, session: { id: string; conversationId: string; createdAt: Date; endedAt: Date | null }, take: number) {
    const own = await this.prisma.outboxMessage.findMany({
      where: { projectId, orderingKey: session.id },
      orderBy: { position: "desc" },
      take,
      select: { ...OUTBOX_COLUMNS, position: true },
    });
    const smsCandidates = await this.prisma.outboxMessage.findMany({
      where: {
        projectId,
        orderingKey: `sms:${session.conversationId}`,
        kind: SMS_SEND,
        createdAt: { gte: session.createdAt, ...(session.endedAt ? { lte: new Date(session.endedAt.getTime() + SMS_AFTER_END_GRACE_MS) } : {}) },
      },
      orderBy: { position: "desc" },
      take,
      // The payload is read here only to learn which transcript message a text carried; it is not returned.
      select: { ...OUTBOX_COLUMNS, position: true, payload: true },
    });
    if (smsCandidates.length === 0) return own.map(({ position: _p, ...row }) => row);
    const sessionMessageIds = new Set(
      (await this.prisma.chatMessage.findMany({ where: { conversationId: session.conversationId, handoffSessionId: session.id }, select: { id: true } })).map((m) => m.id),
    );
    const sms = smsCandidates
      .filter((row) => sessionMessageIds.has(chatMessageIdOf(row.payload) ?? ""))
      .map(({ payload: _payload, ...row }) => row);
    return [...own, ...sms]
      .sort((a, b) => (a.position === b.position ? 0 : a.position > b.position ? -1 : 1))
      .slice(0, take)
      .map(({ position: _p, ...row }) => row);
  }

  /**
   * The conversation up to this session's last message: what the end user said to the AI agent
   * before the hand-off (the context the agent received) and everything during it.
   */
  private async transcriptOf(projectId: string, session: { id: string; conversationId: string }, take: number): Promise<TranscriptLogRow[]> {
    const conversation = await this.prisma.conversation.findFirst({ where: { id: session.conversationId, projectId }, select: { id: true } });
    if (!conversation) return [];
    const last = await this.prisma.chatMessage.findFirst({
      where: { conversationId: conversation.id, handoffSessionId: session.id },
      orderBy: { seq: "desc" },
      select: { seq: true },
    });
    const rows = await this.prisma.chatMessage.findMany({
      where: { conversationId: conversation.id, ...(last ? { seq: { lte: last.seq } } : {}) },
      orderBy: { seq: "desc" },
      take,
      select: { id: true, seq: true, role: true, authorName: true, text: true, sentAt: true, handoffSessionId: true },
    });
    return rows.map(({ handoffSessionId, ...m }) => ({ ...m, role: m.role as ChatRole, duringHandoff: handoffSessionId === session.id }));
  }
}

function chatMessageIdOf(payload: Prisma.JsonValue): string | null {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
  const id = (payload as Prisma.JsonObject).chatMessageId;
  return typeof id === "string" ? id : null;
}
