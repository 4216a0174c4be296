import { zendeskIntegrationOptions } from "@zm/contracts";
import { SunshineApiError, SunshineTransportError } from "@zm/zendesk";
import { describe, expect, it } from "vitest";
import { backoffMs, DEFAULT_TUNING } from "./deps.ts";
import { classifyError } from "./outbox-worker.ts";
import { passControlMetadata, transcriptText } from "./start-handoff.ts";
import { canMove, isLive, statesBefore, TRANSITIONS } from "./state-machine.ts";
import { widgetStateOf } from "./views.ts";

describe("session state machine", () => {
  it("allows only forward moves and ends in final states", () => {
    expect(canMove("handoff_requested", "waiting_for_agent")).toBe(true);
    expect(canMove("waiting_for_agent", "with_agent")).toBe(true);
    expect(canMove("with_agent", "waiting_for_agent")).toBe(false);
    expect(canMove("ended", "with_agent")).toBe(false);
    expect(TRANSITIONS.ended).toEqual([]);
    expect(TRANSITIONS.failed).toEqual([]);
    expect(statesBefore("ended").sort()).toEqual(["handoff_requested", "waiting_for_agent", "with_agent"]);
    expect(["handoff_requested", "waiting_for_agent", "with_agent"].every((s) => isLive(s as never))).toBe(true);
    expect(isLive("ended") || isLive("failed")).toBe(false);
  });

  it("shows the end user connecting, with the agent, or the AI agent", () => {
    expect(widgetStateOf(null)).toBe("bot");
    expect(widgetStateOf({ state: "handoff_requested" })).toBe("connecting");
    expect(widgetStateOf({ state: "waiting_for_agent" })).toBe("connecting");
    expect(widgetStateOf({ state: "with_agent" })).toBe("with_agent");
    expect(widgetStateOf({ state: "ended" })).toBe("bot");
  });
});

const session = {
  id: "hs_abc",
  projectId: "PROJECT-00000001",
  conversationId: "conv_1",
  state: "handoff_requested" as const,
  sessionTag: "handoff_abc",
  routing: { tags: ["vip"], priority: "high", group_id: "42", brand_id: "7", requester_name: "Ada", requester_email: "ada@example.com", custom_fields: { "360001": "gold", "360002": 3 } },
  zendeskUserId: null,
  zendeskConversationId: null,
  firstMessageId: null,
  ticketId: null,
  agentName: null,
  lastAgentMessageAt: null,
  endReason: null,
  waitNoticeSentAt: null,
  lastActivityAt: new Date(),
  endedAt: null,
  createdAt: new Date(),
};

describe("passControl metadata", () => {
  it("maps the designer's routing fields to Agent Workspace's dataCapture keys", () => {
    expect(passControlMetadata(session, "msg_1", "webchat")).toEqual({
      first_message_id: "msg_1",
      "dataCapture.systemField.tags": "zm_handoff,handoff_abc,vip",
      "dataCapture.systemField.requester.name": "Ada",
      "dataCapture.systemField.requester.email": "ada@example.com",
      "dataCapture.systemField.priority": "high",
      "dataCapture.systemField.group_id": "42",
      "dataCapture.systemField.brand_id": "7",
      "dataCapture.ticketField.360001": "gold",
      "dataCapture.ticketField.360002": 3,
      origin_source_type: "web",
      handoff_session: "hs_abc",
    });
  });

  it("stays flat and within Sunshine's 4 KB metadata limit for the largest routing the schema accepts", () => {
    // Grow the routing until the schema refuses it; the last accepted one is the worst case.
    let fields = 0;
    const routingWith = (n: number) => ({
      tags: Array.from({ length: 20 }, (_, i) => `t${i}_${"x".repeat(40)}`),
      custom_fields: Object.fromEntries(Array.from({ length: n }, (_, i) => [`${3600000000 + i}`, "v".repeat(30)])),
      requester_name: "N".repeat(100),
      requester_email: "someone.with.a.long.address@example.com",
    });
    while (zendeskIntegrationOptions.safeParse(routingWith(fields + 1)).success) fields += 1;
    const metadata = passControlMetadata({ ...session, routing: routingWith(fields) }, "0123456789abcdef01234567", "sms");
    expect(Object.values(metadata).every((v) => ["string", "number", "boolean"].includes(typeof v))).toBe(true);
    expect(metadata.origin_source_type).toBe("sms");
    expect(Buffer.byteLength(JSON.stringify(metadata))).toBeLessThanOrEqual(4096);
  });
});

describe("transcript for the agent", () => {
  it("labels who said what and leaves out status lines", () => {
    const at = new Date();
    const rows = [
      { role: "bot", text: "Hi!", mediaUrl: null },
      { role: "user", text: "Help", mediaUrl: "https://x.test/p.png" },
      { role: "system", text: "Connecting you to an agent...", mediaUrl: null },
    ].map((m, i) => ({ ...m, id: `m${i}`, conversationId: "c", seq: i + 1, authorName: null, sentAt: at, clientMessageId: null, externalId: null, handoffSessionId: null })) as never;
    expect(transcriptText(rows, "webchat")).toBe(
      ["Conversation handed over by the virtual assistant (webchat). Transcript so far:", "", "Assistant: Hi!", "Customer: Help [https://x.test/p.png]"].join("\n"),
    );
  });
});

describe("retries", () => {
  it("backs off with jitter, doubling up to the cap", () => {
    const max = (attempt: number) => backoffMs(attempt, DEFAULT_TUNING, () => 0.999999);
    expect(max(1)).toBeLessThanOrEqual(DEFAULT_TUNING.retryBaseMs);
    expect(max(3)).toBeLessThanOrEqual(DEFAULT_TUNING.retryBaseMs * 4);
    expect(max(30)).toBeLessThanOrEqual(DEFAULT_TUNING.retryMaxMs);
    expect(backoffMs(5, DEFAULT_TUNING, () => 0)).toBeGreaterThan(0);
  });

  it("retries what may pass later, gives up on what will not", () => {
    const api = (status: number, retryable: boolean) =>
      Object.assign(Object.create(SunshineApiError.prototype) as SunshineApiError, { status, code: "x", title: "t", retryable, retryAfterMs: status === 429 ? 3000 : undefined, message: "m" });
    expect(classifyError(api(429, true))).toMatchObject({ kind: "retry", retryAfterMs: 3000 });
    expect(classifyError(api(503, true)).kind).toBe("retry");
    expect(classifyError(api(400, false))).toMatchObject({ kind: "give_up", error: "400 x: t" });
    const transport = Object.assign(Object.create(SunshineTransportError.prototype) as SunshineTransportError, { retryable: true, message: "timeout" });
    expect(classifyError(transport).kind).toBe("retry");
  });
});

describe("draining on shutdown", () => {
  it("stops between two inbox events once the queue is closing and leaves the rest pending", async () => {
    const { drainInbox } = await import("./inbox-worker.ts");
    const pending = ["in_1", "in_2", "in_3"].map((id) => ({ id, source: "sunshine", routingKey: "hs_gone", attempts: 0, payload: {} }));
    const finished: string[] = [];
    const queue = { closing: false };
    const ctx = {
      queue,
      inbox: {
        nextPending: async () => pending.find((row) => !finished.includes(row.id)) ?? null,
        finish: async (id: string) => {
          finished.push(id);
          // close() is called while the first event is being finished.
          queue.closing = true;
        },
      },
      sessions: { get: async () => null },
    };
    await drainInbox(ctx as never, "hs_gone");
    expect(finished).toEqual(["in_1"]);
  });
});
