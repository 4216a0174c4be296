import { afterEach, describe, expect, it } from "vitest";
import { SunshineClient } from "./client.ts";
import { REQUIRED_WEBHOOK_TRIGGERS, testConnection, type ConnectionTestResult } from "./test-connection.ts";
import { closedPortBaseUrl, startStubServer, type StubReply, type StubServer } from "./testing/stub-server.ts";

const APP_ID = "5ebee0975ac5304b664a12fa";
const EVENTS_URL = "https://handoff.example.com/handoff/webhooks/zendesk/PLATFORM/p1/live/events";
const WEBHOOK_SECRET = "8564b3e6a8b20a4bdb68b05ce9bc5936";
const input = { integrationId: "int1", webhookId: "wh1", expectedEventsUrl: EVENTS_URL };

const goodWebhook = {
  id: "wh1",
  version: "v2",
  target: EVENTS_URL,
  triggers: [...REQUIRED_WEBHOOK_TRIGGERS, "switchboard:passControl:failure"],
  secret: WEBHOOK_SECRET,
  includeFullUser: false,
  includeFullSource: false,
};

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function run(reply: StubReply, baseUrl?: string): Promise<{ result: ConnectionTestResult; server: StubServer }> {
  const server = await startStubServer(() => reply);
  stub = server;
  const client = new SunshineClient({
    subdomain: "x",
    appId: APP_ID,
    apiKeyId: "int_key",
    apiKeySecret: "key-secret",
    baseUrl: baseUrl ?? server.baseUrl,
    sleep: async () => {},
    retry: { maxAttempts: 2 },
  });
  return { result: await testConnection(client, input), server };
}

const byId = (result: ConnectionTestResult) => Object.fromEntries(result.checks.map((c) => [c.id, c]));

describe("testConnection", () => {
  it("passes every check for a correct set-up, reading the webhook once", async () => {
    const { result, server } = await run({ status: 200, json: { webhook: goodWebhook } });
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => [c.id, c.ok])).toEqual([
      ["credentials", true],
      ["version", true],
      ["triggers", true],
      ["target", true],
    ]);
    for (const check of result.checks) {
      expect(check.label).not.toBe("");
      expect(check.detail).not.toBe("");
      expect(check.fix).toBeUndefined();
    }
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /sc/v2/apps/${APP_ID}/integrations/int1/webhooks/wh1`,
    ]);
  });

  it("never echoes the webhook's shared secret", async () => {
    const { result } = await run({ status: 200, json: { webhook: { ...goodWebhook, version: "v1", target: "x", triggers: [] } } });
    expect(JSON.stringify(result)).not.toContain(WEBHOOK_SECRET);
  });

  it("accepts the target with or without a trailing slash", async () => {
    const { result } = await run({ status: 200, json: { webhook: { ...goodWebhook, target: `${EVENTS_URL}/` } } });
    expect(byId(result).target!.ok).toBe(true);
  });

  it("with a v1 webhook, fails exactly the version check, with a fix", async () => {
    const { result } = await run({ status: 200, json: { webhook: { ...goodWebhook, version: "v1" } } });
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["version"]);
    const version = byId(result).version!;
    expect(version.detail).toContain("v1");
    expect(version.fix).toMatch(/Conversations integrations/);
    expect(version.fix).toMatch(/v2/);
  });

  it("names the missing triggers", async () => {
    const { result } = await run({
      status: 200,
      json: { webhook: { ...goodWebhook, triggers: ["conversation:message", "Conversation:Typing"] } },
    });
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["triggers"]);
    const triggers = byId(result).triggers!;
    expect(triggers.detail).toBe("Missing subscriptions: conversation:typing, switchboard:passControl, switchboard:releaseControl.");
    expect(triggers.fix).toContain("Webhook subscriptions");
    expect(triggers.fix).toContain("switchboard:releaseControl");
  });

  it("flags a webhook pointed elsewhere", async () => {
    const { result } = await run({
      status: 200,
      json: { webhook: { ...goodWebhook, target: "https://old.example.com/events" } },
    });
    expect(result.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["target"]);
    expect(byId(result).target!.detail).toContain("https://old.example.com/events");
    expect(byId(result).target!.fix).toContain(EVENTS_URL);
  });

  it("does not treat a prefix or a different path as the same target", async () => {
    const { result } = await run({ status: 200, json: { webhook: { ...goodWebhook, target: `${EVENTS_URL}x` } } });
    expect(byId(result).target!.ok).toBe(false);
  });

  it.each([401, 403])("on %i fails credentials with a fix and skips the rest", async (status) => {
    const { result, server } = await run({ status, json: { errors: [{ code: "unauthorized", title: "Unauthorized" }] } });
    expect(result.ok).toBe(false);
    expect(server.requests).toHaveLength(1);
    const checks = byId(result);
    expect(checks.credentials).toMatchObject({ ok: false, detail: expect.stringContaining(String(status)) });
    expect(checks.credentials!.fix).toMatch(/API keys tab/);
    expect(checks.credentials!.fix).toMatch(/int_/);
    for (const id of ["version", "triggers", "target"]) {
      expect(checks[id]).toMatchObject({ ok: false, detail: expect.stringMatching(/^Skipped/), fix: expect.any(String) });
    }
  });

  it("on 404 says the integration or webhook id is wrong", async () => {
    const { result } = await run({ status: 404, json: { errors: [{ code: "webhook_not_found", title: "Not found" }] } });
    const credentials = byId(result).credentials!;
    expect(credentials.ok).toBe(false);
    expect(credentials.detail).toContain("wh1");
    expect(credentials.detail).toContain("int1");
    expect(credentials.fix).toMatch(/Integration ID and Webhook ID/);
  });

  it("reports an unreachable Zendesk instead of throwing", async () => {
    const { result } = await run({ status: 200, json: {} }, await closedPortBaseUrl());
    expect(result.ok).toBe(false);
    expect(byId(result).credentials).toMatchObject({ ok: false, detail: "Zendesk could not be reached." });
    expect(byId(result).credentials!.fix).toMatch(/subdomain/);
  });

  it("reports a Zendesk outage as retry-later", async () => {
    const { result } = await run({ status: 503, json: { errors: [{ code: "service_unavailable", title: "Down" }] } });
    expect(byId(result).credentials!.fix).toMatch(/wait a minute/);
  });

  it("every failing check in every scenario carries a fix", async () => {
    const scenarios: StubReply[] = [
      { status: 200, json: { webhook: { ...goodWebhook, version: "v1.1", triggers: [], target: "https://x" } } },
      { status: 200, json: { webhook: { target: "", triggers: [] } } },
      { status: 401, text: "nope" },
      { status: 500, text: "boom" },
    ];
    for (const scenario of scenarios) {
      const { result } = await run(scenario);
      await stub?.close();
      stub = undefined;
      expect(result.ok).toBe(false);
      for (const check of result.checks.filter((c) => !c.ok)) expect(check.fix, check.id).toMatch(/\S/);
    }
  });
});
