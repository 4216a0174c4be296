import { randomBytes } from "node:crypto";
import { startSandbox, type Sandbox } from "@zm/zendesk-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SunshineApiError, SunshineClient } from "./client.ts";
import { testConnection } from "./test-connection.ts";

/**
 * The client against the local Zendesk sandbox, one test per call. The sandbox validates every
 * request and response against the official spec, so a client call that real Zendesk would
 * refuse fails here too.
 */
let sandbox: Sandbox;
let client: SunshineClient;
let setup: ReturnType<Sandbox["setup"]>;
const eventsUrl = "http://127.0.0.1:9/handoff/webhooks/zendesk/PLATFORM/PROJECT-00000001/live/events";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: false, delivery: { retryDelaysMs: [], timeoutMs: 200, batchWindowMs: 5 } });
  setup = sandbox.setup({ eventsUrl, statusUrl: eventsUrl.replace("events", "status") });
  client = new SunshineClient({ subdomain: "sandbox", appId: setup.appId, apiKeyId: setup.apiKeyId, apiKeySecret: setup.apiKeySecret, baseUrl: sandbox.apiUrl });
});
afterAll(async () => {
  expect(sandbox.specViolations).toEqual([]);
  await sandbox.close();
});

const externalId = () => `zm:test:${randomBytes(6).toString("hex")}`;

async function newConversation() {
  const user = await client.getOrCreateUser({ externalId: externalId(), profile: { givenName: "Ada" } });
  const conversation = await client.createConversation({ type: "personal", participants: [{ userId: user.id!, subscribeSDKClient: false }], metadata: { handoff_session: "hs_1" } });
  return { user, conversation };
}

describe("Sunshine client against the sandbox", () => {
  it("getWebhook", async () => {
    const webhook = await client.getWebhook(setup.integrationId, setup.webhookId);
    expect(webhook.version).toBe("v2");
    expect(webhook.target).toBe(eventsUrl);
  });

  it("users: get (404 → null), create with externalId, get-or-create twice", async () => {
    const id = externalId();
    expect(await client.getUser(id)).toBeNull();
    const created = await client.createUser({ externalId: id, metadata: { channel: "webchat" } });
    expect(created.externalId).toBe(id);
    expect((await client.getUser(id))?.id).toBe(created.id);
    expect((await client.getOrCreateUser({ externalId: id })).id).toBe(created.id);
    await expect(client.createUser({ externalId: id })).rejects.toMatchObject({ status: 409, code: "conflict" });
  });

  it("conversations: create personal, get, list by user", async () => {
    const { user, conversation } = await newConversation();
    expect((await client.getConversation(conversation.id!)).metadata).toMatchObject({ handoff_session: "hs_1" });
    expect((await client.listConversations({ userId: user.id! })).map((c) => c.id)).toContain(conversation.id);
  });

  it("messages: post as business and as user, split long text, list", async () => {
    const { user, conversation } = await newConversation();
    const business = await client.postText(conversation.id!, { type: "business", displayName: "Virtual assistant" }, "x".repeat(5000), { zm_kind: "transcript" });
    expect(business).toHaveLength(2);
    const userPost = await client.postMessage(conversation.id!, { author: { type: "user", userId: user.id! }, content: { type: "text", text: "hello" }, metadata: { zm_message_id: "m1" } });
    const page = await client.listMessages(conversation.id!);
    expect(page.messages.map((m) => m.id)).toEqual(expect.arrayContaining([...business.map((m) => m.id), userPost[0]!.id]));
  });

  it("activity: business typing is accepted; user typing is refused as Zendesk does", async () => {
    const { user, conversation } = await newConversation();
    await client.postActivity(conversation.id!, { author: { type: "business" }, type: "typing:start" });
    await expect(client.postActivity(conversation.id!, { author: { type: "user", userId: user.id! }, type: "typing:start" })).rejects.toBeInstanceOf(SunshineApiError);
  });

  it("switchboard: passControl to Agent Workspace creates a ticket; offerControl; releaseControl is refused to an integration key while AW is active", async () => {
    const { conversation } = await newConversation();
    const [first] = await client.postText(conversation.id!, { type: "business" }, "Transcript");
    await client.passControl(conversation.id!, {
      switchboardIntegration: "zd-agentWorkspace",
      metadata: { first_message_id: first!.id!, "dataCapture.systemField.tags": "a,b", "dataCapture.systemField.priority": "urgent" },
    });
    const ticket = sandbox.listTickets().find((t) => t.conversationId === conversation.id);
    expect(ticket).toBeDefined();
    expect(sandbox.getTicket(ticket!.id).tags).toEqual(expect.arrayContaining(["a", "b"]));
    await expect(client.releaseControl(conversation.id!)).rejects.toMatchObject({ status: 403 });
    await client.offerControl(conversation.id!, { switchboardIntegration: "zd-agentWorkspace" });
  });

  it("attachments: uploads a file and returns a media URL that serves it", async () => {
    const { conversation } = await newConversation();
    const bytes = new TextEncoder().encode("%PDF-1.4 hello");
    const uploaded = await client.uploadAttachment(conversation.id!, { data: bytes, filename: "note.pdf", mediaType: "application/pdf" });
    expect(uploaded.mediaType).toBe("application/pdf");
    const res = await fetch(uploaded.mediaUrl);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("errors carry Zendesk's code: 404 conversation_not_found, 401 for a wrong key", async () => {
    await expect(client.getConversation(randomBytes(12).toString("hex"))).rejects.toMatchObject({ status: 404, code: "conversation_not_found" });
    const wrong = new SunshineClient({ subdomain: "sandbox", appId: setup.appId, apiKeyId: setup.apiKeyId, apiKeySecret: "wrong", baseUrl: sandbox.apiUrl });
    await expect(wrong.getWebhook(setup.integrationId, setup.webhookId)).rejects.toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("retries a 429 with Retry-After and a 500 from the sandbox's fault injection", async () => {
    sandbox.addFault({ target: "api", mode: "429", count: 1, retryAfterSeconds: 0 });
    sandbox.addFault({ target: "api", mode: "500", count: 1 });
    const calls: Array<number | null> = [];
    const retrying = new SunshineClient({
      subdomain: "sandbox",
      appId: setup.appId,
      apiKeyId: setup.apiKeyId,
      apiKeySecret: setup.apiKeySecret,
      baseUrl: sandbox.apiUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      onCall: (c) => calls.push(c.status),
    });
    expect((await retrying.getWebhook(setup.integrationId, setup.webhookId)).id).toBe(setup.webhookId);
    expect(calls).toEqual([429, 500, 200]);
  });
});

describe("testConnection against the sandbox", () => {
  it("passes every check with the sandbox's demo set-up", async () => {
    const report = await testConnection(client, { integrationId: setup.integrationId, webhookId: setup.webhookId, expectedEventsUrl: eventsUrl });
    expect(report.checks.map((c) => [c.id, c.ok])).toEqual([
      ["credentials", true],
      ["version", true],
      ["triggers", true],
      ["target", true],
    ]);
  });

  it("reports exactly the version check failing after the webhook is switched to v1", async () => {
    sandbox.updateWebhook({ version: "v1" });
    try {
      const report = await testConnection(client, { integrationId: setup.integrationId, webhookId: setup.webhookId, expectedEventsUrl: eventsUrl });
      expect(report.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["version"]);
      expect(report.checks.find((c) => c.id === "version")?.fix).toMatch(/v2/);
    } finally {
      sandbox.updateWebhook({ version: "v2" });
    }
  });
});
