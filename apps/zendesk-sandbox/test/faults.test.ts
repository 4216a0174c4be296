import { afterEach, describe, expect, it } from "vitest";
import { control, startHarness, type Harness } from "./helpers/harness.ts";

describe("fault injection", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    expect(h?.sandbox.specViolations).toEqual([]);
    await h?.close();
    h = undefined;
  });

  it("answers the next matching API calls with 429 and Retry-After, then recovers", async () => {
    h = await startHarness();
    const armed = await control(h.sandbox, "POST", "/faults", { target: "api", mode: "429", count: 2, retryAfterSeconds: 3, match: "CreateUser" });
    expect(armed.status).toBe(201);
    expect((await control(h.sandbox, "GET", "/faults")).body.faults).toHaveLength(1);
    const other = await h.api.call("GET", "/users/nobody");
    expect(other.status).toBe(404);
    for (let i = 0; i < 2; i++) {
      const limited = await h.api.call("POST", "/users", { externalId: "rate-limited" });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("3");
      expect(limited.body).toEqual({ errors: [{ code: "too_many_requests", title: "Too many requests" }] });
    }
    expect((await h.api.call("POST", "/users", { externalId: "rate-limited" })).status).toBe(201);
    expect((await control(h.sandbox, "GET", "/faults")).body.faults).toEqual([]);
  });

  it("answers 500 for calls whose path matches a regular expression", async () => {
    h = await startHarness();
    const user = await h.api.createUser("five-hundred");
    const conversation = await h.api.createConversation(user);
    await control(h.sandbox, "POST", "/faults", { target: "api", mode: "500", match: "/messages$" });
    const failed = await h.api.call("POST", `/conversations/${conversation}/messages`, { author: { type: "business" }, content: { type: "text", text: "x" } });
    expect(failed).toMatchObject({ status: 500, body: { errors: [{ code: "internal_error" }] } });
    expect((await h.api.call("GET", `/conversations/${conversation}/messages`)).body.messages).toEqual([]);
  });

  it("hangs a call until the client gives up", async () => {
    h = await startHarness();
    await control(h.sandbox, "POST", "/faults", { target: "api", mode: "hang", match: "GetUser" });
    const started = Date.now();
    await expect(h.api.call("GET", "/users/anyone", undefined, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await h.api.call("GET", "/users/anyone")).status).toBe(404);
  });

  it("rejects malformed faults and clears them all", async () => {
    h = await startHarness();
    expect((await control(h.sandbox, "POST", "/faults", { target: "api", mode: "teapot" })).status).toBe(400);
    await control(h.sandbox, "POST", "/faults", { target: "api", mode: "500", count: 5 });
    expect((await control(h.sandbox, "DELETE", "/faults")).status).toBe(200);
    expect((await h.api.call("GET", "/users/x")).status).toBe(404);
  });

  async function sendThree(harness: Harness): Promise<string[]> {
    const conversation = await harness.api.createConversation(await harness.api.createUser(`f-${Math.random()}`));
    const ids: string[] = [];
    for (const text of ["one", "two", "three"]) {
      ids.push(await harness.api.postText(conversation, { type: "business" }, text));
      await new Promise((r) => setTimeout(r, 40));
    }
    await harness.sandbox.idle();
    return ids;
  }
  const receivedIds = (harness: Harness) => harness.receiver.events().map((e) => e.payload.message?.id as string);

  it("sends a webhook delivery twice with the same event ids", async () => {
    h = await startHarness();
    await control(h.sandbox, "POST", "/faults", { target: "webhooks", mode: "duplicate", count: 1, webhook: "conversations" });
    const ids = await sendThree(h);
    expect(receivedIds(h)).toEqual([ids[0], ids[0], ids[1], ids[2]]);
    const events = h.receiver.events();
    expect(events[0]!.id).toBe(events[1]!.id);
    expect(h.sandbox.deliveries().some((d) => d.note === "duplicate (fault)")).toBe(true);
  });

  it("delays a webhook delivery so a later one overtakes it", async () => {
    h = await startHarness();
    await control(h.sandbox, "POST", "/faults", { target: "webhooks", mode: "delay", delayMs: 300 });
    const ids = await sendThree(h);
    expect(receivedIds(h)).toEqual([ids[1], ids[2], ids[0]]);
  });

  it("swaps a webhook delivery with the next one", async () => {
    h = await startHarness();
    await control(h.sandbox, "POST", "/faults", { target: "webhooks", mode: "reorder" });
    const ids = await sendThree(h);
    expect(receivedIds(h)).toEqual([ids[1], ids[0], ids[2]]);
  });

  it("applies webhook faults to the status webhook too", async () => {
    h = await startHarness();
    await control(h.sandbox, "POST", "/faults", { target: "webhooks", mode: "duplicate", webhook: "status" });
    const conversation = await h.api.createConversation(await h.api.createUser("status-dup"));
    await h.api.call("POST", `/conversations/${conversation}/passControl`, { switchboardIntegration: "zd-agentWorkspace" });
    h.sandbox.setStatus(h.sandbox.listTickets()[0]!.id, "pending");
    await h.sandbox.idle();
    const statusBodies = h.receiver.on("/status").map((r) => (r.json as { id: string }).id);
    expect(statusBodies).toHaveLength(2);
    expect(statusBodies[0]).toBe(statusBodies[1]);
  });
});
