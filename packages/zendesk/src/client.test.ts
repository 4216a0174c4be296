import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  SunshineApiError,
  SunshineClient,
  SunshineTransportError,
  isRetryable,
  parseRetryAfter,
  type ActivityInput,
  type CallRecord,
  type CreateConversationInput,
  type CreateUserInput,
  type PostMessageInput,
  type SunshineClientOptions,
  type SwitchboardControlInput,
} from "./client.ts";
import { closedPortBaseUrl, startStubServer, type StubHandler, type StubServer } from "./testing/stub-server.ts";

const APP_ID = "5ebee0975ac5304b664a12fa";
const KEY_ID = "int_5f1f3a6ccd7b3e000c3d9c2f";
const KEY_SECRET = "s3cr3t-SuperSecretValue-DoNotLog-9f8e7d";
const EXPECTED_AUTH = `Basic ${Buffer.from(`${KEY_ID}:${KEY_SECRET}`).toString("base64")}`;

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

type Harness = { client: SunshineClient; server: StubServer; sleeps: number[]; calls: CallRecord[] };

async function harness(handler: StubHandler, options: Partial<SunshineClientOptions> = {}): Promise<Harness> {
  const server = await startStubServer(handler);
  stub = server;
  const sleeps: number[] = [];
  const calls: CallRecord[] = [];
  const client = new SunshineClient({
    subdomain: "unused",
    appId: APP_ID,
    apiKeyId: KEY_ID,
    apiKeySecret: KEY_SECRET,
    baseUrl: server.baseUrl,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onCall: (record) => calls.push(record),
    ...options,
  });
  return { client, server, sleeps, calls };
}

const appPath = `/sc/v2/apps/${APP_ID}`;
const message = (id: string, text: string) => ({
  id,
  received: "2026-07-01T10:00:00.000Z",
  author: { type: "business" },
  content: { type: "text", text },
  source: { type: "api:conversations" },
});

describe("SunshineClient requests", () => {
  it("sends Basic auth with the key id and secret, JSON content type and Accept", async () => {
    const { client, server } = await harness(() => ({ status: 201, json: { messages: [message("m1", "hi")] } }));
    await client.postMessage("conv1", { author: { type: "business" }, content: { type: "text", text: "hi" } });
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe(EXPECTED_AUTH);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.accept).toBe("application/json");
  });

  it("does not send a Content-Type on bodiless GETs", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: { conversation: { id: "c1" } } }));
    await client.getConversation("c1");
    expect(server.requests[0]!.headers["content-type"]).toBeUndefined();
  });

  it("builds the default base URL from the subdomain and refuses a full host name", async () => {
    const seen: string[] = [];
    const client = new SunshineClient({
      subdomain: "acme",
      appId: APP_ID,
      apiKeyId: KEY_ID,
      apiKeySecret: KEY_SECRET,
      fetch: async (input) => {
        seen.push(String(input));
        return new Response(JSON.stringify({ conversation: { id: "c1" } }), { status: 200 });
      },
    });
    expect(client.baseUrl).toBe("https://acme.zendesk.com/sc");
    await client.getConversation("c1");
    expect(seen).toEqual([`https://acme.zendesk.com/sc/v2/apps/${APP_ID}/conversations/c1`]);
    expect(
      () => new SunshineClient({ subdomain: "acme.zendesk.com", appId: APP_ID, apiKeyId: KEY_ID, apiKeySecret: KEY_SECRET }),
    ).toThrow(/bare Zendesk subdomain/);
  });

  it("accepts a baseUrl with a trailing slash", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: { conversation: { id: "c1" } } }));
    const slashed = new SunshineClient({
      subdomain: "x",
      appId: APP_ID,
      apiKeyId: KEY_ID,
      apiKeySecret: KEY_SECRET,
      baseUrl: `${server.baseUrl}/`,
    });
    await slashed.getConversation("c1");
    await client.getConversation("c1");
    expect(server.requests.map((r) => r.path)).toEqual([`${appPath}/conversations/c1`, `${appPath}/conversations/c1`]);
  });

  it("getWebhook GETs the integration webhook and returns it", async () => {
    const webhook = { id: "wh1", version: "v2", target: "https://x/events", triggers: ["conversation:message"] };
    const { client, server } = await harness(() => ({ status: 200, json: { webhook } }));
    await expect(client.getWebhook("int1", "wh1")).resolves.toEqual(webhook);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: `${appPath}/integrations/int1/webhooks/wh1` });
  });

  it("getUser returns the user, or null on 404, and encodes the external id", async () => {
    const { client, server } = await harness((req) =>
      req.path.endsWith("/known")
        ? { status: 200, json: { user: { id: "u1", externalId: "known" } } }
        : { status: 404, json: { errors: [{ code: "user_not_found", title: "User not found" }] } },
    );
    await expect(client.getUser("known")).resolves.toMatchObject({ id: "u1" });
    await expect(client.getUser("polyai:p/1 x")).resolves.toBeNull();
    expect(server.requests[1]!.path).toBe(`${appPath}/users/polyai%3Ap%2F1%20x`);
    expect(server.requests.map((r) => r.method)).toEqual(["GET", "GET"]);
  });

  it("createUser POSTs externalId, profile and metadata", async () => {
    const { client, server } = await harness(() => ({ status: 201, json: { user: { id: "u1", externalId: "e1" } } }));
    const input = { externalId: "e1", profile: { givenName: "Ada", email: "ada@example.com" }, metadata: { channel: "sms" } };
    await expect(client.createUser(input)).resolves.toMatchObject({ id: "u1" });
    expect(server.requests[0]).toMatchObject({ method: "POST", path: `${appPath}/users`, json: input });
  });

  it("getOrCreateUser returns an existing user without creating one", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: { user: { id: "u1", externalId: "e1" } } }));
    await expect(client.getOrCreateUser({ externalId: "e1" })).resolves.toMatchObject({ id: "u1" });
    expect(server.requests).toHaveLength(1);
  });

  it("getOrCreateUser creates the user after a 404", async () => {
    const { client, server } = await harness((req) =>
      req.method === "GET"
        ? { status: 404, json: { errors: [{ code: "user_not_found", title: "User not found" }] } }
        : { status: 201, json: { user: { id: "u2", externalId: "e2" } } },
    );
    await expect(client.getOrCreateUser({ externalId: "e2" })).resolves.toMatchObject({ id: "u2" });
    expect(server.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  it("getOrCreateUser reads the user again after a 409 race", async () => {
    const { client, server } = await harness((req, index) => {
      if (req.method === "POST") return { status: 409, json: { errors: [{ code: "conflict", title: "User already exists" }] } };
      return index === 0
        ? { status: 404, json: { errors: [{ code: "user_not_found", title: "User not found" }] } }
        : { status: 200, json: { user: { id: "u3", externalId: "e3" } } };
    });
    await expect(client.getOrCreateUser({ externalId: "e3" })).resolves.toMatchObject({ id: "u3" });
    expect(server.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET"]);
  });

  it("createConversation POSTs a personal conversation", async () => {
    const { client, server } = await harness(() => ({ status: 201, json: { conversation: { id: "c1", type: "personal" } } }));
    const input = {
      type: "personal" as const,
      participants: [{ userId: "u1", subscribeSDKClient: false }] as [{ userId: string; subscribeSDKClient: boolean }],
      displayName: "Hand-off",
      metadata: { handoff_session: "CONV-123" },
    };
    await expect(client.createConversation(input)).resolves.toMatchObject({ id: "c1" });
    expect(server.requests[0]).toMatchObject({ method: "POST", path: `${appPath}/conversations`, json: input });
  });

  it("getConversation GETs by id", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: { conversation: { id: "c/1" } } }));
    await expect(client.getConversation("c/1")).resolves.toEqual({ id: "c/1" });
    expect(server.requests[0]).toMatchObject({ method: "GET", path: `${appPath}/conversations/c%2F1` });
  });

  it("postMessage POSTs author, content and metadata and returns the created messages", async () => {
    const created = [message("m1", "Where is my parcel?")];
    const { client, server } = await harness(() => ({ status: 201, json: { messages: created } }));
    const input = {
      author: { type: "user" as const, userId: "u1" },
      content: { type: "text" as const, text: "Where is my parcel?" },
      metadata: { polyai_turn: "17" },
    };
    await expect(client.postMessage("c1", input)).resolves.toEqual(created);
    expect(server.requests[0]).toMatchObject({ method: "POST", path: `${appPath}/conversations/c1/messages`, json: input });
  });

  it("postText splits long text into ordered posts and returns every created message", async () => {
    const { client, server } = await harness((req, index) => ({
      status: 201,
      json: { messages: [message(`m${index}`, String((req.json as { content: { text: string } }).content.text))] },
    }));
    const text = `${"a".repeat(4000)}\n${"b".repeat(3000)}`;
    const author = { type: "business" as const, displayName: "Assistant" };
    const result = await client.postText("c1", author, text, { kind: "transcript" });
    expect(result.map((m) => m.id)).toEqual(["m0", "m1"]);
    const sent = server.requests.map((r) => r.json as { author: unknown; content: { type: string; text: string }; metadata: unknown });
    expect(sent.map((b) => b.content.text).join("")).toBe(text);
    expect(sent[0]!.content.text).toBe(`${"a".repeat(4000)}\n`);
    for (const body of sent) {
      expect(body.author).toEqual(author);
      expect(body.metadata).toEqual({ kind: "transcript" });
      expect(body.content.type).toBe("text");
      expect(body.content.text.length).toBeLessThanOrEqual(4096);
    }
  });

  it("postText with empty text posts nothing", async () => {
    const { client, server } = await harness(() => ({ status: 201, json: { messages: [] } }));
    await expect(client.postText("c1", { type: "business" }, "")).resolves.toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("listMessages passes page cursors and maps meta", async () => {
    const { client, server } = await harness(() => ({
      status: 200,
      json: { messages: [message("m1", "x")], meta: { hasMore: true, beforeCursor: "b1", afterCursor: "a1" } },
    }));
    const page = await client.listMessages("c1", { before: "m9" });
    expect(page).toEqual({ messages: [message("m1", "x")], hasMore: true, beforeCursor: "b1", afterCursor: "a1" });
    expect(server.requests[0]).toMatchObject({ method: "GET", path: `${appPath}/conversations/c1/messages` });
    expect(server.requests[0]!.query.get("page[before]")).toBe("m9");
    expect(server.requests[0]!.query.has("page[after]")).toBe(false);
  });

  it("listMessages without cursors sends no query and defaults hasMore to false", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: { messages: [] } }));
    await expect(client.listMessages("c1")).resolves.toEqual({ messages: [], hasMore: false });
    expect([...server.requests[0]!.query.keys()]).toEqual([]);
  });

  it("postActivity POSTs author and type", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: {} }));
    await client.postActivity("c1", { author: { type: "business" }, type: "typing:start" });
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      path: `${appPath}/conversations/c1/activity`,
      json: { author: { type: "business" }, type: "typing:start" },
    });
  });

  it("passControl and offerControl POST the target and metadata", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: {} }));
    const body = { switchboardIntegration: "zd-agentWorkspace", metadata: { first_message_id: "m1" } };
    await client.passControl("c1", body);
    await client.offerControl("c1", { switchboardIntegration: "next" });
    expect(server.requests[0]).toMatchObject({ method: "POST", path: `${appPath}/conversations/c1/passControl`, json: body });
    expect(server.requests[1]).toMatchObject({
      method: "POST",
      path: `${appPath}/conversations/c1/offerControl`,
      json: { switchboardIntegration: "next" },
    });
  });

  it("releaseControl sends the reason inside metadata (the spec body has only metadata)", async () => {
    const { client, server } = await harness(() => ({ status: 200, json: {} }));
    await client.releaseControl("c1", { reason: "userLeft", metadata: { session: "s1" } });
    await client.releaseControl("c1");
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      path: `${appPath}/conversations/c1/releaseControl`,
      json: { metadata: { reason: "userLeft", session: "s1" } },
    });
    expect(server.requests[1]!.json).toEqual({});
  });

  it("uploadAttachment sends multipart field `source` with the access/for/conversationId query", async () => {
    const mediaUrl = "https://acme.zendesk.com/sc/attachments/v2/01JK/photo.png";
    const { client, server } = await harness(() => ({
      status: 201,
      json: { attachment: { mediaUrl, mediaType: "image/png" } },
    }));
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    await expect(
      client.uploadAttachment("c1", { data: bytes, filename: "photo.png", mediaType: "image/png" }),
    ).resolves.toEqual({ mediaUrl, mediaType: "image/png" });
    const req = server.requests[0]!;
    expect(req).toMatchObject({ method: "POST", path: `${appPath}/attachments` });
    expect(Object.fromEntries(req.query)).toEqual({ access: "public", for: "message", conversationId: "c1" });
    expect(req.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(new Uint8Array(req.body), {
      headers: { "content-type": String(req.headers["content-type"]) },
    }).formData();
    const file = form.get("source");
    expect(file).toBeInstanceOf(Blob);
    expect((file as File).name).toBe("photo.png");
    expect((file as File).type).toBe("image/png");
    expect(new Uint8Array(await (file as File).arrayBuffer())).toEqual(bytes);
  });

  it("uploadAttachment retries with a fresh multipart body", async () => {
    const { client, server } = await harness((_req, index) =>
      index === 0
        ? { status: 503, json: { errors: [{ code: "unavailable", title: "Try later" }] } }
        : { status: 201, json: { attachment: { mediaUrl: "https://x/f.txt", mediaType: "text/plain" } } },
    );
    const blob = new Blob(["hello"], { type: "text/plain" });
    await client.uploadAttachment("c1", { data: blob, filename: "f.txt", mediaType: "text/plain" });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body.toString("utf8")).toContain("hello");
    expect(server.requests[1]!.body.length).toBe(server.requests[0]!.body.length);
  });
});

describe("PROTOCOL.md request examples", () => {
  /** Verbatim copies of PROTOCOL.md's JSON blocks; see events.test.ts for the webhook ones. */
  const fixture = <T>(name: string): T =>
    JSON.parse(
      fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "protocol", `${name}.json`), "utf8"),
    ) as T;

  it("each request body example goes out verbatim through its client method", async () => {
    const { client, server } = await harness((req) => {
      if (req.path.endsWith("/users")) return { status: 201, json: { user: { id: "u1" } } };
      if (req.path.endsWith("/conversations")) return { status: 201, json: { conversation: { id: "c1" } } };
      if (req.path.endsWith("/messages")) return { status: 201, json: { messages: [message("m1", "x")] } };
      return { status: 200, json: {} };
    });
    const createUser = fixture<CreateUserInput>("create-user-body");
    const createConversation = fixture<CreateConversationInput>("create-conversation-body");
    const userMessage = fixture<PostMessageInput>("user-message-body");
    const businessNote = fixture<PostMessageInput>("business-note-body");
    const activity = fixture<ActivityInput>("activity-body");
    const passControl = fixture<SwitchboardControlInput>("pass-control-body");

    await client.createUser(createUser);
    await client.createConversation(createConversation);
    await client.postMessage("c1", userMessage);
    await client.postMessage("c1", businessNote);
    await client.postActivity("c1", activity);
    await client.passControl("c1", passControl);

    expect(server.requests.map((r) => [r.method, r.path.slice(appPath.length), r.json])).toEqual([
      ["POST", "/users", createUser],
      ["POST", "/conversations", createConversation],
      ["POST", "/conversations/c1/messages", userMessage],
      ["POST", "/conversations/c1/messages", businessNote],
      ["POST", "/conversations/c1/activity", activity],
      ["POST", "/conversations/c1/passControl", passControl],
    ]);
  });

  it("the attachment response example yields its media URL and type", async () => {
    const response = fixture<{ attachment: { mediaUrl: string; mediaType: string } }>("attachment-response");
    const { client } = await harness(() => ({ status: 201, json: response }));
    await expect(
      client.uploadAttachment("c1", { data: new Uint8Array([1, 2]), filename: "my_file.jpeg", mediaType: "image/jpeg" }),
    ).resolves.toEqual(response.attachment);
  });
});

describe("SunshineClient retries", () => {
  const errorBody = (code: string, title: string) => ({ errors: [{ code, title }] });

  it("honours Retry-After seconds on 429, then succeeds", async () => {
    const { client, server, sleeps, calls } = await harness((_req, index) =>
      index === 0
        ? { status: 429, json: errorBody("too_many_requests", "Rate limited"), headers: { "retry-after": "3" } }
        : { status: 200, json: { conversation: { id: "c1" } } },
    );
    await expect(client.getConversation("c1")).resolves.toEqual({ id: "c1" });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]).toMatchObject({ attempt: 1, errorCode: "too_many_requests", retryAfterMs: 3000 });
    expect(calls[1]).toMatchObject({ attempt: 2 });
  });

  it("honours Retry-After as an HTTP-date", async () => {
    const { client, sleeps } = await harness((_req, index) =>
      index === 0
        ? { status: 429, headers: { "retry-after": new Date(Date.now() + 5000).toUTCString() }, text: "slow down" }
        : { status: 200, json: { conversation: { id: "c1" } } },
    );
    await client.getConversation("c1");
    expect(sleeps).toHaveLength(1);
    // HTTP-dates have one-second resolution.
    expect(sleeps[0]!).toBeGreaterThan(3000);
    expect(sleeps[0]!).toBeLessThanOrEqual(5000);
  });

  it("caps an excessive Retry-After", async () => {
    const { client, sleeps } = await harness(
      (_req, index) =>
        index === 0 ? { status: 429, headers: { "retry-after": "86400" } } : { status: 200, json: { conversation: {} } },
      { retry: { maxRetryAfterMs: 12_000 } },
    );
    await client.getConversation("c1");
    expect(sleeps).toEqual([12_000]);
  });

  it("backs off with full jitter when a 429 has no Retry-After, and surfaces a retryable error at the end", async () => {
    const { client, server, sleeps } = await harness(() => ({ status: 429, json: errorBody("too_many_requests", "Slow") }), {
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 },
      random: () => 0.5,
    });
    const err = await client.getConversation("c1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SunshineApiError);
    expect(err).toMatchObject({ status: 429, code: "too_many_requests", retryable: true, attempts: 4, operation: "getConversation" });
    expect(isRetryable(err)).toBe(true);
    expect(server.requests).toHaveLength(4);
    // ceilings 100, 200, 300 (capped) times the injected random 0.5
    expect(sleeps).toEqual([50, 100, 150]);
  });

  it("retries a 500 and then succeeds", async () => {
    const { client, server, sleeps } = await harness((_req, index) =>
      index === 0
        ? { status: 500, json: errorBody("internal_error", "Oops") }
        : { status: 201, json: { messages: [message("m1", "x")] } },
    );
    await expect(
      client.postMessage("c1", { author: { type: "business" }, content: { type: "text", text: "x" } }),
    ).resolves.toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it("gives up on persistent 5xx with a retryable SunshineApiError carrying Zendesk's code", async () => {
    const { client, server } = await harness(() => ({ status: 503, json: errorBody("service_unavailable", "Down") }), {
      retry: { maxAttempts: 3 },
    });
    const err = await client.getConversation("c1").catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "SunshineApiError", status: 503, code: "service_unavailable", retryable: true, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it("retries network errors against a closed port and then throws SunshineTransportError", async () => {
    const sleeps: number[] = [];
    const calls: CallRecord[] = [];
    const client = new SunshineClient({
      subdomain: "x",
      appId: APP_ID,
      apiKeyId: KEY_ID,
      apiKeySecret: KEY_SECRET,
      baseUrl: await closedPortBaseUrl(),
      sleep: async (ms) => void sleeps.push(ms),
      onCall: (r) => calls.push(r),
    });
    const err = await client.getConversation("c1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SunshineTransportError);
    expect(err).toMatchObject({ kind: "network", retryable: true, attempts: 4 });
    expect(isRetryable(err)).toBe(true);
    expect(sleeps).toHaveLength(3);
    expect(calls.map((c) => [c.status, c.errorCode])).toEqual(Array(4).fill([null, "network_error"]));
  });

  it("recovers when a network error is followed by a good response", async () => {
    const { server } = await harness(() => ({ status: 200, json: { conversation: { id: "c1" } } }));
    let failures = 1;
    const sleeps: number[] = [];
    const client = new SunshineClient({
      subdomain: "x",
      appId: APP_ID,
      apiKeyId: KEY_ID,
      apiKeySecret: KEY_SECRET,
      baseUrl: server.baseUrl,
      sleep: async (ms) => void sleeps.push(ms),
      fetch: async (input, init) => {
        if (failures-- > 0) throw new TypeError("fetch failed");
        return fetch(input, init);
      },
    });
    await expect(client.getConversation("c1")).resolves.toEqual({ id: "c1" });
    expect(sleeps).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  // Generous margins: these run on a loaded two-core CI machine, where 50 ms is not "slow".
  it("retries a timed-out attempt and then succeeds", async () => {
    const { client, calls } = await harness(
      (_req, index) =>
        index === 0
          ? { status: 200, json: { conversation: { id: "slow" } }, delayMs: 10_000 }
          : { status: 200, json: { conversation: { id: "fast" } } },
      { timeoutMs: 400 },
    );
    await expect(client.getConversation("c1")).resolves.toEqual({ id: "fast" });
    expect(calls[0]).toMatchObject({ attempt: 1, status: null, errorCode: "timeout" });
    expect(calls.at(-1)).toMatchObject({ status: 200 });
    expect(calls.at(-1)!.errorCode).toBeUndefined();
  });

  it("surfaces a timeout on every attempt as a retryable SunshineTransportError", async () => {
    const { client, calls, sleeps } = await harness(() => ({ status: 200, json: {}, delayMs: 10_000 }), {
      timeoutMs: 150,
      retry: { maxAttempts: 2 },
    });
    const started = Date.now();
    const err = await client.getConversation("c1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SunshineTransportError);
    expect(err).toMatchObject({ kind: "timeout", attempts: 2, retryable: true });
    expect(calls.map((c) => [c.attempt, c.status, c.errorCode])).toEqual([
      [1, null, "timeout"],
      [2, null, "timeout"],
    ]);
    expect(sleeps).toHaveLength(1);
    // The per-attempt timer really fired: two attempts cannot end before two timeouts elapsed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 150 - 10);
  });

  it.each([
    [400, "bad_request", "Invalid body"],
    [404, "conversation_not_found", "Conversation not found"],
    [409, "conflict", "User already exists"],
    [403, "forbidden", "Not the active integration"],
  ])("does not retry HTTP %i and keeps Zendesk's code", async (status, code, title) => {
    const { client, server, sleeps } = await harness(() => ({ status, json: errorBody(code, title) }));
    const err = await client.getConversation("c1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SunshineApiError);
    expect(err).toMatchObject({ status, code, title, retryable: false, attempts: 1, operation: "getConversation" });
    expect(isRetryable(err)).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("keeps every error of a multi-error 400", async () => {
    const errors = [
      { code: "bad_request", title: "author.type is required" },
      { code: "bad_request", title: "content is required" },
    ];
    const { client } = await harness(() => ({ status: 400, json: { errors } }));
    const err = (await client.getConversation("c1").catch((e: unknown) => e)) as SunshineApiError;
    expect(err.errors).toEqual(errors);
  });

  it("names the HTTP status when the error body is not Zendesk's JSON", async () => {
    const { client } = await harness(() => ({ status: 401, text: "<html>Unauthorized</html>" }));
    await expect(client.getConversation("c1")).rejects.toMatchObject({
      status: 401,
      code: "http_401",
      errors: [{ code: "http_401", title: "" }],
      retryable: false,
    });
  });

  it("treats a non-JSON 2xx body as a non-retryable invalid response", async () => {
    const { client, server } = await harness(() => ({ status: 201, text: "not json" }));
    await expect(
      client.postMessage("c1", { author: { type: "business" }, content: { type: "text", text: "x" } }),
    ).rejects.toMatchObject({ code: "invalid_response", retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("isRetryable is false for anything that is not a client error", () => {
    expect(isRetryable(new Error("x"))).toBe(false);
    expect(isRetryable({ retryable: true })).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});

describe("SunshineClient never exposes credentials", () => {
  it("onCall records carry no secret, no auth header and no query string", async () => {
    const { client, calls } = await harness((req, index) =>
      req.path.endsWith("/attachments")
        ? { status: 201, json: { attachment: { mediaUrl: "https://x/f", mediaType: "text/plain" } } }
        : index === 0
          ? { status: 429, headers: { "retry-after": "1" }, json: { errors: [{ code: "too_many_requests", title: "x" }] } }
          : { status: 404, json: { errors: [{ code: "user_not_found", title: "x" }] } },
    );
    await client.getUser("someone");
    await client.uploadAttachment("c1", { data: new Uint8Array([1]), filename: "f", mediaType: "text/plain" });
    expect(calls.length).toBe(3);
    const dump = JSON.stringify(calls);
    expect(dump).not.toContain(KEY_SECRET);
    expect(dump).not.toContain(EXPECTED_AUTH.slice("Basic ".length));
    expect(dump).not.toContain("?");
    expect(calls[2]).toMatchObject({ operation: "uploadAttachment", method: "POST", path: `${appPath.slice(3)}/attachments` });
    for (const record of calls) {
      expect(Object.keys(record).sort()).toEqual(
        expect.arrayContaining(["attempt", "latencyMs", "method", "operation", "path", "status"]),
      );
      expect(record.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("the client object and its errors do not reveal the secret when logged", async () => {
    const { client } = await harness(() => ({ status: 401, json: { errors: [{ code: "unauthorized", title: "Bad key" }] } }));
    const err = await client.getConversation("c1").catch((e: unknown) => e);
    for (const text of [inspect(client, { depth: 5, showHidden: true }), JSON.stringify(client), inspect(err), String(err)]) {
      expect(text).not.toContain(KEY_SECRET);
      expect(text).not.toContain(EXPECTED_AUTH.slice("Basic ".length));
    }
  });

  it("a throwing onCall observer does not break the call", async () => {
    const { client } = await harness(() => ({ status: 200, json: { conversation: { id: "c1" } } }), {
      onCall: () => {
        throw new Error("observer bug");
      },
    });
    await expect(client.getConversation("c1")).resolves.toEqual({ id: "c1" });
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-07-01T10:00:00Z");
  it.each([
    [null, undefined],
    ["0", 0],
    ["7", 7000],
    [" 2 ", 2000],
    ["Wed, 01 Jul 2026 10:00:09 GMT", 9000],
    ["Wed, 01 Jul 2026 09:59:00 GMT", 0],
    ["soon", undefined],
    ["-5", undefined],
  ])("%s -> %s", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
