import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { newId } from "./ids.ts";

export type InboxSource = "sunshine" | "ticket_status" | "sms";
export type InboxStatus = "pending" | "processed" | "ignored" | "failed" | "rejected";

export interface NewInboxEvent {
  projectId: string;
  source: InboxSource;
  eventId: string;
  eventType: string;
  routingKey: string | null;
  verification: string;
  status: InboxStatus;
  outcome?: string | null;
  payload?: Prisma.InputJsonValue | null;
  occurredAt?: Date | null;
  ackLatencyMs?: number | null;
}

export interface InboxEventRow {
  id: string;
  projectId: string;
  source: InboxSource;
  eventId: string;
  eventType: string;
  routingKey: string | null;
  status: InboxStatus;
  payload: Prisma.JsonValue;
  occurredAt: Date | null;
  receivedAt: Date;
  attempts: number;
}

const ROW_SELECT = {
  id: true,
  projectId: true,
  source: true,
  eventId: true,
  eventType: true,
  routingKey: true,
  status: true,
  payload: true,
  occurredAt: true,
  receivedAt: true,
  attempts: true,
} as const;

type InboxInsert = Prisma.InboxEventCreateManyInput & { id: string };

interface WaitingWrite {
  rows: InboxInsert[];
  resolve(stored: number): void;
  reject(err: unknown): void;
}

/** Rows written in one statement at most; a larger backlog goes out in several. */
const MAX_ROWS_PER_WRITE = 500;

/**
 * Inbound deliveries, stored before they are acknowledged and processed from here.
 *
 * Deliveries that arrive together are written together: each `store` joins the batch of the
 * current event-loop turn, and one multi-row insert makes them all durable (group commit). Each
 * caller still waits for its own rows to be written before it answers its delivery.
 */
export class InboxStore {
  private waiting: WaitingWrite[] = [];
  private flushScheduled = false;

  constructor(private readonly prisma: PrismaClient) {}

  /** Stores events; an event id already stored for the project and source is skipped. Returns how many were new. */
  store(events: NewInboxEvent[]): Promise<number> {
    if (events.length === 0) return Promise.resolve(0);
    const rows = events.map(toInsert);
    return new Promise<number>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush() {
    this.flushScheduled = false;
    let batch: WaitingWrite[] = [];
    let size = 0;
    for (const write of this.waiting.splice(0)) {
      if (size > 0 && size + write.rows.length > MAX_ROWS_PER_WRITE) {
        void this.write(batch);
        batch = [];
        size = 0;
      }
      batch.push(write);
      size += write.rows.length;
    }
    if (batch.length > 0) void this.write(batch);
  }

  private async write(batch: WaitingWrite[]) {
    try {
      const inserted = await this.prisma.inboxEvent.createManyAndReturn({ data: batch.flatMap((w) => w.rows), skipDuplicates: true, select: { id: true } });
      const ids = new Set(inserted.map((r) => r.id));
      for (const w of batch) w.resolve(w.rows.filter((r) => ids.has(r.id)).length);
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One delivery's failure must not fail the others written with it: write each on its own.
      await Promise.all(batch.map((w) => this.write([w])));
    }
  }

  /** The oldest pending event for a routing key (by when it happened, then when it arrived). */
  async nextPending(routingKey: string): Promise<InboxEventRow | null> {
    return (await this.prisma.inboxEvent.findFirst({
      where: { routingKey, status: "pending" },
      orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }],
      select: ROW_SELECT,
    })) as InboxEventRow | null;
  }

  async finish(id: string, status: Exclude<InboxStatus, "pending">, outcome: string, error?: string) {
    const row = await this.prisma.inboxEvent.update({
      where: { id },
      data: { status, outcome: outcome.slice(0, 200), error: error?.slice(0, 1000) ?? null, processedAt: new Date(), attempts: { increment: 1 } },
      select: { id: true },
    });
    return row;
  }

  async recordFailure(id: string, error: string) {
    await this.prisma.inboxEvent.update({ where: { id }, data: { attempts: { increment: 1 }, error: error.slice(0, 1000) }, select: { id: true } });
  }

  /** Routing keys that still have pending events older than `olderThan` (recovery after a crash). */
  async keysWithPending(olderThan: Date, limit = 500): Promise<string[]> {
    const rows = await this.prisma.inboxEvent.findMany({
      where: { status: "pending", receivedAt: { lt: olderThan }, routingKey: { not: null } },
      distinct: ["routingKey"],
      select: { routingKey: true },
      take: limit,
    });
    return rows.map((r) => r.routingKey!).filter(Boolean);
  }

  async recent(projectId: string, limit = 100) {
    return this.prisma.inboxEvent.findMany({
      where: { projectId },
      orderBy: { receivedAt: "desc" },
      take: limit,
      select: { id: true, source: true, eventId: true, eventType: true, verification: true, status: true, outcome: true, receivedAt: true, processedAt: true, ackLatencyMs: true, error: true, routingKey: true },
    });
  }
}

function toInsert(e: NewInboxEvent): InboxInsert {
  return {
    id: newId("in"),
    projectId: e.projectId,
    source: e.source,
    eventId: e.eventId,
    eventType: e.eventType.slice(0, 200),
    routingKey: e.routingKey,
    verification: e.verification,
    status: e.status,
    outcome: e.outcome ?? null,
    payload: e.payload ?? undefined,
    occurredAt: e.occurredAt ?? null,
    ackLatencyMs: e.ackLatencyMs ?? null,
  };
}
