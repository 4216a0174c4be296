import { randomUUID } from "node:crypto";
import type { NewInboxEvent } from "@zm/db";
import {
  parseConversationsWebhook,
  parseTicketStatusEvent,
  safeEqual,
  verifyConversationsWebhook,
  verifyStatusWebhook,
  type SunshineEvent,
} from "@zm/zendesk";
import type { RuntimeContext } from "./context.ts";
import { QUEUES } from "./context.ts";

export interface InboundDelivery {
  projectId: string;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  startedAt: number;
}

export interface DeliveryResult {
  status: 200 | 400 | 401 | 404;
  body: { ok: true; stored: number; duplicates: number } | { error: string };
  /** A wrong or missing secret (or unknown project): what a brute-force attempt looks like. */
  authFailure?: boolean;
}

/** Failed authentication answers no sooner than this, so an unknown project and a wrong key look alike. */
export const FAILURE_FLOOR_MS = 40;
const DUMMY_SECRET = randomUUID();

function header(headers: InboundDelivery["headers"], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

async function refuse(delivery: InboundDelivery, status: 401 | 404, error: string, authFailure = true): Promise<DeliveryResult> {
  const wait = FAILURE_FLOOR_MS - (performance.now() - delivery.startedAt);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return { status, body: { error }, authFailure };
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function conversationIdOf(event: SunshineEvent): string | null {
  return "conversation" in event && event.conversation ? event.conversation.id : null;
}

async function storeRejected(ctx: RuntimeContext, delivery: InboundDelivery, source: "sunshine" | "ticket_status", verification: string) {
  await ctx.inbox.store([
    {
      projectId: delivery.projectId,
      source,
      eventId: `rejected:${randomUUID()}`,
      eventType: "unverified delivery",
      routingKey: null,
      verification,
      status: "rejected",
      outcome: "refused with 401",
      ackLatencyMs: Math.round(performance.now() - delivery.startedAt),
    },
  ]);
}

/**
 * POST …/live/events: authenticate (X-API-Key, then app and webhook ids), store every event
 * durably (a redelivered event id is skipped), then let the inbox worker process them.
 * Events for conversations that are not ours are stored as ignored, without their content.
 */
export async function ingestConversationsWebhook(ctx: RuntimeContext, delivery: InboundDelivery): Promise<DeliveryResult> {
  const credentials = await ctx.zendesk.credentials(delivery.projectId);
  const apiKey = header(delivery.headers, "x-api-key") ?? "";
  if (!credentials) {
    safeEqual(apiKey, DUMMY_SECRET);
    return refuse(delivery, 404, "Unknown project");
  }
  if (!apiKey || !safeEqual(apiKey, credentials.sharedSecret)) {
    await storeRejected(ctx, delivery, "sunshine", apiKey ? "bad_api_key" : "missing_api_key");
    return refuse(delivery, 401, "Invalid or missing X-API-Key");
  }
  const json = parseJson(delivery.rawBody);
  if (!json.ok) return { status: 400, body: { error: "Body is not valid JSON" } };
  const parsed = parseConversationsWebhook(json.value);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error.slice(0, 300) } };
  const verified = verifyConversationsWebhook({
    headers: delivery.headers as Record<string, string | undefined>,
    body: json.value,
    expected: { sharedSecret: credentials.sharedSecret, appId: credentials.appId, webhookId: credentials.webhookId },
  });
  if (!verified.ok) {
    // The secret was right: a misrouted delivery, not a guess, so it does not count towards the lockout.
    await storeRejected(ctx, delivery, "sunshine", verified.reason);
    return refuse(delivery, 401, verified.reason === "wrong_app" ? "Delivery is for another app" : "Delivery is from another webhook", false);
  }

  const rows: NewInboxEvent[] = [];
  for (const event of parsed.events) {
    const conversationId = conversationIdOf(event);
    const sessionId = conversationId ? await sessionForConversation(ctx, delivery.projectId, conversationId) : null;
    const handled = event.kind !== "unknown" && event.kind !== "read" && event.kind !== "offerControl" && event.kind !== "acceptControl";
    const status = sessionId && handled ? "pending" : "ignored";
    rows.push({
      projectId: delivery.projectId,
      source: "sunshine",
      eventId: event.id ?? `noid:${randomUUID()}`,
      eventType: event.kind === "unknown" ? event.type : event.kind,
      routingKey: sessionId,
      verification: "ok",
      status,
      outcome: status === "pending" ? null : !sessionId ? "not one of our conversations" : "event type not used",
      payload: status === "pending" ? (event as object) : null,
      occurredAt: event.createdAt ? safeDate(event.createdAt) : null,
      ackLatencyMs: Math.round(performance.now() - delivery.startedAt),
    });
  }
  const stored = await ctx.inbox.store(rows);
  for (const key of new Set(rows.filter((r) => r.status === "pending").map((r) => r.routingKey!))) {
    await ctx.queue.kick(QUEUES.inbox, key);
  }
  return { status: 200, body: { ok: true, stored, duplicates: rows.length - stored } };
}

/**
 * POST …/live/status: the Zendesk events webhook. Authenticated by the admin's API-key header
 * and, when a signing secret is set, the signature over timestamp + raw body. The ticket is
 * linked to a session through the tag we put on it.
 */
export async function ingestStatusWebhook(ctx: RuntimeContext, delivery: InboundDelivery): Promise<DeliveryResult> {
  const credentials = await ctx.zendesk.credentials(delivery.projectId);
  if (!credentials) {
    safeEqual(header(delivery.headers, "x-api-key") ?? "", DUMMY_SECRET);
    return refuse(delivery, 404, "Unknown project");
  }
  const verified = verifyStatusWebhook({
    headers: delivery.headers as Record<string, string | undefined>,
    rawBody: delivery.rawBody,
    expected: {
      headerName: credentials.statusAuthHeaderName,
      headerValue: credentials.webhookSecretKey,
      ...(credentials.signingSecret ? { signingSecret: credentials.signingSecret } : {}),
    },
    now: ctx.clock(),
  });
  if (!verified.ok) {
    await storeRejected(ctx, delivery, "ticket_status", verified.reason);
    return refuse(delivery, 401, `Webhook authentication failed (${verified.reason.replace(/_/g, " ")})`);
  }
  const json = parseJson(delivery.rawBody);
  if (!json.ok) return { status: 400, body: { error: "Body is not valid JSON" } };
  const parsed = parseTicketStatusEvent(json.value);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error.slice(0, 300) } };
  const event = parsed.event;
  const eventId = event.id ?? header(delivery.headers, "x-zendesk-webhook-invocation-id") ?? `noid:${randomUUID()}`;
  const base = {
    projectId: delivery.projectId,
    source: "ticket_status" as const,
    eventId,
    eventType: event.type,
    verification: "ok",
    ackLatencyMs: Math.round(performance.now() - delivery.startedAt),
  };
  if (event.ignored) {
    const stored = await ctx.inbox.store([{ ...base, routingKey: null, status: "ignored", outcome: "event type not used" }]);
    return { status: 200, body: { ok: true, stored, duplicates: 1 - stored } };
  }
  const [byTag] = await ctx.sessions.byTags(delivery.projectId, event.tags);
  // An agent or trigger may remove our tag; the ticket id, learnt from an earlier event, still links it.
  const session = byTag ?? (await ctx.sessions.byTicket(delivery.projectId, event.ticketId));
  const stored = await ctx.inbox.store([
    {
      ...base,
      routingKey: session?.id ?? null,
      status: session ? "pending" : "ignored",
      outcome: session ? null : "no hand-off session has this ticket",
      payload: session ? (event as object) : null,
      occurredAt: safeDate(event.time),
    },
  ]);
  if (session) await ctx.queue.kick(QUEUES.inbox, session.id);
  return { status: 200, body: { ok: true, stored, duplicates: 1 - stored } };
}

/**
 * Our session for a Zendesk conversation. A session's conversation never changes once set, so
 * found pairs are remembered; "not ours" is not, since the session may be storing it right now.
 */
const knownSessionsByRuntime = new WeakMap<RuntimeContext, Map<string, string>>();
const KNOWN_SESSIONS_LIMIT = 50_000;

async function sessionForConversation(ctx: RuntimeContext, projectId: string, conversationId: string): Promise<string | null> {
  let knownSessions = knownSessionsByRuntime.get(ctx);
  if (!knownSessions) knownSessionsByRuntime.set(ctx, (knownSessions = new Map()));
  const key = `${projectId}:${conversationId}`;
  const known = knownSessions.get(key);
  if (known) return known;
  const session = await ctx.sessions.byZendeskConversation(conversationId);
  if (!session || session.projectId !== projectId) return null;
  if (knownSessions.size >= KNOWN_SESSIONS_LIMIT) knownSessions.delete(knownSessions.keys().next().value!);
  knownSessions.set(key, session.id);
  return session.id;
}

function safeDate(value: string): Date | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
