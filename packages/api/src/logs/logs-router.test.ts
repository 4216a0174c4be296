import { TRPCError } from "@trpc/server";
import { LOG_TEXT_LIMIT } from "@zm/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, OTHER_PROJECT, PROJECT, type Harness } from "../test/harness.ts";
import { decodeCursor, encodeCursor } from "./paging.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  const p = h.services.db.prisma;
  await p.handoffTransition.deleteMany({});
  await p.handoffSession.deleteMany({});
  await p.inboxEvent.deleteMany({});
  await p.outboxMessage.deleteMany({});
  await p.apiCall.deleteMany({});
  await p.chatMessage.deleteMany({});
  await p.conversation.deleteMany({});
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

/** Planted in every payload column; no logs output may ever contain it. */
const PAYLOAD_SECRET = "sk_live_FAKE-payload-secret-42";
const T0 = new Date("2026-03-01T10:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let seq = 0;
const nextId = (prefix: string) => `${prefix}_${String(++seq).padStart(6, "0")}`;

async function seedConversation(projectId = PROJECT, channel: "webchat" | "sms" = "webchat") {
  const id = nextId("conv");
  await h.services.db.prisma.conversation.create({ data: { id, projectId, channel, channelKey: channel === "sms" ? `+15550100${seq}|+15550199` : null } });
  return id;
}

async function seedMessage(conversationId: string, messageSeq: number, role: "user" | "bot" | "agent" | "system", text: string, handoffSessionId: string | null = null) {
  const id = nextId("msg");
  await h.services.db.prisma.chatMessage.create({
    data: { id, conversationId, seq: messageSeq, role, text, sentAt: at(messageSeq), handoffSessionId, authorName: role === "agent" ? "Jane Agent" : null },
  });
  return id;
}

interface SessionSeed {
  projectId?: string;
  conversationId?: string;
  state?: "handoff_requested" | "waiting_for_agent" | "with_agent" | "ended" | "failed";
  createdAt?: Date;
  id?: string;
}

async function seedSession(seed: SessionSeed = {}) {
  const projectId = seed.projectId ?? PROJECT;
  const conversationId = seed.conversationId ?? (await seedConversation(projectId));
  const id = seed.id ?? nextId("hs");
  const state = seed.state ?? "waiting_for_agent";
  const over = state === "ended" || state === "failed";
  await h.services.db.prisma.handoffSession.create({
    data: {
      id,
      projectId,
      conversationId,
      state,
      sessionTag: `handoff_${id.toLowerCase().replace(/[^a-z0-9]/g, "")}`,
      routing: { tags: ["vip"], requester_email: "ann@example.com" },
      createdAt: seed.createdAt ?? T0,
      endReason: state === "ended" ? "ticket_solved" : state === "failed" ? "zendesk_refused" : null,
      endedAt: over ? at(600) : null,
      ticketId: "4242",
      agentName: state === "with_agent" || state === "ended" ? "Jane Agent" : null,
    },
  });
  return { id, conversationId, projectId };
}

/** A session with one of everything, payloads carrying PAYLOAD_SECRET. */
async function seedBusySession(projectId = PROJECT) {
  const p = h.services.db.prisma;
  const session = await seedSession({ projectId, state: "ended" });
  await p.handoffTransition.createMany({
    data: [
      { id: nextId("tr"), sessionId: session.id, fromState: "bot", toState: "handoff_requested", cause: "topic:topic_human", at: at(1) },
      { id: nextId("tr"), sessionId: session.id, fromState: "handoff_requested", toState: "waiting_for_agent", cause: "passed_control_to_agent_workspace", at: at(2) },
      { id: nextId("tr"), sessionId: session.id, fromState: "waiting_for_agent", toState: "ended", cause: "ticket_solved", at: at(600) },
    ],
  });
  await seedMessage(session.conversationId, 1, "bot", "Hi! I'm the virtual assistant.");
  await seedMessage(session.conversationId, 2, "user", "talk to a human");
  await seedMessage(session.conversationId, 3, "system", "Connecting you to an agent...", session.id);
  await seedMessage(session.conversationId, 4, "user", "<b>my order</b> <script>alert(1)</script>", session.id);
  await seedMessage(session.conversationId, 5, "agent", "Hi, Jane here.", session.id);
  await seedMessage(session.conversationId, 6, "agent", "Solved it.", session.id);
  await seedMessage(session.conversationId, 7, "bot", "Anything else?");
  await p.outboxMessage.createMany({
    data: [
      { id: nextId("out"), projectId, orderingKey: session.id, target: "zendesk", kind: "zendesk.start_handoff", payload: { sessionId: session.id }, status: "done", attempts: 1, createdAt: at(1) },
      {
        id: nextId("out"),
        projectId,
        orderingKey: session.id,
        target: "zendesk",
        kind: "zendesk.post_user_message",
        payload: { sessionId: session.id, text: PAYLOAD_SECRET },
        status: "done",
        attempts: 2,
        createdAt: at(4),
      },
      {
        id: nextId("out"),
        projectId,
        orderingKey: session.id,
        target: "zendesk",
        kind: "zendesk.post_user_message",
        payload: { sessionId: session.id, text: PAYLOAD_SECRET },
        status: "failed",
        attempts: 5,
        lastError: `Zendesk answered 500: ${"x".repeat(900)}`,
        createdAt: at(5),
      },
    ],
  });
  await p.inboxEvent.createMany({
    data: [
      {
        id: nextId("in"),
        projectId,
        source: "sunshine",
        eventId: nextId("evt"),
        eventType: "conversation:message",
        routingKey: session.id,
        verification: "ok",
        status: "processed",
        outcome: "delivered to the end user",
        payload: { raw: { headers: { "x-api-key": PAYLOAD_SECRET } } },
        receivedAt: at(5),
        ackLatencyMs: 12,
        processedAt: at(6),
        attempts: 1,
      },
      {
        id: nextId("in"),
        projectId,
        source: "ticket_status",
        eventId: nextId("evt"),
        eventType: "ticket.status_changed",
        routingKey: session.id,
        verification: "ok",
        status: "failed",
        outcome: "processing failed",
        error: `boom ${"y".repeat(900)}`,
        payload: { secret: PAYLOAD_SECRET },
        receivedAt: at(600),
        ackLatencyMs: 8,
        attempts: 3,
      },
    ],
  });
  await p.apiCall.createMany({
    data: [
      { id: nextId("call"), projectId, sessionId: session.id, target: "zendesk", operation: "passControl", status: 200, attempt: 1, latencyMs: 40, at: at(2) },
      { id: nextId("call"), projectId, sessionId: session.id, target: "zendesk", operation: "postMessage", status: 500, attempt: 1, latencyMs: 90, errorCode: "internal_error", at: at(5) },
      { id: nextId("call"), projectId, sessionId: session.id, target: "zendesk", operation: "postMessage", status: null, attempt: 2, latencyMs: 10000, errorCode: "timeout", at: at(6) },
    ],
  });
  return session;
}

async function seedRejectedDelivery(projectId = PROJECT, receivedAt = at(700)) {
  await h.services.db.prisma.inboxEvent.create({
    data: {
      id: nextId("in"),
      projectId,
      source: "sunshine",
      eventId: `rejected:${nextId("r")}`,
      eventType: "unverified delivery",
      verification: "bad_api_key",
      status: "rejected",
      outcome: "refused with 401",
      ackLatencyMs: 41,
      receivedAt,
      payload: { body: PAYLOAD_SECRET },
    },
  });
}

describe("authorisation matrix", () => {
  type Who = "admin" | "designer" | "outsider" | "signedOut";
  const userOf = (who: Who) => (who === "signedOut" ? null : h.users[who]);
  const procedures = {
    listSessions: (who: Who) => h.callerFor(userOf(who)).logs.listSessions({ projectId: PROJECT }),
    getSession: async (who: Who) => {
      const { id } = await seedSession();
      return h.callerFor(userOf(who)).logs.getSession({ projectId: PROJECT, sessionId: id });
    },
    listDeliveries: (who: Who) => h.callerFor(userOf(who)).logs.listDeliveries({ projectId: PROJECT }),
    listCalls: (who: Who) => h.callerFor(userOf(who)).logs.listCalls({ projectId: PROJECT }),
  };
  const expected: Record<Who, string> = { admin: "OK", designer: "OK", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" };
  for (const name of Object.keys(procedures) as Array<keyof typeof procedures>) {
    for (const [who, code] of Object.entries(expected) as Array<[Who, string]>) {
      it(`${name} as ${who} → ${code}`, async () => {
        expect(await codeOf(procedures[name](who))).toBe(code);
      });
    }
  }
});

describe("cross-project isolation", () => {
  it("another project's session is NOT_FOUND through this project, and its rows never appear in this project's lists", async () => {
    const theirs = await seedBusySession(OTHER_PROJECT);
    await seedRejectedDelivery(OTHER_PROJECT);
    const admin = h.callerFor(h.users.admin);
    expect(await codeOf(admin.logs.getSession({ projectId: PROJECT, sessionId: theirs.id }))).toBe("NOT_FOUND");
    expect(await admin.logs.listSessions({ projectId: PROJECT })).toEqual({ items: [], nextCursor: null });
    expect(await admin.logs.listDeliveries({ projectId: PROJECT })).toEqual({ items: [], nextCursor: null });
    expect(await admin.logs.listCalls({ projectId: PROJECT })).toEqual({ items: [], nextCursor: null });
  });

  it("the other project's admin cannot read this project's session with their own project id", async () => {
    const ours = await seedBusySession(PROJECT);
    const outsider = h.callerFor(h.users.outsider);
    expect(await codeOf(outsider.logs.getSession({ projectId: OTHER_PROJECT, sessionId: ours.id }))).toBe("NOT_FOUND");
    expect((await outsider.logs.listSessions({ projectId: OTHER_PROJECT })).items).toEqual([]);
    expect((await outsider.logs.listCalls({ projectId: OTHER_PROJECT })).items).toEqual([]);
  });

  it("a session of this project shows only this project's rows, even where another project's rows share its key", async () => {
    const ours = await seedSession({ state: "with_agent" });
    const p = h.services.db.prisma;
    // Keys are session ids, unique in practice; the query still scopes by project.
    await p.inboxEvent.create({
      data: { id: nextId("in"), projectId: OTHER_PROJECT, source: "sunshine", eventId: "e-other", eventType: "conversation:message", routingKey: ours.id, verification: "ok", status: "processed" },
    });
    await p.outboxMessage.create({
      data: { id: nextId("out"), projectId: OTHER_PROJECT, orderingKey: ours.id, target: "zendesk", kind: "zendesk.post_user_message", payload: {}, status: "done" },
    });
    await p.apiCall.create({ data: { id: nextId("call"), projectId: OTHER_PROJECT, sessionId: ours.id, target: "zendesk", operation: "postMessage", status: 201, attempt: 1, latencyMs: 5 } });
    const detail = await h.callerFor(h.users.admin).logs.getSession({ projectId: PROJECT, sessionId: ours.id });
    expect(detail.inboxEvents.items).toEqual([]);
    expect(detail.outboxMessages.items).toEqual([]);
    expect(detail.apiCalls.items).toEqual([]);
  });
});

describe("no payloads or raw bodies", () => {
  it("never returns a stored payload from any procedure, whatever the filter", async () => {
    const session = await seedBusySession();
    await seedRejectedDelivery();
    const admin = h.callerFor(h.users.admin);
    const outputs: unknown[] = [
      await admin.logs.getSession({ projectId: PROJECT, sessionId: session.id }),
      await admin.logs.listSessions({ projectId: PROJECT }),
      await admin.logs.listCalls({ projectId: PROJECT }),
      await admin.logs.listCalls({ projectId: PROJECT, failedOnly: true }),
      await admin.logs.listDeliveries({ projectId: PROJECT }),
    ];
    for (const status of ["pending", "processed", "ignored", "failed", "rejected"] as const) {
      outputs.push(await admin.logs.listDeliveries({ projectId: PROJECT, status }));
    }
    for (const source of ["sunshine", "ticket_status", "sms"] as const) {
      outputs.push(await admin.logs.listDeliveries({ projectId: PROJECT, source }));
    }
    // The planted value is really there, so its absence below means something.
    expect(JSON.stringify(await h.services.db.prisma.inboxEvent.findMany({ select: { payload: true } }))).toContain(PAYLOAD_SECRET);
    const everything = JSON.stringify(outputs);
    expect(everything).not.toContain(PAYLOAD_SECRET);
    expect(everything).not.toContain('"payload"');
    expect(everything).not.toContain('"routing"');
    expect(everything).not.toContain("ann@example.com");
  });

  it("truncates errors to the logs limit", async () => {
    const session = await seedBusySession();
    const detail = await h.callerFor(h.users.admin).logs.getSession({ projectId: PROJECT, sessionId: session.id });
    const failedCall = detail.outboxMessages.items.find((m) => m.status === "failed")!;
    expect(failedCall.lastError).toHaveLength(LOG_TEXT_LIMIT);
    expect(failedCall.lastError!.startsWith("Zendesk answered 500: xxx")).toBe(true);
    expect(failedCall.lastError!.endsWith("…")).toBe(true);
    const failedEvent = detail.inboxEvents.items.find((e) => e.status === "failed")!;
    expect(failedEvent.error).toHaveLength(LOG_TEXT_LIMIT);
  });
});

describe("getSession", () => {
  it("returns the session, its transitions with causes, events, calls with attempts, and the transcript up to its end", async () => {
    const session = await seedBusySession();
    const detail = await h.callerFor(h.users.designer).logs.getSession({ projectId: PROJECT, sessionId: session.id });
    expect(detail.session).toMatchObject({
      id: session.id,
      conversationId: session.conversationId,
      channel: "webchat",
      state: "ended",
      endReason: "ticket_solved",
      agentName: "Jane Agent",
      ticketId: "4242",
      createdAt: T0.toISOString(),
      endedAt: at(600).toISOString(),
      messagesToAgent: 1,
      messagesToEndUser: 2,
    });
    expect(detail.transitions).toEqual([
      { fromState: "bot", toState: "handoff_requested", cause: "topic:topic_human", at: at(1).toISOString() },
      { fromState: "handoff_requested", toState: "waiting_for_agent", cause: "passed_control_to_agent_workspace", at: at(2).toISOString() },
      { fromState: "waiting_for_agent", toState: "ended", cause: "ticket_solved", at: at(600).toISOString() },
    ]);
    expect(detail.inboxEvents.items.map((e) => [e.eventType, e.status, e.ackLatencyMs, e.sessionId])).toEqual([
      ["conversation:message", "processed", 12, session.id],
      ["ticket.status_changed", "failed", 8, session.id],
    ]);
    expect(detail.outboxMessages.items.map((m) => [m.kind, m.status, m.attempts])).toEqual([
      ["zendesk.start_handoff", "done", 1],
      ["zendesk.post_user_message", "done", 2],
      ["zendesk.post_user_message", "failed", 5],
    ]);
    expect(detail.apiCalls.items.map((c) => [c.operation, c.status, c.attempt, c.errorCode])).toEqual([
      ["passControl", 200, 1, null],
      ["postMessage", 500, 1, "internal_error"],
      ["postMessage", null, 2, "timeout"],
    ]);
    // Up to the session's last message: the AI agent's answer after it is another story.
    expect(detail.transcript.items.map((m) => [m.seq, m.role, m.duringHandoff])).toEqual([
      [1, "bot", false],
      [2, "user", false],
      [3, "system", true],
      [4, "user", true],
      [5, "agent", true],
      [6, "agent", true],
    ]);
    expect(detail.transcript.items[3]!.text).toBe("<b>my order</b> <script>alert(1)</script>");
    expect(detail.transcript.truncated).toBe(false);
    for (const list of [detail.inboxEvents, detail.outboxMessages, detail.apiCalls]) expect(list.truncated).toBe(false);
  });

  it("includes an SMS session's texts to the end user, but not the AI agent's texts on the same number", async () => {
    const p = h.services.db.prisma;
    const conversationId = await seedConversation(PROJECT, "sms");
    const session = await seedSession({ conversationId, state: "with_agent", createdAt: at(10) });
    const botBefore = await seedMessage(conversationId, 1, "bot", "How can I help?");
    const agentReply = await seedMessage(conversationId, 2, "agent", "Jane here", session.id);
    const botAfter = await seedMessage(conversationId, 3, "bot", "unrelated");
    const sms = (chatMessageId: string, createdAt: Date) => ({
      id: nextId("out"),
      projectId: PROJECT,
      orderingKey: `sms:${conversationId}`,
      target: "sms",
      kind: "sms.send",
      payload: { conversationId, chatMessageId, text: PAYLOAD_SECRET },
      status: "done",
      attempts: 1,
      createdAt,
    });
    await p.outboxMessage.createMany({ data: [sms(botBefore, at(1)), sms(agentReply, at(20)), sms(botAfter, at(21))] });
    const detail = await h.callerFor(h.users.admin).logs.getSession({ projectId: PROJECT, sessionId: session.id });
    expect(detail.session.channel).toBe("sms");
    expect(detail.outboxMessages.items.map((m) => [m.target, m.kind, m.createdAt])).toEqual([["sms", "sms.send", at(20).toISOString()]]);
    expect(JSON.stringify(detail)).not.toContain(PAYLOAD_SECRET);
  });

  it("refuses a malformed session id and reports an unknown one as NOT_FOUND", async () => {
    const admin = h.callerFor(h.users.admin);
    expect(await codeOf(admin.logs.getSession({ projectId: PROJECT, sessionId: "../../etc" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.logs.getSession({ projectId: PROJECT, sessionId: "hs_doesnotexist" }))).toBe("NOT_FOUND");
  });

  it("caps long lists to the newest rows and says so", async () => {
    const session = await seedSession({ state: "with_agent" });
    await h.services.db.prisma.apiCall.createMany({
      data: Array.from({ length: 205 }, (_, i) => ({
        id: `call_${String(i).padStart(4, "0")}`,
        projectId: PROJECT,
        sessionId: session.id,
        target: "zendesk",
        operation: "postMessage",
        status: 201,
        attempt: 1,
        latencyMs: i,
        at: at(i),
      })),
    });
    const detail = await h.callerFor(h.users.admin).logs.getSession({ projectId: PROJECT, sessionId: session.id });
    expect(detail.apiCalls.truncated).toBe(true);
    expect(detail.apiCalls.items).toHaveLength(200);
    expect(detail.apiCalls.items[0]!.latencyMs).toBe(5);
    expect(detail.apiCalls.items.at(-1)!.latencyMs).toBe(204);
  });
});

describe("listSessions", () => {
  it("lists newest first with channel, agent, ticket and relay counts, filtered by state group", async () => {
    const busy = await seedBusySession();
    const waiting = await seedSession({ state: "waiting_for_agent", createdAt: at(100) });
    const requested = await seedSession({ state: "handoff_requested", createdAt: at(200) });
    const failed = await seedSession({ state: "failed", createdAt: at(300) });
    const admin = h.callerFor(h.users.admin);
    const all = await admin.logs.listSessions({ projectId: PROJECT });
    expect(all.items.map((s) => s.id)).toEqual([failed.id, requested.id, waiting.id, busy.id]);
    expect(all.nextCursor).toBeNull();
    expect(all.items.at(-1)).toEqual({
      id: busy.id,
      conversationId: busy.conversationId,
      channel: "webchat",
      state: "ended",
      endReason: "ticket_solved",
      agentName: "Jane Agent",
      ticketId: "4242",
      createdAt: T0.toISOString(),
      endedAt: at(600).toISOString(),
      messagesToAgent: 1,
      messagesToEndUser: 2,
    });
    const ids = async (state: "live" | "ended" | "failed") => (await admin.logs.listSessions({ projectId: PROJECT, state })).items.map((s) => s.id);
    expect(await ids("live")).toEqual([requested.id, waiting.id]);
    expect(await ids("ended")).toEqual([busy.id]);
    expect(await ids("failed")).toEqual([failed.id]);
  });

  it("pages with a cursor: no row twice, none skipped, ties on time broken by id, stable while new sessions arrive", async () => {
    const seeded: string[] = [];
    // Seven sessions, three of them created in the same millisecond.
    for (const [i, seconds] of [0, 1, 2, 2, 2, 3, 4].entries()) seeded.push((await seedSession({ id: `hs_page${i}`, createdAt: at(seconds) })).id);
    const admin = h.callerFor(h.users.admin);
    const first = await admin.logs.listSessions({ projectId: PROJECT, limit: 3 });
    expect(first.items.map((s) => s.id)).toEqual(["hs_page6", "hs_page5", "hs_page4"]);
    expect(first.nextCursor).not.toBeNull();
    // A hand-off starting between two page loads lands on top, not in the next page.
    await seedSession({ id: "hs_pagenew", createdAt: at(50) });
    const second = await admin.logs.listSessions({ projectId: PROJECT, limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((s) => s.id)).toEqual(["hs_page3", "hs_page2", "hs_page1"]);
    const third = await admin.logs.listSessions({ projectId: PROJECT, limit: 3, cursor: second.nextCursor! });
    expect(third.items.map((s) => s.id)).toEqual(["hs_page0"]);
    expect(third.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items, ...third.items].map((s) => s.id))).toEqual(new Set(seeded));
  });

  it("a null cursor is the first page, and an exactly full last page has no next cursor", async () => {
    for (let i = 0; i < 4; i++) await seedSession({ createdAt: at(i) });
    // What TanStack's infinite queries send for the first page.
    const page = await h.callerFor(h.users.admin).logs.listSessions({ projectId: PROJECT, limit: 4, cursor: null });
    expect(page.items).toHaveLength(4);
    expect(page.nextCursor).toBeNull();
  });

  it("refuses a forged cursor and a page size over 200", async () => {
    const admin = h.callerFor(h.users.admin);
    expect(await codeOf(admin.logs.listSessions({ projectId: PROJECT, cursor: "not-a-cursor" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.logs.listSessions({ projectId: PROJECT, cursor: Buffer.from("12:id' OR 1=1").toString("base64url") }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.logs.listSessions({ projectId: PROJECT, limit: 201 }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.logs.listSessions({ projectId: PROJECT, limit: 0 }))).toBe("BAD_REQUEST");
  });
});

describe("listDeliveries", () => {
  it("lists rejected deliveries with the verification reason and ack latency, filtered by status and source", async () => {
    const session = await seedBusySession();
    await seedRejectedDelivery();
    const admin = h.callerFor(h.users.admin);
    const all = await admin.logs.listDeliveries({ projectId: PROJECT });
    expect(all.items.map((d) => d.status)).toEqual(["rejected", "failed", "processed"]);
    const rejected = await admin.logs.listDeliveries({ projectId: PROJECT, status: "rejected" });
    expect(rejected.items).toHaveLength(1);
    expect(rejected.items[0]).toMatchObject({
      source: "sunshine",
      eventType: "unverified delivery",
      verification: "bad_api_key",
      status: "rejected",
      outcome: "refused with 401",
      ackLatencyMs: 41,
      receivedAt: at(700).toISOString(),
      processedAt: null,
      sessionId: null,
    });
    const statusEvents = await admin.logs.listDeliveries({ projectId: PROJECT, source: "ticket_status" });
    expect(statusEvents.items.map((d) => [d.eventType, d.sessionId])).toEqual([["ticket.status_changed", session.id]]);
    expect((await admin.logs.listDeliveries({ projectId: PROJECT, source: "sunshine", status: "processed" })).items).toHaveLength(1);
  });

  it("never exposes an SMS routing key (it holds phone numbers) as a session id", async () => {
    await h.services.db.prisma.inboxEvent.create({
      data: {
        id: nextId("in"),
        projectId: PROJECT,
        source: "sms",
        eventId: "SM123",
        eventType: "sms.received",
        routingKey: `sms:${PROJECT}:+15550100|+15550199`,
        verification: "ok",
        status: "processed",
      },
    });
    const page = await h.callerFor(h.users.admin).logs.listDeliveries({ projectId: PROJECT });
    expect(page.items[0]!.sessionId).toBeNull();
    expect(JSON.stringify(page)).not.toContain("+15550100");
  });

  it("pages through deliveries received in the same millisecond", async () => {
    for (let i = 0; i < 5; i++) await seedRejectedDelivery(PROJECT, at(1));
    const admin = h.callerFor(h.users.admin);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await admin.logs.listDeliveries({ projectId: PROJECT, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort().reverse()).toEqual(seen);
  });
});

describe("listCalls", () => {
  it("filters by target and keeps errors, error statuses and timeouts when failedOnly", async () => {
    const session = await seedBusySession();
    await h.services.db.prisma.apiCall.create({
      data: { id: nextId("call"), projectId: PROJECT, target: "sms", operation: "sendMessage", status: 201, attempt: 1, latencyMs: 30, at: at(50) },
    });
    const admin = h.callerFor(h.users.admin);
    const all = await admin.logs.listCalls({ projectId: PROJECT });
    expect(all.items.map((c) => [c.target, c.operation, c.status])).toEqual([
      ["sms", "sendMessage", 201],
      ["zendesk", "postMessage", null],
      ["zendesk", "postMessage", 500],
      ["zendesk", "passControl", 200],
    ]);
    expect(all.items[1]).toMatchObject({ sessionId: session.id, errorCode: "timeout", latencyMs: 10000, attempt: 2, at: at(6).toISOString() });
    expect((await admin.logs.listCalls({ projectId: PROJECT, target: "sms" })).items.map((c) => c.operation)).toEqual(["sendMessage"]);
    expect((await admin.logs.listCalls({ projectId: PROJECT, failedOnly: true })).items.map((c) => c.errorCode)).toEqual(["timeout", "internal_error"]);
    expect((await admin.logs.listCalls({ projectId: PROJECT, target: "sms", failedOnly: true })).items).toEqual([]);
  });

  it("pages with a cursor in combination with a filter", async () => {
    await h.services.db.prisma.apiCall.createMany({
      data: Array.from({ length: 6 }, (_, i) => ({
        id: `call_p${i}`,
        projectId: PROJECT,
        target: "zendesk",
        operation: "postMessage",
        status: i % 2 === 0 ? 429 : 201,
        attempt: 1,
        latencyMs: i,
        at: at(i),
      })),
    });
    const admin = h.callerFor(h.users.admin);
    const first = await admin.logs.listCalls({ projectId: PROJECT, failedOnly: true, limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual(["call_p4", "call_p2"]);
    const second = await admin.logs.listCalls({ projectId: PROJECT, failedOnly: true, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((c) => c.id)).toEqual(["call_p0"]);
    expect(second.nextCursor).toBeNull();
  });
});

describe("cursor encoding", () => {
  it("round-trips and refuses anything else", () => {
    const cursor = { at: at(3), id: "hs_abc-DEF_1" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of ["", "abc", Buffer.from("x:hs_1").toString("base64url"), Buffer.from("-5:hs_1").toString("base64url"), Buffer.from("5:").toString("base64url")]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});
