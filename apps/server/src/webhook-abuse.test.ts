import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { widgetClientMessage } from "@zm/contracts";
import { signStatusWebhook } from "@zm/zendesk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT, startHandoffStack, type HandoffStack } from "./test/handoff-stack.ts";
import { AUTH_FAILURE_LIMIT } from "./webhooks.ts";
import { TOO_MANY_FRAMES_MESSAGE } from "./widget-socket.ts";

/** Bad input against the webhook routes: nothing crashes, nothing leaks between tenants. */
let stack: HandoffStack;
beforeAll(async () => {
  stack = await startHandoffStack();
});
afterAll(() => stack?.close());

const base = () => `${stack.url}/handoff/webhooks/zendesk/PLATFORM/${PROJECT}/live`;

function postEvents(body: string, apiKey = stack.setup.webhookSecret) {
  return fetch(`${base()}/events`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": apiKey }, body });
}

function postStatus(body: string) {
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return fetch(`${base()}/status`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [stack.setup.statusHeaderName]: stack.setup.statusHeaderValue,
      "x-zendesk-webhook-signature-timestamp": timestamp,
      "x-zendesk-webhook-signature": signStatusWebhook(stack.setup.signingSecret!, timestamp, body),
    },
    body,
  });
}

describe("fuzzing the webhook routes (fixed seed)", () => {
  it("answers arbitrary JSON on the events route with 200 or 400, never 5xx", async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }),
          fc.record({ app: fc.record({ id: fc.constant(stack.setup.appId) }), webhook: fc.record({ id: fc.constant(stack.setup.webhookId), version: fc.string() }), events: fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 5 }) }),
        ),
        async (value) => {
          const res = await postEvents(JSON.stringify(value) ?? "null");
          statuses.add(res.status);
          return res.status === 200 || res.status === 400 || res.status === 401;
        },
      ),
      { seed: 20261125, numRuns: 150 },
    );
    expect([...statuses].every((s) => s < 500)).toBe(true);
    expect(statuses.has(200)).toBe(true);
  });

  it("answers arbitrary signed bodies on the status route with 200 or 400, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v) ?? "null"), fc.string()), async (body) => {
        const res = await postStatus(body);
        return res.status === 200 || res.status === 400;
      }),
      { seed: 20261125, numRuns: 150 },
    );
  });

  it("survives deep nesting and odd encodings", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect([200, 400]).toContain((await postEvents(deep)).status);
    expect((await postEvents("\u0000\uFFFF{")).status).toBe(400);
    expect((await postEvents("")).status).toBe(400);
  });
});

describe("fuzzing the widget socket (fixed seed)", () => {
  it("answers every frame it cannot use with bad_request and stays open and usable", async () => {
    const widget = await stack.openWidget();
    const frames = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
        fc.record({ type: fc.constantFrom("hello", "send", "ping", "HELLO", ""), text: fc.jsonValue({ maxDepth: 2 }), afterSeq: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: ["type"] }).map((v) => JSON.stringify(v)),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
      ),
      { seed: 20261125, numRuns: 300 },
    );
    let expectedBadRequests = 0;
    let expectedPongs = 0;
    let written = 0;
    const pongs = () => widget.events.filter((e) => e.type === "pong").length;
    // A ping after every 30 frames, waited for, keeps the socket's backlog under its cap.
    const checkpoint = async () => {
      widget.raw(JSON.stringify({ type: "ping" }));
      expectedPongs++;
      await widget.waitFor(() => pongs() === expectedPongs, 20_000);
    };
    for (const frame of frames) {
      let value: unknown;
      try {
        value = JSON.parse(frame);
        const parsed = widgetClientMessage.safeParse(value);
        // A well-formed send would be stored and answered by the AI agent: not what this run is about.
        if (parsed.success && parsed.data.type === "send") continue;
        if (!parsed.success || parsed.data.type === "hello") expectedBadRequests++;
        else expectedPongs++;
      } catch {
        expectedBadRequests++;
      }
      widget.raw(frame);
      if (++written % 30 === 0) await checkpoint();
    }
    await checkpoint();
    const errors = widget.events.filter((e) => e.type === "error");
    expect(errors.filter((e) => e.type === "error" && e.code === "bad_request")).toHaveLength(expectedBadRequests);
    expect(errors).toHaveLength(expectedBadRequests);
    expect(widget.isOpen).toBe(true);
    await widget.say("still here?");
    expect(widget.messages.some((m) => m.text === "still here?")).toBe(true);
  });
});

describe("a widget socket flooded with frames", () => {
  it("answers every frame, refuses those past its backlog at once by name, and stays usable", async () => {
    const widget = await stack.openWidget();
    const ids = Array.from({ length: 200 }, (_, i) => `flood-${i}`);
    for (const [i, id] of ids.entries()) widget.raw(JSON.stringify({ type: "send", clientMessageId: id, text: `flood ${i}` }));
    const answered = () => ids.filter((id) => widget.events.some((e) => (e.type === "ack" || e.type === "error") && e.clientMessageId === id));
    await widget.waitFor(() => answered().length === ids.length, 30_000);
    const errors = widget.events.filter((e) => e.type === "error");
    const overflow = errors.filter((e) => e.type === "error" && e.message === TOO_MANY_FRAMES_MESSAGE);
    expect(overflow.length).toBeGreaterThan(0);
    expect(overflow.every((e) => e.type === "error" && e.code === "rate_limited" && ids.includes(e.clientMessageId ?? ""))).toBe(true);
    // At most the per-socket send limit got through; the rest were answered, not dropped silently.
    expect(widget.events.filter((e) => e.type === "ack").length).toBeLessThanOrEqual(30);
    expect(widget.isOpen).toBe(true);
    widget.raw(JSON.stringify({ type: "ping" }));
    await widget.waitFor((e) => e.type === "pong");
  });
});

describe("tenant isolation", () => {
  it("refuses another project's secret, both ways", async () => {
    const other = "PROJECT-0000cafe";
    const otherSecret = randomBytes(16).toString("hex");
    await stack.services.db.prisma.project.create({ data: { id: other, name: "Other tenant" } });
    await stack.services.zendeskConnections.save(
      other,
      "u-admin",
      { subdomain: "other", appId: "a".repeat(24), integrationId: "b".repeat(24), webhookId: "c".repeat(24), apiKeyId: "int_other", statusAuthHeaderName: "X-API-Key", switchboardTarget: "zd-agentWorkspace" },
      { sharedSecret: otherSecret, apiKeySecret: "k", webhookSecretKey: "w" },
      "zendesk.connect",
    );
    const envelope = (appId: string, webhookId: string) => JSON.stringify({ app: { id: appId }, webhook: { id: webhookId, version: "v2" }, events: [] });
    expect((await postEvents(envelope("a".repeat(24), "c".repeat(24)), otherSecret)).status).toBe(401);
    const intoOther = await fetch(`${stack.url}/handoff/webhooks/zendesk/PLATFORM/${other}/live/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": stack.setup.webhookSecret },
      body: envelope(stack.setup.appId, stack.setup.webhookId),
    });
    expect(intoOther.status).toBe(401);
  });
});

describe("script and SQL in message text", () => {
  it("are stored and relayed as plain text", async () => {
    const widget = await stack.openWidget();
    await widget.say("talk to a human");
    await stack.settle();
    const hostile = `<script>alert("x")</script>'; DROP TABLE "ChatMessage"; --`;
    await widget.say(hostile);
    await stack.settle();
    const conversationId = widget.welcome!.conversationId;
    const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId } });
    const visible = stack.sandbox.conversationMessages(session.zendeskConversationId!) as Array<{ content?: { text?: string } }>;
    expect(visible.some((m) => m.content?.text === hostile)).toBe(true);
    expect(await stack.services.db.prisma.chatMessage.count()).toBeGreaterThan(0);
  });
});

describe("repeated failed authentication", () => {
  it("is refused with 429 once an address passes the limit", async () => {
    const statuses: number[] = [];
    // Earlier tests in this file failed on purpose from the same address.
    await stack.services.rateLimiter.reset("authfail:zendesk:127.0.0.1");
    try {
      for (let i = 0; i < AUTH_FAILURE_LIMIT.count + 2; i++) {
        const res = await postEvents("{}", randomBytes(8).toString("hex"));
        statuses.push(res.status);
      }
      // Even the right secret is refused from that address for a while.
      statuses.push((await postEvents(JSON.stringify({ app: { id: stack.setup.appId }, webhook: { id: stack.setup.webhookId, version: "v2" }, events: [] }))).status);
    } finally {
      await stack.services.rateLimiter.reset("authfail:zendesk:127.0.0.1");
    }
    expect(statuses.slice(0, AUTH_FAILURE_LIMIT.count).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(AUTH_FAILURE_LIMIT.count)).toEqual([429, 429, 429]);
  });
});
