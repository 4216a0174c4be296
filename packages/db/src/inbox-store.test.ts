import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { InboxStore, type NewInboxEvent } from "./inbox-store.ts";
import { openTestDatabase } from "./testing.ts";

describe(`inbox group commit (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  const writes: number[] = [];
  let inbox: InboxStore;
  beforeAll(async () => {
    db = await openTestDatabase();
    // Counts the insert statements while letting them through to the real database.
    const counting = {
      inboxEvent: {
        createManyAndReturn: (args: { data: unknown[] }) => {
          writes.push(args.data.length);
          return db.prisma.inboxEvent.createManyAndReturn(args as never);
        },
      },
    } as unknown as PrismaClient;
    inbox = new InboxStore(counting);
  });
  afterAll(() => db?.close());

  const event = (eventId: string, extra: Partial<NewInboxEvent> = {}): NewInboxEvent => ({
    projectId: "PROJECT-0000abcd",
    source: "sunshine",
    eventId,
    eventType: "message",
    routingKey: "hs_1",
    verification: "ok",
    status: "pending",
    payload: { n: eventId },
    occurredAt: new Date(),
    ...extra,
  });

  it("writes deliveries that arrive together in one statement, and tells each caller how many of its own were new", async () => {
    await inbox.store([event("old-1")]);
    writes.length = 0;
    const deliveries = Array.from({ length: 40 }, (_, i) => [event(`e-${i}`), event(i % 10 === 0 ? "old-1" : `f-${i}`)]);
    // A redelivery racing its first delivery inside the same batch.
    deliveries.push([event("e-0")]);
    const stored = await Promise.all(deliveries.map((d) => inbox.store(d)));
    expect(writes).toEqual([81]);
    expect(stored.slice(0, 40)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 10 === 0 ? 1 : 2)));
    expect(stored[40]).toBe(0);
    expect(await db.prisma.inboxEvent.count()).toBe(1 + 40 + 36);
  });

  it("fails only the delivery that cannot be written, not the ones batched with it", async () => {
    writes.length = 0;
    const good = [inbox.store([event("g-1")]), inbox.store([event("g-2")])];
    const bad = inbox.store([event("b-1", { occurredAt: new Date(Number.NaN) })]);
    await expect(bad).rejects.toThrow();
    expect(await Promise.all(good)).toEqual([1, 1]);
    expect(writes[0]).toBe(3);
    expect(await db.prisma.inboxEvent.count({ where: { eventId: { in: ["g-1", "g-2", "b-1"] } } })).toBe(2);
  });

  it("answers only once its rows are durable", async () => {
    const stored = await inbox.store([event("d-1")]);
    expect(stored).toBe(1);
    expect(await db.prisma.inboxEvent.findFirst({ where: { eventId: "d-1" }, select: { status: true } })).toEqual({ status: "pending" });
  });
});
