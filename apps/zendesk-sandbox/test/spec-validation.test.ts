import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OpenApiSchemaConverter } from "../src/spec/openapi-to-json-schema.ts";
import { SpecValidator } from "../src/spec/spec-validator.ts";
import { startHarness, type Harness } from "./helpers/harness.ts";

describe("OpenAPI 3.0 → JSON Schema conversion", () => {
  const components = { schemas: { a: { type: "object", properties: { type: { type: "string", enum: ["a"] } } }, secret: { type: "string", writeOnly: true } } };

  it("turns nullable into anyOf with null", () => {
    const converter = new OpenApiSchemaConverter(components, "request", "doc");
    expect(converter.convert({ type: "string", nullable: true })).toEqual({ anyOf: [{ type: "string" }, { type: "null" }] });
  });

  it("turns a discriminator into an enum plus if/then on the mapped schemas", () => {
    const converter = new OpenApiSchemaConverter(components, "request", "doc");
    const out = converter.convert({ oneOf: [{ $ref: "#/components/schemas/a" }], discriminator: { propertyName: "type" } }) as Record<string, any>;
    expect(out.oneOf).toBeUndefined();
    expect(out.properties.type.enum).toEqual(["a"]);
    expect(out.allOf[0].then).toEqual({ $ref: "doc#/components/schemas/a" });
  });

  it("forbids writeOnly properties in responses and does not require readOnly ones in requests", () => {
    const schema = { type: "object", properties: { s: { $ref: "#/components/schemas/secret" }, id: { type: "string", readOnly: true } }, required: ["id", "s"] };
    expect(new OpenApiSchemaConverter(components, "response", "doc").convert(schema)).toMatchObject({ properties: { s: false }, required: ["id"] });
    expect(new OpenApiSchemaConverter(components, "request", "doc").convert(schema)).toMatchObject({ required: ["s"] });
  });

  it("checks webhook events against the schema of their type", () => {
    const validator = new SpecValidator();
    expect(validator.validateWebhookEvent({ id: "x", type: "switchboard:passControl", createdAt: "t", payload: { reason: "agentLeft" } })).not.toEqual([]);
    expect(validator.validateWebhookEvent({ id: "x", type: "switchboard:passControl", createdAt: "t", payload: { reason: "ticketClosed" } })).toEqual([]);
  });
});

describe("Sunshine API validation against the spec", () => {
  let h: Harness;
  let userId: string;
  let conversationId: string;

  beforeAll(async () => {
    h = await startHarness();
    userId = await h.api.createUser("validation-user", { givenName: "Val" });
    conversationId = await h.api.createConversation(userId);
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.sandbox.specViolations).toEqual([]));

  const post = (body: unknown) => h.api.call("POST", `/conversations/${conversationId}/messages`, body);
  const text = (t: string) => ({ type: "text", text: t });

  it("accepts a valid message and answers with the spec's shape", async () => {
    const response = await post({ author: { type: "business", displayName: "Bot" }, content: text("hello"), metadata: { turn: 1, ok: true } });
    expect(response.status).toBe(201);
    expect(response.body.messages[0]).toMatchObject({ author: { type: "business", displayName: "Bot" }, content: text("hello"), source: { type: "api:conversations" }, metadata: { turn: 1 } });
    expect(response.body.messages[0].id).toMatch(/^[0-9a-f]{24}$/);
    expect(response.body.messages[0].received).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it.each([
    ["a missing author", { content: { type: "text", text: "x" } }, /author/],
    ["an unknown content type", { author: { type: "business" }, content: { type: "txt", text: "x" } }, /content\.type.*text, carousel/],
    ["an unknown author type", { author: { type: "bot" }, content: { type: "text", text: "x" } }, /author\.type/],
    ["text over 4096 characters", { author: { type: "business" }, content: { type: "text", text: "x".repeat(4097) } }, /content\.text.*4096/],
    ["text content without text", { author: { type: "business" }, content: { type: "text" } }, /content\.text is required/],
    ["an image without mediaUrl", { author: { type: "business" }, content: { type: "image" } }, /mediaUrl/],
    ["nested metadata", { author: { type: "business" }, content: { type: "text", text: "x" }, metadata: { a: { b: 1 } } }, /metadata must be flat/],
    ["metadata over 4KB", { author: { type: "business" }, content: { type: "text", text: "x" }, metadata: { a: "y".repeat(4200) } }, /4KB/],
    ["a business author with a userId", { author: { type: "business", userId: "abc" }, content: { type: "text", text: "x" } }, /only supported when author.type is user/],
  ])("rejects %s with 400 bad_request", async (_name, body, title) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].code).toBe("bad_request");
    expect(response.body.errors.map((e: { title: string }) => e.title).join(" | ")).toMatch(title);
  });

  it("lets a user author send only conversation:read activity", async () => {
    const typing = await h.api.call("POST", `/conversations/${conversationId}/activity`, { author: { type: "user", userId }, type: "typing:start" });
    expect(typing.status).toBe(400);
    expect(typing.body.errors[0].title).toMatch(/only conversation:read/);
    const read = await h.api.call("POST", `/conversations/${conversationId}/activity`, { author: { type: "user", userId }, type: "conversation:read" });
    expect(read).toMatchObject({ status: 200, body: {} });
    const unknown = await h.api.call("POST", `/conversations/${conversationId}/activity`, { author: { type: "business" }, type: "typing:maybe" });
    expect(unknown.status).toBe(400);
  });

  it("answers 404 with a specific code for unknown ids", async () => {
    expect((await h.api.call("GET", "/conversations/000000000000000000000000")).body).toEqual({ errors: [{ code: "conversation_not_found", title: "Conversation not found" }] });
    expect((await h.api.call("GET", "/users/nobody")).body.errors[0].code).toBe("user_not_found");
    const otherApp = await h.api.call("GET", "/users/nobody", undefined, { appId: "111111111111111111111111" });
    expect(otherApp).toMatchObject({ status: 404, body: { errors: [{ code: "app_not_found" }] } });
    expect((await post({ author: { type: "user", userId: "nobody" }, content: text("x") })).status).toBe(404);
  });

  it("answers 401 unauthorized without or with wrong credentials", async () => {
    const none = await fetch(`${h.setup.apiUrl}/v2/apps/${h.setup.appId}/users/validation-user`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ errors: [{ code: "unauthorized", title: "Authorization is required" }] });
    const wrong = await h.api.withKey(h.setup.apiKeyId, "wrong-secret").call("GET", "/users/validation-user");
    expect(wrong.status).toBe(401);
    const unknownKey = await h.api.withKey("int_nope", "x").call("GET", "/users/validation-user");
    expect(unknownKey.status).toBe(401);
  });

  it("accepts a HS256 JWT signed with the key secret and the key's scope", async () => {
    const jwt = (scope: string, secret = h.setup.appKeySecret) => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const unsigned = `${enc({ alg: "HS256", typ: "JWT", kid: h.setup.appKeyId })}.${enc({ scope })}`;
      return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
    };
    const ok = await h.api.call("GET", "/users/validation-user", undefined, { headers: { authorization: `Bearer ${jwt("app")}` } });
    expect(ok.status).toBe(200);
    const badScope = await h.api.call("GET", "/users/validation-user", undefined, { headers: { authorization: `Bearer ${jwt("account")}` } });
    expect(badScope.status).toBe(401);
    const badSignature = await h.api.call("GET", "/users/validation-user", undefined, { headers: { authorization: `Bearer ${jwt("app", "nope")}` } });
    expect(badSignature.status).toBe(401);
  });

  it("enforces key scopes: integration keys cannot list switchboards, app keys can", async () => {
    const asIntegration = await h.api.call("GET", "/switchboards");
    expect(asIntegration).toMatchObject({ status: 403, body: { errors: [{ code: "forbidden" }] } });
    const asApp = await h.api.withKey(h.setup.appKeyId, h.setup.appKeySecret).call("GET", "/switchboards");
    expect(asApp.status).toBe(200);
    expect(asApp.body.switchboards[0]).toMatchObject({ id: h.setup.switchboardId, enabled: true });
    const integrations = await h.api.withKey(h.setup.appKeyId, h.setup.appKeySecret).call("GET", `/switchboards/${h.setup.switchboardId}/switchboardIntegrations`);
    expect(integrations.body.switchboardIntegrations.map((s: { name: string }) => s.name)).toEqual(["zd-agentWorkspace", "zd-answerBot"]);
  });

  it("rejects non-JSON bodies with 415, bodies over 100 KB with 413, broken JSON with 400", async () => {
    const plain = await h.api.call("POST", "/users", undefined, { headers: { "content-type": "text/plain" }, rawBody: "hello" });
    expect(plain).toMatchObject({ status: 415, body: { errors: [{ code: "unsupported_media_type" }] } });
    const big = await h.api.call("POST", `/conversations/${conversationId}/messages`, undefined, {
      headers: { "content-type": "application/json" },
      rawBody: JSON.stringify({ author: { type: "business" }, content: text("x"), pad: "z".repeat(110 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.body.errors[0].code).toBe("payload_too_large");
    const broken = await h.api.call("POST", "/users", undefined, { headers: { "content-type": "application/json" }, rawBody: "{nope" });
    expect(broken).toMatchObject({ status: 400, body: { errors: [{ code: "bad_request" }] } });
  });

  it("creates users with 409 conflict on a taken externalId and finds them by either id", async () => {
    const again = await h.api.call("POST", "/users", { externalId: "validation-user" });
    expect(again).toMatchObject({ status: 409, body: { errors: [{ code: "conflict" }] } });
    const byExternal = await h.api.call("GET", "/users/validation-user");
    const byId = await h.api.call("GET", `/users/${userId}`);
    expect(byExternal.body.user.id).toBe(userId);
    expect(byId.body.user.externalId).toBe("validation-user");
    const badProfile = await h.api.call("POST", "/users", { externalId: "x2", profile: { email: "not-an-email" } });
    expect(badProfile.status).toBe(400);
  });

  it("refuses a second personal conversation unless multi-conversations is on", async () => {
    const second = await h.api.call("POST", "/conversations", { type: "personal", participants: [{ userId }] });
    expect(second.status).toBe(400);
    expect(second.body.errors[0].title).toMatch(/Multi-conversations/);
    const twoParticipants = await h.api.call("POST", "/conversations", { type: "personal", participants: [] });
    expect(twoParticipants.status).toBe(400);
  });

  it("pages messages backwards in fixed pages of 100 with cursors and links", async () => {
    const user = await h.api.createUser("pager");
    const conv = await h.api.createConversation(user);
    const ids: string[] = [];
    for (let i = 0; i < 105; i++) ids.push(await h.api.postText(conv, { type: "business" }, `m${i}`));
    const last = await h.api.call("GET", `/conversations/${conv}/messages`);
    expect(last.body.messages).toHaveLength(100);
    expect(last.body.messages[0].id).toBe(ids[5]);
    expect(last.body.meta).toEqual({ hasMore: true, beforeCursor: ids[5] });
    expect(last.body.links.prev).toContain(`page%5Bbefore%5D=${ids[5]}`);
    const first = await h.api.call("GET", `/conversations/${conv}/messages?page[before]=${ids[5]}`);
    expect(first.body.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(0, 5));
    expect(first.body.meta.hasMore).toBe(false);
    const after = await h.api.call("GET", `/conversations/${conv}/messages?page[after]=${ids[100]}`);
    expect(after.body.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(101));
    const both = await h.api.call("GET", `/conversations/${conv}/messages?page[after]=${ids[1]}&page[before]=${ids[2]}`);
    expect(both.status).toBe(400);
    const shortCursor = await h.api.call("GET", `/conversations/${conv}/messages?page[before]=abc`);
    expect(shortCursor.status).toBe(400);
    expect(shortCursor.body.errors[0].title).toMatch(/query\.page\.before/);
  });

  it("lists conversations by user filter and requires the filter", async () => {
    const listed = await h.api.call("GET", `/conversations?filter[userId]=${userId}`);
    expect(listed.body.conversations.map((c: { id: string }) => c.id)).toEqual([conversationId]);
    expect((await h.api.call("GET", "/conversations")).status).toBe(400);
  });

  it("serves the webhook to its own integration and hides it from others", async () => {
    const webhook = await h.api.call("GET", `/integrations/${h.setup.integrationId}/webhooks/${h.setup.webhookId}`);
    expect(webhook.body.webhook).toMatchObject({ id: h.setup.webhookId, version: "v2", secret: h.setup.webhookSecret, includeFullUser: false });
    expect(webhook.body.webhook.triggers).toContain("conversation:message");
    expect((await h.api.call("GET", `/integrations/${h.setup.integrationId}/webhooks/nope`)).status).toBe(404);
    expect((await h.api.call("GET", `/integrations/other/webhooks/${h.setup.webhookId}`)).status).toBe(404);
  });

  it("uploads a public attachment and serves it back at its mediaUrl", async () => {
    const form = new FormData();
    form.append("source", new Blob([Buffer.from("PNGDATA")], { type: "image/png" }), "photo.png");
    const auth = { authorization: h.api.authorization };
    const base = `${h.setup.apiUrl}/v2/apps/${h.setup.appId}/attachments`;
    const noAccess = await fetch(`${base}?for=message`, { method: "POST", headers: auth, body: form });
    expect(noAccess.status).toBe(400);
    const uploaded = await fetch(`${base}?access=public&for=message&conversationId=${conversationId}`, { method: "POST", headers: auth, body: form });
    expect(uploaded.status).toBe(201);
    const { attachment } = (await uploaded.json()) as { attachment: { mediaUrl: string; mediaType: string } };
    expect(attachment.mediaType).toBe("image/png");
    expect(attachment.mediaUrl).toMatch(/\/sc\/attachments\/v2\/[0-9A-Z]{26}\/photo\.png$/);
    const served = await fetch(attachment.mediaUrl);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).toString()).toBe("PNGDATA");
    const image = await post({ author: { type: "user", userId }, content: { type: "image", mediaUrl: attachment.mediaUrl } });
    expect(image.body.messages[0].content).toMatchObject({ type: "image", altText: "photo.png" });
  });

  it("answers 501 for spec operations it does not model and 404 for unknown paths", async () => {
    expect((await h.api.call("GET", "/integrations")).status).toBe(403);
    const unmodelled = await h.api.call("DELETE", `/users/${userId}`);
    expect(unmodelled).toMatchObject({ status: 501, body: { errors: [{ code: "not_implemented" }] } });
    expect((await h.api.call("GET", "/nothing-here")).status).toBe(404);
  });
});
