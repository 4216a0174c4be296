import type { SunshineEvent, SunshineEventSink } from "../domain/event-sink.ts";
import type { SpecValidator } from "../spec/spec-validator.ts";
import type { AppRecord, ConversationsWebhookRecord } from "../state/model.ts";
import type { DeliveryRunner } from "./delivery-runner.ts";
import type { PostResult } from "./http-post.ts";
import { toV1Payloads } from "./v1-payload.ts";

export interface ConversationsDeliveryOptions {
  /** Gaps between the 5 tries. Default 1, 2, 4 and 8 minutes: growing gaps within Sunshine's 15-minute window. */
  retryDelaysMs?: number[];
  /** No response within this counts as a failure (Sunshine: 20 s). */
  timeoutMs?: number;
  /** Events published within this window go out in one POST. Default 50 ms. */
  batchWindowMs?: number;
}

export const SUNSHINE_MAX_TRIES = 5;
/** Sunshine never retries these (spec, "Non-recoverable Errors"). */
const NON_RECOVERABLE = new Set([400, 401, 403, 404, 406]);
const MAX_EVENTS_PER_POST = 20;

export type ViolationReporter = (where: string, issues: { where: string; message: string }[], value: unknown) => void;

/**
 * The custom Conversations integration's webhook: every event of the app (it is outside the
 * switchboard, so it sees them all), filtered by the subscribed triggers, batched, posted with
 * `X-API-Key: <shared secret>`, and retried like Sunshine does.
 */
export class ConversationsWebhookDispatcher implements SunshineEventSink {
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;
  private readonly batchWindowMs: number;
  private readonly batches = new Map<string, { app: AppRecord; webhook: ConversationsWebhookRecord; events: SunshineEvent[]; timer: NodeJS.Timeout }>();

  constructor(
    private readonly runner: DeliveryRunner,
    private readonly validator: SpecValidator,
    private readonly reportViolation: ViolationReporter,
    options: ConversationsDeliveryOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [60_000, 120_000, 240_000, 480_000];
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.batchWindowMs = options.batchWindowMs ?? 50;
  }

  publish(app: AppRecord, event: SunshineEvent): void {
    const webhook = app.webhook;
    const shaped = { ...event, payload: shapePayload(event.payload, webhook) };
    const issues = this.validator.validateWebhookEvent(shaped);
    if (issues.length > 0) this.reportViolation(`webhook event ${event.type}`, issues, shaped);
    if (!webhook.target || !webhook.triggers.includes(event.type)) return;

    const key = `${app.id}:${webhook.id}`;
    const batch = this.batches.get(key);
    if (batch) {
      batch.events.push(shaped);
      if (batch.events.length >= MAX_EVENTS_PER_POST) this.flush(key);
      return;
    }
    const timer = setTimeout(() => this.flush(key), this.batchWindowMs);
    this.batches.set(key, { app, webhook: { ...webhook }, events: [shaped], timer });
  }

  /** Sends whatever is waiting in batch windows now. */
  flushAll(): void {
    for (const key of [...this.batches.keys()]) this.flush(key);
  }

  close(): void {
    for (const batch of this.batches.values()) clearTimeout(batch.timer);
    this.batches.clear();
  }

  private flush(key: string): void {
    const batch = this.batches.get(key);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.batches.delete(key);
    const { app, webhook, events } = batch;
    const bodies =
      webhook.version === "v2"
        ? [{ events, body: JSON.stringify({ app: { id: app.id }, webhook: { id: webhook.id, version: "v2" }, events }) }]
        : toV1Payloads(app, events).map((p) => ({ events: [p.event], body: JSON.stringify(p.body) }));
    for (const { events: sent, body } of bodies) {
      this.runner.submit({
        kind: "conversations",
        webhookId: webhook.id,
        target: webhook.target,
        eventIds: sent.map((e) => e.id),
        eventTypes: sent.map((e) => e.type),
        timeoutMs: this.timeoutMs,
        buildRequest: () => ({
          headers: { "content-type": "application/json", "x-api-key": webhook.secret, "user-agent": "Zendesk-Sunshine-Conversations-Sandbox" },
          body,
        }),
        nextRetryDelay: (result: PostResult, attempt: number) => {
          if (result.status !== null && NON_RECOVERABLE.has(result.status)) return null;
          if (attempt >= SUNSHINE_MAX_TRIES) return null;
          return this.retryDelaysMs[Math.min(attempt - 1, this.retryDelaysMs.length - 1)] ?? 0;
        },
      });
    }
  }
}

/** Trims full users and full sources unless the webhook asked for them (includeFullUser / includeFullSource). */
function shapePayload(payload: Record<string, unknown>, webhook: ConversationsWebhookRecord): Record<string, unknown> {
  const copy = structuredClone(payload);
  for (const holder of [copy.message, copy.activity]) {
    if (typeof holder !== "object" || holder === null) continue;
    const { author, source } = holder as { author?: Record<string, unknown>; source?: Record<string, unknown> };
    const user = author?.user as Record<string, unknown> | undefined;
    if (author && user && !webhook.includeFullUser) {
      author.user = { id: user.id, ...(user.externalId !== undefined ? { externalId: user.externalId } : {}), authenticated: user.authenticated ?? false };
    }
    if (source && !webhook.includeFullSource) {
      delete source.client;
      delete source.device;
    }
  }
  return copy;
}
