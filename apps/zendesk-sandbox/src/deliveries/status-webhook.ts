import { createHmac } from "node:crypto";
import type { TicketStatusSink } from "../domain/event-sink.ts";
import type { AppRecord, TicketRecord, TicketStatus } from "../state/model.ts";
import { uuid } from "../util/ids.ts";
import { isoSeconds } from "../util/time.ts";
import type { DeliveryRunner } from "./delivery-runner.ts";
import type { PostResult } from "./http-post.ts";

export interface StatusDeliveryOptions {
  /** Zendesk gives up on a response after about 10 s (PROTOCOL §3.6, 3P). */
  timeoutMs?: number;
  /** Gaps before retries after a 409 or a timeout. */
  retryDelaysMs?: number[];
  /** How long one second of `retry-after` lasts; lower it in tests. Default 1000. */
  retryAfterUnitMs?: number;
}

export const ZENDESK_EVENT_VERSION = "2022-11-06";
const MAX_409_RETRIES = 3;
const MAX_TIMEOUT_RETRIES = 5;
const MAX_RETRY_AFTER_RETRIES = 3;
const RETRY_AFTER_LIMIT_SECONDS = 60;

/** base64(HMAC-SHA256(key = signing secret as text, message = timestamp + raw body)), PROTOCOL §3.3. */
export function zendeskSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return createHmac("sha256", signingSecret).update(timestamp + rawBody).digest("base64");
}

/**
 * A Zendesk events webhook subscribed to "Status changed" (`zen:event-type:ticket.status_changed`):
 * one POST per change with Zendesk's fixed payload, its headers, optional signature, and
 * Zendesk's retry rules (PROTOCOL §3.2–3.6).
 */
export class StatusWebhookDispatcher implements TicketStatusSink {
  private readonly timeoutMs: number;
  private readonly retryDelaysMs: number[];
  private readonly retryAfterUnitMs: number;
  private invocationCounter = 8_350_205_000 + Math.floor(Math.random() * 100_000);

  constructor(
    private readonly runner: DeliveryRunner,
    options: StatusDeliveryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryDelaysMs = options.retryDelaysMs ?? [5_000, 15_000, 30_000, 60_000, 120_000];
    this.retryAfterUnitMs = options.retryAfterUnitMs ?? 1000;
  }

  statusChanged(app: AppRecord, ticket: TicketRecord, previous: TicketStatus): void {
    const webhook = app.statusWebhook;
    if (!webhook?.target) return;
    const body = JSON.stringify(statusChangedEvent(app, ticket, previous));
    const eventId = (JSON.parse(body) as { id: string }).id;
    const invocationId = String(++this.invocationCounter);
    let retries409 = 0;
    let retriesTimeout = 0;
    let retriesRetryAfter = 0;

    this.runner.submit({
      kind: "status",
      webhookId: webhook.id,
      target: webhook.target,
      eventIds: [eventId],
      eventTypes: ["zen:event-type:ticket.status_changed"],
      timeoutMs: this.timeoutMs,
      buildRequest: () => {
        const headers: Record<string, string> = {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Zendesk Webhook",
          "x-zendesk-account-id": String(app.accountId),
          "x-zendesk-webhook-id": webhook.id,
          "x-zendesk-webhook-invocation-id": invocationId,
          [webhook.auth.headerName.toLowerCase()]: webhook.auth.value,
        };
        if (webhook.signingSecret) {
          const timestamp = isoSeconds();
          headers["x-zendesk-webhook-signature-timestamp"] = timestamp;
          headers["x-zendesk-webhook-signature"] = zendeskSignature(webhook.signingSecret, timestamp, body);
        }
        return { headers, body };
      },
      nextRetryDelay: (result: PostResult) => {
        const delay = (n: number) => this.retryDelaysMs[Math.min(n, this.retryDelaysMs.length - 1)] ?? 0;
        if (result.timedOut) return retriesTimeout < MAX_TIMEOUT_RETRIES ? delay(retriesTimeout++) : null;
        if (result.status === 409) return retries409 < MAX_409_RETRIES ? delay(retries409++) : null;
        if (result.status === 429 || result.status === 503) {
          const seconds = parseRetryAfter(result.retryAfter);
          if (seconds === null || seconds >= RETRY_AFTER_LIMIT_SECONDS || retriesRetryAfter >= MAX_RETRY_AFTER_RETRIES) return null;
          retriesRetryAfter++;
          return seconds * this.retryAfterUnitMs;
        }
        return null;
      },
    });
  }
}

export function statusChangedEvent(app: AppRecord, ticket: TicketRecord, previous: TicketStatus): Record<string, unknown> {
  const id = (value: number | string | null) => (value === null ? null : String(value));
  return {
    type: "zen:event-type:ticket.status_changed",
    account_id: app.accountId,
    id: uuid(),
    time: new Date().toISOString(),
    zendesk_event_version: ZENDESK_EVENT_VERSION,
    subject: `zen:ticket:${ticket.id}`,
    detail: {
      actor_id: id(ticket.assigneeId) ?? "-1",
      assignee_id: id(ticket.assigneeId),
      brand_id: id(ticket.brandId),
      created_at: ticket.createdAt,
      custom_status: null,
      description: ticket.description,
      external_id: null,
      form_id: id(ticket.formId),
      group_id: id(ticket.groupId),
      id: String(ticket.id),
      is_public: true,
      organization_id: id(ticket.organizationId),
      priority: ticket.priority ? ticket.priority.toUpperCase() : null,
      requester_id: String(ticket.requester.id),
      status: ticket.status.toUpperCase(),
      subject: ticket.subject,
      submitter_id: String(ticket.requester.id),
      tags: [...ticket.tags],
      type: null,
      updated_at: ticket.updatedAt,
      via: { channel: ticket.via.channel },
    },
    event: { previous: previous.toUpperCase(), current: ticket.status.toUpperCase() },
  };
}

/** `retry-after` in seconds, or an HTTP date converted to seconds from now. */
function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}
