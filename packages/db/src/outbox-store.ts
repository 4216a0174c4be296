import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { newId } from "./ids.ts";

export type OutboxTarget = "zendesk" | "sms";
export type OutboxStatus = "pending" | "done" | "failed" | "cancelled";

export interface NewOutboxMessage {
  projectId: string;
  orderingKey: string;
  target: OutboxTarget;
  kind: string;
  payload: Prisma.InputJsonValue;
}

export interface OutboxRow {
  id: string;
  projectId: string;
  orderingKey: string;
  target: OutboxTarget;
  kind: string;
  payload: Prisma.JsonValue;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
}

const ROW_SELECT = {
  id: true,
  projectId: true,
  orderingKey: true,
  target: true,
  kind: true,
  payload: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  createdAt: true,
} as const;

type Db = PrismaClient | Prisma.TransactionClient;

/** Calls to make, durable and in order per key: a failing head blocks the calls behind it. */
export class OutboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  async add(message: NewOutboxMessage, tx: Db = this.prisma): Promise<string> {
    const id = newId("out");
    await tx.outboxMessage.create({ data: { id, ...message, status: "pending" }, select: { id: true } });
    return id;
  }

  /** The head of the key's queue: its oldest pending message. */
  async head(orderingKey: string): Promise<OutboxRow | null> {
    return (await this.prisma.outboxMessage.findFirst({
      where: { orderingKey, status: "pending" },
      orderBy: { position: "asc" },
      select: ROW_SELECT,
    })) as OutboxRow | null;
  }

  /** Records that an attempt starts; a crash after this means the call may have reached the provider. */
  async beginAttempt(id: string) {
    await this.prisma.outboxMessage.update({ where: { id }, data: { attempts: { increment: 1 } }, select: { id: true } });
  }

  async complete(id: string, resultRef?: string | null) {
    await this.prisma.outboxMessage.update({
      where: { id },
      data: { status: "done", doneAt: new Date(), resultRef: resultRef ?? null, lastError: null },
      select: { id: true },
    });
  }

  async retryLater(id: string, nextAttemptAt: Date, error: string) {
    await this.prisma.outboxMessage.update({ where: { id }, data: { nextAttemptAt, lastError: error.slice(0, 1000) }, select: { id: true } });
  }

  async fail(id: string, error: string) {
    await this.prisma.outboxMessage.update({
      where: { id },
      data: { status: "failed", doneAt: new Date(), lastError: error.slice(0, 1000) },
      select: { id: true },
    });
  }

  /** Drops what is still queued for a key (the session ended or failed). */
  async cancelPending(orderingKey: string, tx: Db = this.prisma): Promise<number> {
    const { count } = await tx.outboxMessage.updateMany({
      where: { orderingKey, status: "pending" },
      data: { status: "cancelled", doneAt: new Date() },
    });
    return count;
  }

  /** Keys whose head is due (recovery after a crash, and retries after a backoff). */
  async dueKeys(now: Date, limit = 500): Promise<string[]> {
    const rows = await this.prisma.outboxMessage.findMany({
      where: { status: "pending", nextAttemptAt: { lte: now } },
      distinct: ["orderingKey"],
      select: { orderingKey: true },
      take: limit,
    });
    return rows.map((r) => r.orderingKey);
  }

  async recent(projectId: string, limit = 100) {
    return this.prisma.outboxMessage.findMany({
      where: { projectId },
      orderBy: { position: "desc" },
      take: limit,
      select: { id: true, orderingKey: true, target: true, kind: true, status: true, attempts: true, lastError: true, createdAt: true, doneAt: true },
    });
  }
}

export interface ApiCallRecord {
  projectId: string;
  sessionId?: string | null;
  target: OutboxTarget;
  operation: string;
  status: number | null;
  attempt: number;
  latencyMs: number;
  errorCode?: string | null;
}

/** Each HTTP attempt made to a provider, for the logs page. Never holds request bodies or credentials. */
export class ApiCallLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(call: ApiCallRecord) {
    await this.prisma.apiCall.create({
      data: { id: newId("call"), ...call, sessionId: call.sessionId ?? null, errorCode: call.errorCode ?? null, latencyMs: Math.round(call.latencyMs) },
      select: { id: true },
    });
  }

  async recent(projectId: string, limit = 100) {
    return this.prisma.apiCall.findMany({ where: { projectId }, orderBy: { at: "desc" }, take: limit });
  }
}
