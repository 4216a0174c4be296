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

/** Inbound deliveries, stored before they are acknowledged and processed from here. */
export class InboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores events; an event id already stored for the project and source is skipped. Returns how many were new. */
  async store(events: NewInboxEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const { count } = await this.prisma.inboxEvent.createMany({
      data: events.map((e) => ({
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
      })),
      skipDuplicates: true,
    });
    return count;
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
