import type { FaultRegistry, WebhookKind } from "../faults/fault-registry.ts";
import { hexSecret } from "../util/ids.ts";
import type { LogFn } from "../util/log.ts";
import { sleep } from "../util/time.ts";
import type { DeliveryAttempt, DeliveryLog } from "./delivery-log.ts";
import { postWithTimeout, type PostResult } from "./http-post.ts";

/** A webhook call to make, with its own retry rules. */
export interface OutboundDelivery {
  kind: WebhookKind;
  webhookId: string;
  target: string;
  eventIds: string[];
  eventTypes: string[];
  timeoutMs: number;
  /** Built per attempt: the status webhook signs every attempt with a fresh timestamp. */
  buildRequest(attempt: number): { headers: Record<string, string>; body: string };
  /** Milliseconds to wait before the next attempt, or null to stop. */
  nextRetryDelay(result: PostResult, attempt: number): number | null;
}

const DEFAULT_REORDER_HOLD_MS = 2000;

/**
 * Sends webhook deliveries with retries and logs every attempt. Armed webhook faults act here:
 * `delay` holds a delivery, `duplicate` sends it a second time, `reorder` holds it until the
 * next delivery of the same webhook has gone out.
 */
export class DeliveryRunner {
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly held = new Map<WebhookKind, (() => void)[]>();

  constructor(
    private readonly log: DeliveryLog,
    private readonly faults: FaultRegistry,
    private readonly logLine: LogFn,
  ) {}

  submit(delivery: OutboundDelivery): void {
    const fault = this.faults.takeWebhookFault(delivery.kind);
    const task = this.runWithFault(delivery, fault?.mode, fault?.delayMs).catch((error: unknown) => {
      this.logLine(`delivery to ${delivery.target} crashed: ${String(error)}`);
    });
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  /** Resolves once every delivery, retries included, has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    this.closing.abort();
    for (const releases of this.held.values()) for (const release of releases) release();
    this.held.clear();
  }

  private async runWithFault(delivery: OutboundDelivery, mode: string | undefined, delayMs: number | undefined): Promise<void> {
    const deliveryId = hexSecret(8);
    if (mode === "delay") {
      await sleep(delayMs ?? 1000, this.closing.signal);
      return this.attempts(delivery, deliveryId, `delayed ${delayMs ?? 1000} ms (fault)`);
    }
    if (mode === "duplicate") {
      await this.attempts(delivery, deliveryId, undefined);
      return this.attempts(delivery, hexSecret(8), "duplicate (fault)");
    }
    if (mode === "reorder") {
      await this.holdUntilNextDelivery(delivery.kind, delayMs ?? DEFAULT_REORDER_HOLD_MS);
      return this.attempts(delivery, deliveryId, "reordered (fault)");
    }
    await this.attempts(delivery, deliveryId, undefined, () => this.releaseHeld(delivery.kind));
  }

  private holdUntilNextDelivery(kind: WebhookKind, maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        const list = this.held.get(kind) ?? [];
        this.held.set(kind, list.filter((r) => r !== release));
        resolve();
      };
      const timer = setTimeout(release, maxWaitMs);
      this.held.set(kind, [...(this.held.get(kind) ?? []), release]);
    });
  }

  private releaseHeld(kind: WebhookKind): void {
    for (const release of this.held.get(kind) ?? []) release();
  }

  private async attempts(delivery: OutboundDelivery, deliveryId: string, note: string | undefined, afterFirstAttempt?: () => void): Promise<void> {
    for (let attempt = 1; !this.closing.signal.aborted; attempt++) {
      const { headers, body } = delivery.buildRequest(attempt);
      const time = new Date();
      const result = await postWithTimeout(delivery.target, headers, body, delivery.timeoutMs, this.closing.signal);
      if (attempt === 1) afterFirstAttempt?.();
      if (this.closing.signal.aborted) return;
      const delivered = result.status !== null && result.status >= 200 && result.status < 300;
      const wait = delivered ? null : delivery.nextRetryDelay(result, attempt);
      const entry: DeliveryAttempt = {
        deliveryId,
        time: time.toISOString(),
        webhook: delivery.kind,
        webhookId: delivery.webhookId,
        target: delivery.target,
        eventIds: delivery.eventIds,
        eventTypes: delivery.eventTypes,
        attempt,
        status: result.status,
        error: result.error,
        latencyMs: result.latencyMs,
        outcome: delivered ? "delivered" : wait === null ? "failed" : "retrying",
        nextRetryAt: wait === null ? null : new Date(Date.now() + wait).toISOString(),
        ...(note ? { note } : {}),
      };
      this.log.record(entry);
      if (!delivered) this.logLine(`${delivery.kind} webhook attempt ${attempt} → ${result.status ?? result.error}${wait === null ? " (giving up)" : `, retry in ${wait} ms`}`);
      if (wait === null) return;
      await sleep(wait, this.closing.signal);
    }
  }
}
