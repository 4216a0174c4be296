import { afterEach, describe, expect, it } from "vitest";
import { control, startHarness, type Harness } from "./helpers/harness.ts";

describe("webhook deliveries and retries", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    expect(h?.sandbox.specViolations).toEqual([]);
    await h?.close();
    h = undefined;
  });

  async function conversationWithMessage(harness: Harness): Promise<string> {
    const user = await harness.api.createUser(`u-${Math.random()}`);
    const conversation = await harness.api.createConversation(user);
    await harness.api.postText(conversation, { type: "business" }, "ping");
    return conversation;
  }

  const attemptsFor = (harness: Harness, webhook: "conversations" | "status") =>
    harness.sandbox.deliveries().filter((d) => d.webhook === webhook).reverse();

  it("retries a 500 with growing gaps and logs every attempt", async () => {
    h = await startHarness();
    h.receiver.script("/events", { status: 500 }, { status: 500 }, { status: 200 });
    await conversationWithMessage(h);
    await h.sandbox.idle();
    const attempts = attemptsFor(h, "conversations");
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 500, "retrying"],
      [2, 500, "retrying"],
      [3, 200, "delivered"],
    ]);
    expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(1);
    expect(attempts[0]!.nextRetryAt).not.toBeNull();
    expect(attempts[2]!.nextRetryAt).toBeNull();
    expect(attempts[0]!.eventTypes).toEqual(["conversation:message"]);
    const bodies = h.receiver.on("/events").map((r) => r.rawBody);
    expect(new Set(bodies).size).toBe(1);
    const gaps = h.receiver.on("/events").map((r, i, all) => (i === 0 ? 0 : r.receivedAt - all[i - 1]!.receivedAt));
    expect(gaps[2]!).toBeGreaterThanOrEqual(gaps[1]! - 5);
    const log = (await control(h.sandbox, "GET", "/deliveries")).body.deliveries;
    expect(log[0]).toMatchObject({ attempt: 3, status: 200 });
  });

  it("gives up after 5 tries", async () => {
    h = await startHarness();
    h.receiver.script("/events", ...Array.from({ length: 6 }, () => ({ status: 503 })));
    await conversationWithMessage(h);
    await h.sandbox.idle();
    expect(attemptsFor(h, "conversations").map((a) => a.outcome)).toEqual(["retrying", "retrying", "retrying", "retrying", "failed"]);
  });

  it.each([400, 401, 403, 404, 406])("never retries a %i", async (status) => {
    h = await startHarness();
    h.receiver.script("/events", { status });
    await conversationWithMessage(h);
    await h.sandbox.idle();
    expect(attemptsFor(h, "conversations").map((a) => [a.status, a.outcome])).toEqual([[status, "failed"]]);
  });

  it("counts no answer within the timeout as a failure and retries", async () => {
    h = await startHarness({ delivery: { timeoutMs: 150, retryDelaysMs: [10], batchWindowMs: 5 } });
    h.receiver.script("/events", { hang: true });
    await conversationWithMessage(h);
    await h.sandbox.idle();
    const attempts = attemptsFor(h, "conversations");
    expect(attempts[0]).toMatchObject({ attempt: 1, status: null, outcome: "retrying" });
    expect(attempts[0]!.error).toMatch(/timeout/);
    expect(attempts[1]).toMatchObject({ attempt: 2, status: 200, outcome: "delivered" });
  });

  it("batches events published close together, across conversations, into one POST", async () => {
    h = await startHarness({ delivery: { batchWindowMs: 100, retryDelaysMs: [10], timeoutMs: 400 } });
    const a = await h.api.createConversation(await h.api.createUser("batch-a"));
    const b = await h.api.createConversation(await h.api.createUser("batch-b"));
    await Promise.all([h.api.postText(a, { type: "business" }, "to a"), h.api.postText(b, { type: "business" }, "to b")]);
    await h.sandbox.idle();
    const posts = h.receiver.on("/events");
    expect(posts).toHaveLength(1);
    const events = (posts[0]!.json as { events: { payload: { conversation: { id: string } } }[] }).events;
    expect(events.map((e) => e.payload.conversation.id).sort()).toEqual([a, b].sort());
  });

  it("delivers only subscribed triggers and follows webhook edits", async () => {
    h = await startHarness();
    await control(h.sandbox, "PATCH", "/webhook", { triggers: ["switchboard:passControl"] });
    const conversation = await conversationWithMessage(h);
    await h.api.call("POST", `/conversations/${conversation}/passControl`, { switchboardIntegration: "zd-agentWorkspace" });
    await h.sandbox.idle();
    expect(h.receiver.events().map((e) => e.type)).toEqual(["switchboard:passControl"]);
    const bad = await control(h.sandbox, "PATCH", "/webhook", { triggers: ["not:a:trigger"] });
    expect(bad.status).toBe(400);
  });

  it("includes the full user only when includeFullUser is on", async () => {
    h = await startHarness({}, { includeFullUser: true });
    const user = await h.api.createUser("full-user", { givenName: "Grace", email: "grace@example.com" });
    const conversation = await h.api.createConversation(user);
    await h.api.postText(conversation, { type: "user", userId: user }, "hi");
    await h.sandbox.idle();
    const author = h.receiver.events()[0]!.payload.message.author;
    expect(author.user).toMatchObject({ id: user, externalId: "full-user", profile: { givenName: "Grace", email: "grace@example.com" } });
  });

  it("sends the legacy v1 shape when the webhook is set to v1", async () => {
    h = await startHarness({}, { webhookVersion: "v1" });
    await conversationWithMessage(h);
    await h.sandbox.idle();
    const body = h.receiver.on("/events")[0]!.json as Record<string, any>;
    expect(body).toMatchObject({ trigger: "message:appMaker", version: "v1.1", app: { _id: h.setup.appId } });
    expect(body.messages[0]).toMatchObject({ text: "ping", role: "appMaker" });
  });
});

describe("status webhook retry rules (Zendesk events)", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function solveTicket(harness: Harness): Promise<void> {
    const user = await harness.api.createUser(`s-${Math.random()}`);
    const conversation = await harness.api.createConversation(user);
    await harness.api.call("POST", `/conversations/${conversation}/passControl`, { switchboardIntegration: "zd-agentWorkspace" });
    const ticket = harness.sandbox.listTickets()[0]!;
    harness.sandbox.setStatus(ticket.id, "solved");
    await harness.sandbox.idle();
  }

  const statusAttempts = (harness: Harness) =>
    harness.sandbox
      .deliveries()
      .filter((d) => d.webhook === "status")
      .reverse()
      .map((d) => d.status ?? "timeout");

  it("retries a 409 up to 3 times", async () => {
    h = await startHarness();
    h.receiver.script("/status", ...Array.from({ length: 5 }, () => ({ status: 409 })));
    await solveTicket(h);
    expect(statusAttempts(h)).toEqual([409, 409, 409, 409]);
    const invocationIds = new Set(h.receiver.on("/status").map((r) => r.headers["x-zendesk-webhook-invocation-id"]));
    expect(invocationIds.size).toBe(1);
  });

  it("retries 429 and 503 only when retry-after is under 60 seconds", async () => {
    h = await startHarness();
    h.receiver.script("/status", { status: 429, headers: { "retry-after": "2" } }, { status: 503, headers: { "retry-after": "1" } }, { status: 200 });
    await solveTicket(h);
    expect(statusAttempts(h)).toEqual([429, 503, 200]);
    const gap = h.receiver.on("/status")[1]!.receivedAt - h.receiver.on("/status")[0]!.receivedAt;
    expect(gap).toBeGreaterThanOrEqual(15);
  });

  it("does not retry a 429 with a long retry-after, nor one without it", async () => {
    h = await startHarness();
    h.receiver.script("/status", { status: 429, headers: { "retry-after": "120" } });
    await solveTicket(h);
    expect(statusAttempts(h)).toEqual([429]);
    await h.close();
    h = await startHarness();
    h.receiver.script("/status", { status: 503 });
    await solveTicket(h);
    expect(statusAttempts(h)).toEqual([503]);
  });

  it("retries timeouts and does not retry other errors", async () => {
    h = await startHarness({ statusDelivery: { timeoutMs: 150, retryDelaysMs: [10] } });
    h.receiver.script("/status", { hang: true }, { status: 200 });
    await solveTicket(h);
    expect(statusAttempts(h)).toEqual(["timeout", 200]);
    await h.close();
    h = await startHarness();
    h.receiver.script("/status", { status: 500 });
    await solveTicket(h);
    expect(statusAttempts(h)).toEqual([500]);
  });

  it("can run unsigned with a custom API-key header", async () => {
    h = await startHarness({}, { signing: false, statusHeaderName: "X-Polyai-Key" });
    await solveTicket(h);
    const request = h.receiver.on("/status")[0]!;
    expect(request.headers["x-polyai-key"]).toBe(h.setup.statusHeaderValue);
    expect(request.headers["x-zendesk-webhook-signature"]).toBeUndefined();
  });
});
