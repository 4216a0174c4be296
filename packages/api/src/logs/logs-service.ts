import { TRPCError } from "@trpc/server";
import {
  LOG_TEXT_LIMIT,
  type ApiCallView,
  type CallTarget,
  type DeliverySource,
  type DeliveryStatus,
  type DeliveryView,
  type HandoffSessionDetail,
  type HandoffSessionSummary,
  type OutboxMessageView,
  type SessionStateFilterName,
} from "@zm/contracts";
import type { ApiCallLogRow, DeliveryLogRow, LogCursor, LogPage, OutboxLogRow, SessionLogRow } from "@zm/db";
import type { Services } from "../services.ts";
import { encodeCursor } from "./paging.ts";

interface PageRequest {
  limit: number;
  cursor?: LogCursor | null | undefined;
}

export interface PageView<T> {
  items: T[];
  nextCursor: string | null;
}

/** Errors are stored without secrets but may be long (a provider's whole error body). */
function clip(text: string): string;
function clip(text: string | null): string | null;
function clip(text: string | null): string | null {
  if (text === null || text.length <= LOG_TEXT_LIMIT) return text;
  return `${text.slice(0, LOG_TEXT_LIMIT - 1)}…`;
}

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

function pageView<Row, View>(page: LogPage<Row>, toView: (row: Row) => View): PageView<View> {
  return { items: page.items.map(toView), nextCursor: page.next ? encodeCursor(page.next) : null };
}

function sessionSummaryView(row: SessionLogRow): HandoffSessionSummary {
  return {
    id: row.id,
    conversationId: row.conversationId,
    channel: row.channel,
    state: row.state,
    endReason: row.endReason,
    agentName: row.agentName,
    ticketId: row.ticketId,
    createdAt: iso(row.createdAt),
    endedAt: isoOrNull(row.endedAt),
    messagesToAgent: row.messagesToAgent,
    messagesToEndUser: row.messagesToEndUser,
  };
}

function deliveryView(row: DeliveryLogRow): DeliveryView {
  return {
    id: row.id,
    source: row.source,
    eventId: row.eventId,
    eventType: row.eventType,
    verification: row.verification,
    status: row.status,
    outcome: row.outcome,
    error: clip(row.error),
    attempts: row.attempts,
    ackLatencyMs: row.ackLatencyMs,
    receivedAt: iso(row.receivedAt),
    processedAt: isoOrNull(row.processedAt),
    sessionId: row.sessionId,
  };
}

function outboxMessageView(row: OutboxLogRow): OutboxMessageView {
  return {
    id: row.id,
    target: row.target,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    lastError: clip(row.lastError),
    createdAt: iso(row.createdAt),
    nextAttemptAt: iso(row.nextAttemptAt),
    doneAt: isoOrNull(row.doneAt),
  };
}

function apiCallView(row: ApiCallLogRow): ApiCallView {
  return {
    id: row.id,
    sessionId: row.sessionId,
    target: row.target,
    operation: row.operation,
    status: row.status,
    attempt: row.attempt,
    latencyMs: row.latencyMs,
    errorCode: row.errorCode,
    at: iso(row.at),
  };
}

export async function listProjectSessions(
  services: Services,
  projectId: string,
  request: PageRequest & { state?: SessionStateFilterName | undefined },
): Promise<PageView<HandoffSessionSummary>> {
  const page = await services.handoffLogs.sessions(projectId, { state: request.state, limit: request.limit, after: request.cursor ?? undefined });
  return pageView(page, sessionSummaryView);
}

/** A session of this project; another project's session id is NOT_FOUND, like an unknown one. */
export async function getProjectSession(services: Services, projectId: string, sessionId: string): Promise<HandoffSessionDetail> {
  const detail = await services.handoffLogs.session(projectId, sessionId);
  if (!detail) throw new TRPCError({ code: "NOT_FOUND", message: "Hand-off not found" });
  const { session } = detail;
  return {
    session: {
      ...sessionSummaryView(session),
      zendeskConversationId: session.zendeskConversationId,
      lastActivityAt: iso(session.lastActivityAt),
      lastAgentMessageAt: isoOrNull(session.lastAgentMessageAt),
    },
    transitions: detail.transitions.map((t) => ({ fromState: t.fromState, toState: t.toState, cause: clip(t.cause), at: iso(t.at) })),
    inboxEvents: { items: detail.inboxEvents.items.map(deliveryView), truncated: detail.inboxEvents.truncated },
    outboxMessages: { items: detail.outboxMessages.items.map(outboxMessageView), truncated: detail.outboxMessages.truncated },
    apiCalls: { items: detail.apiCalls.items.map(apiCallView), truncated: detail.apiCalls.truncated },
    transcript: {
      items: detail.transcript.items.map((m) => ({
        id: m.id,
        seq: m.seq,
        role: m.role,
        authorName: m.authorName,
        text: m.text,
        sentAt: iso(m.sentAt),
        duringHandoff: m.duringHandoff,
      })),
      truncated: detail.transcript.truncated,
    },
  };
}

export async function listProjectDeliveries(
  services: Services,
  projectId: string,
  request: PageRequest & { source?: DeliverySource | undefined; status?: DeliveryStatus | undefined },
): Promise<PageView<DeliveryView>> {
  const page = await services.handoffLogs.deliveries(projectId, { source: request.source, status: request.status, limit: request.limit, after: request.cursor ?? undefined });
  return pageView(page, deliveryView);
}

export async function listProjectCalls(
  services: Services,
  projectId: string,
  request: PageRequest & { target?: CallTarget | undefined; failedOnly?: boolean | undefined },
): Promise<PageView<ApiCallView>> {
  const page = await services.handoffLogs.calls(projectId, { target: request.target, failedOnly: request.failedOnly, limit: request.limit, after: request.cursor ?? undefined });
  return pageView(page, apiCallView);
}
