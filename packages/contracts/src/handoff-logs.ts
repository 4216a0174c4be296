import { z } from "zod";
import { chatRole } from "./widget-protocol.ts";

/**
 * What the Studio logs page may see of the hand-off runtime. Only stored, non-secret columns:
 * no webhook bodies, no queued payloads. Object schemas strip unknown keys, so a field added to
 * a query by mistake is dropped on the way out rather than sent.
 */

/** Hand-off session ids look like hs_ followed by URL-safe characters. */
export const handoffSessionIdSchema = z.string().regex(/^hs_[A-Za-z0-9_-]{1,64}$/, "Hand-off session ids look like hs_ followed by letters and digits");

export const handoffState = z.enum(["handoff_requested", "waiting_for_agent", "with_agent", "ended", "failed"]);
export type HandoffStateName = z.infer<typeof handoffState>;

/** The session filter on the logs page: live covers requested, waiting and with an agent. */
export const SESSION_STATE_FILTERS = ["live", "ended", "failed"] as const;
export const sessionStateFilter = z.enum(SESSION_STATE_FILTERS);
export type SessionStateFilterName = z.infer<typeof sessionStateFilter>;

export const DELIVERY_SOURCES = ["sunshine", "ticket_status", "sms"] as const;
export const deliverySource = z.enum(DELIVERY_SOURCES);
export type DeliverySource = z.infer<typeof deliverySource>;

export const DELIVERY_STATUSES = ["pending", "processed", "ignored", "failed", "rejected"] as const;
export const deliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

export const CALL_TARGETS = ["zendesk", "sms"] as const;
export const callTarget = z.enum(CALL_TARGETS);
export type CallTarget = z.infer<typeof callTarget>;

export const outboxStatus = z.enum(["pending", "done", "failed", "cancelled"]);
export type OutboxStatusName = z.infer<typeof outboxStatus>;

/** Longest error or cause text the logs return; longer ones end with an ellipsis. */
export const LOG_TEXT_LIMIT = 500;

const isoDate = z.iso.datetime();

export const handoffSessionSummary = z.object({
  id: z.string(),
  conversationId: z.string(),
  channel: z.enum(["webchat", "sms"]).nullable(),
  state: handoffState,
  endReason: z.string().nullable(),
  agentName: z.string().nullable(),
  ticketId: z.string().nullable(),
  createdAt: isoDate,
  endedAt: isoDate.nullable(),
  messagesToAgent: z.number().int(),
  messagesToEndUser: z.number().int(),
});
export type HandoffSessionSummary = z.infer<typeof handoffSessionSummary>;

export const handoffTransitionView = z.object({
  fromState: z.string(),
  toState: z.string(),
  cause: z.string(),
  at: isoDate,
});
export type HandoffTransitionView = z.infer<typeof handoffTransitionView>;

export const deliveryView = z.object({
  id: z.string(),
  source: deliverySource,
  eventId: z.string(),
  eventType: z.string(),
  verification: z.string(),
  status: deliveryStatus,
  outcome: z.string().nullable(),
  error: z.string().max(LOG_TEXT_LIMIT).nullable(),
  attempts: z.number().int(),
  ackLatencyMs: z.number().int().nullable(),
  receivedAt: isoDate,
  processedAt: isoDate.nullable(),
  sessionId: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof deliveryView>;

export const outboxMessageView = z.object({
  id: z.string(),
  target: callTarget,
  kind: z.string(),
  status: outboxStatus,
  attempts: z.number().int(),
  lastError: z.string().max(LOG_TEXT_LIMIT).nullable(),
  createdAt: isoDate,
  nextAttemptAt: isoDate,
  doneAt: isoDate.nullable(),
});
export type OutboxMessageView = z.infer<typeof outboxMessageView>;

export const apiCallView = z.object({
  id: z.string(),
  sessionId: z.string().nullable(),
  target: callTarget,
  operation: z.string(),
  /** HTTP status; null when no response came (timeout, refused connection). */
  status: z.number().int().nullable(),
  attempt: z.number().int(),
  latencyMs: z.number().int(),
  errorCode: z.string().nullable(),
  at: isoDate,
});
export type ApiCallView = z.infer<typeof apiCallView>;

export const transcriptMessageView = z.object({
  id: z.string(),
  seq: z.number().int(),
  role: chatRole,
  authorName: z.string().nullable(),
  text: z.string(),
  sentAt: isoDate,
  duringHandoff: z.boolean(),
});
export type TranscriptMessageView = z.infer<typeof transcriptMessageView>;

/** The newest rows of one kind; `truncated` says older ones were left out. */
const cappedList = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), truncated: z.boolean() });

export const handoffSessionDetail = z.object({
  session: handoffSessionSummary.extend({
    zendeskConversationId: z.string().nullable(),
    lastActivityAt: isoDate,
    lastAgentMessageAt: isoDate.nullable(),
  }),
  transitions: z.array(handoffTransitionView),
  inboxEvents: cappedList(deliveryView),
  outboxMessages: cappedList(outboxMessageView),
  apiCalls: cappedList(apiCallView),
  transcript: cappedList(transcriptMessageView),
});
export type HandoffSessionDetail = z.infer<typeof handoffSessionDetail>;

/** One page of a newest-first list; pass `nextCursor` back as `cursor` for the next (older) page. */
export const logPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
