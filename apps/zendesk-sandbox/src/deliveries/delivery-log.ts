import type { WebhookKind } from "../faults/fault-registry.ts";

/** Zendesk's two webhooks, and the SMS provider's calls (incoming messages and status callbacks). */
export type LoggedWebhook = WebhookKind | "sms";

/** One HTTP attempt, like a row of Zendesk's Integrations > Logs / webhook activity. */
export interface DeliveryAttempt {
  deliveryId: string;
  time: string;
  webhook: LoggedWebhook;
  webhookId: string;
  target: string;
  eventIds: string[];
  eventTypes: string[];
  attempt: number;
  status: number | null;
  error: string | null;
  latencyMs: number;
  outcome: "delivered" | "retrying" | "failed";
  nextRetryAt: string | null;
  /** Why the attempt looks unusual, e.g. a fault that delayed or duplicated it. */
  note?: string;
}

const MAX_ENTRIES = 2000;

export class DeliveryLog {
  private entries: DeliveryAttempt[] = [];
  private listeners = new Set<(entry: DeliveryAttempt) => void>();

  record(entry: DeliveryAttempt): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    for (const listener of this.listeners) listener(entry);
  }

  /** Newest first. */
  list(): DeliveryAttempt[] {
    return [...this.entries].reverse();
  }

  clear(): void {
    this.entries = [];
  }

  onRecord(listener: (entry: DeliveryAttempt) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
