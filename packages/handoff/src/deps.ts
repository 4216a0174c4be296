import type { AgentTopic } from "@zm/agent";
import type { HandoffSettings } from "@zm/contracts";
import type { ApiCallLog, ChatStore, HandoffStore, InboxStore, OutboxStore, PrismaClient, SmsConnections, ZendeskConnections } from "@zm/db";
import type { EventBus, KeyedJobQueue, Logger } from "@zm/queue";

export interface RuntimeLogger extends Logger {
  info(obj: object, msg: string): void;
}

/** Knobs with production defaults; tests shorten the waits. */
export interface Tuning {
  /** First retry delay of a failed outbound call; doubles up to retryMaxMs, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts at starting a hand-off before the session fails. */
  maxStartAttempts: number;
  /** Attempts at relaying one end-user message before it is given up (and logged). */
  maxMessageAttempts: number;
  /** Per-call timeout towards Zendesk. */
  zendeskTimeoutMs: number;
  /** Agent messages sent up to this long after the ticket was solved still reach the end user. */
  lateMessageGraceMs: number;
  /** How often stuck sessions and due outbox work are swept. */
  sweepIntervalMs: number;
}

export const DEFAULT_TUNING: Tuning = {
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  maxStartAttempts: 8,
  maxMessageAttempts: 10,
  zendeskTimeoutMs: 10_000,
  lateMessageGraceMs: 2_000,
  sweepIntervalMs: 5_000,
};

export interface Stores {
  prisma: PrismaClient;
  chats: ChatStore;
  sessions: HandoffStore;
  inbox: InboxStore;
  outbox: OutboxStore;
  apiCalls: ApiCallLog;
  connections: ZendeskConnections;
  smsConnections: SmsConnections;
}

export interface RuntimeDeps extends Stores {
  topics(projectId: string): Promise<AgentTopic[]>;
  settings(projectId: string): Promise<HandoffSettings>;
  queue: KeyedJobQueue;
  bus: EventBus;
  log: RuntimeLogger;
  /** Overrides https://<subdomain>.zendesk.com/sc (sandbox, tests). */
  zendeskApiBaseUrl?: string | undefined;
  /** Overrides https://api.twilio.com (sandbox, tests). */
  smsApiBaseUrl?: string | undefined;
  now?: () => Date;
  tuning?: Partial<Tuning>;
}

/** Full jitter backoff: a random delay up to base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, tuning: Tuning, random = Math.random): number {
  const ceiling = Math.min(tuning.retryMaxMs, tuning.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(tuning.retryBaseMs / 2, Math.round(random() * ceiling));
}
