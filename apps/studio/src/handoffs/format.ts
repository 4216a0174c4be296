import type { DeliveryStatus, HandoffStateName, OutboxStatusName } from "@zm/contracts";

// Type-only imports from @zm/contracts: the logs pages need its shapes, not zod at runtime.

export type BadgeTone = "ok" | "muted" | "warn" | "error";

export const STATE_LABELS = {
  handoff_requested: "Requested",
  waiting_for_agent: "Waiting for agent",
  with_agent: "With agent",
  ended: "Ended",
  failed: "Failed",
} as const satisfies Record<HandoffStateName, string>;

export const STATE_TONES = {
  handoff_requested: "warn",
  waiting_for_agent: "warn",
  with_agent: "ok",
  ended: "muted",
  failed: "error",
} as const satisfies Record<HandoffStateName, BadgeTone>;

export const DELIVERY_STATUS_TONES = {
  pending: "warn",
  processed: "ok",
  ignored: "muted",
  failed: "error",
  rejected: "error",
} as const satisfies Record<DeliveryStatus, BadgeTone>;

export const OUTBOX_STATUS_TONES = {
  pending: "warn",
  done: "ok",
  failed: "error",
  cancelled: "muted",
} as const satisfies Record<OutboxStatusName, BadgeTone>;

/** Enough of a session id to tell sessions apart: its random tail (the head is a timestamp). */
export function shortId(sessionId: string): string {
  return sessionId.slice(-8);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatTime(epochMs: number): string {
  return timeOnly.format(new Date(epochMs));
}

/** Query-string filters: anything not in `allowed` reads as no filter. */
export function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((option) => option === value);
}
