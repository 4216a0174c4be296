import { hexSecret } from "../util/ids.ts";

export type ApiFaultMode = "429" | "500" | "hang";
export type WebhookFaultMode = "delay" | "duplicate" | "reorder";
export type WebhookKind = "conversations" | "status";

export interface ApiFaultInput {
  target: "api";
  mode: ApiFaultMode;
  count?: number;
  retryAfterSeconds?: number;
  /** An operationId (e.g. `PostMessage`) or a regular expression tested against the request path. */
  match?: string;
}

export interface WebhookFaultInput {
  target: "webhooks";
  mode: WebhookFaultMode;
  count?: number;
  /** For `delay`: how long to hold each delivery. For `reorder`: the longest wait for a later delivery (default 2000). */
  delayMs?: number;
  /** Limit to one webhook; both when left out. */
  webhook?: WebhookKind;
}

export type SmsFaultMode = "429" | "500";

/** Faults for the Twilio-compatible Messages API (`/2010-04-01/…`). */
export interface SmsFaultInput {
  target: "sms";
  mode: SmsFaultMode;
  count?: number;
  /** The `Retry-After` header of a 429, in seconds (default 1). */
  retryAfterSeconds?: number;
}

export type FaultInput = ApiFaultInput | WebhookFaultInput | SmsFaultInput;
export type Fault = FaultInput & { id: string; remaining: number };

/** Faults armed through the control API; each one fires for the next `count` matching calls. */
export class FaultRegistry {
  private faults: Fault[] = [];

  add(input: FaultInput): Fault {
    const fault = { ...input, id: hexSecret(6), remaining: Math.max(1, Math.floor(input.count ?? 1)) } as Fault;
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  takeApiFault(operationId: string | undefined, path: string): (ApiFaultInput & { id: string }) | undefined {
    const fault = this.faults.find((f): f is ApiFaultInput & Fault => f.target === "api" && matches(f.match, operationId, path));
    return fault ? this.consume(fault) : undefined;
  }

  takeWebhookFault(kind: WebhookKind): (WebhookFaultInput & { id: string }) | undefined {
    const fault = this.faults.find((f): f is WebhookFaultInput & Fault => f.target === "webhooks" && (f.webhook === undefined || f.webhook === kind));
    return fault ? this.consume(fault) : undefined;
  }

  takeSmsFault(): (SmsFaultInput & { id: string }) | undefined {
    const fault = this.faults.find((f): f is SmsFaultInput & Fault => f.target === "sms");
    return fault ? this.consume(fault) : undefined;
  }

  private consume<T extends Fault>(fault: T): T {
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }
}

function matches(match: string | undefined, operationId: string | undefined, path: string): boolean {
  if (match === undefined || match === "") return true;
  if (match === operationId) return true;
  try {
    return new RegExp(match).test(path);
  } catch {
    return false;
  }
}

export function parseFaultInput(body: unknown): FaultInput {
  if (typeof body !== "object" || body === null) throw new Error("A fault must be a JSON object");
  const input = body as Record<string, unknown>;
  const count = input.count === undefined ? 1 : Number(input.count);
  if (!Number.isFinite(count) || count < 1) throw new Error("count must be a positive number");
  if (input.target === "api") {
    if (!["429", "500", "hang"].includes(String(input.mode))) throw new Error('api faults take mode "429", "500" or "hang"');
    return {
      target: "api",
      mode: String(input.mode) as ApiFaultMode,
      count,
      ...(input.retryAfterSeconds !== undefined ? { retryAfterSeconds: Number(input.retryAfterSeconds) } : {}),
      ...(typeof input.match === "string" ? { match: input.match } : {}),
    };
  }
  if (input.target === "webhooks") {
    if (!["delay", "duplicate", "reorder"].includes(String(input.mode))) throw new Error('webhook faults take mode "delay", "duplicate" or "reorder"');
    if (input.webhook !== undefined && input.webhook !== "conversations" && input.webhook !== "status") throw new Error('webhook must be "conversations" or "status"');
    return {
      target: "webhooks",
      mode: String(input.mode) as WebhookFaultMode,
      count,
      ...(input.delayMs !== undefined ? { delayMs: Number(input.delayMs) } : {}),
      ...(input.webhook !== undefined ? { webhook: input.webhook as WebhookKind } : {}),
    };
  }
  if (input.target === "sms") {
    if (!["429", "500"].includes(String(input.mode))) throw new Error('sms faults take mode "429" or "500"');
    const retryAfterSeconds = input.retryAfterSeconds === undefined ? undefined : Number(input.retryAfterSeconds);
    if (retryAfterSeconds !== undefined && (!Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0)) throw new Error("retryAfterSeconds must be a number of seconds");
    return {
      target: "sms",
      mode: String(input.mode) as SmsFaultMode,
      count,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  throw new Error('target must be "api", "webhooks" or "sms"');
}
