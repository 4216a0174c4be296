import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, PROJECT, randomSecret, startTestApp, trpcPost } from "./test/app-harness.ts";

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function signIn(headers: Record<string, string> = {}) {
  const res = await trpcPost(t.url, "auth.signIn", ADMIN, headers);
  return { res, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]! };
}

describe("HTTP surface", () => {
  it("answers /healthz once migrations ran", async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("sets an httpOnly SameSite=Strict session cookie on sign-in and clears it on sign-out", async () => {
    const { res, cookie } = await signIn();
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^zm_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const me = await fetch(`${t.url}/trpc/auth.me`, { headers: { cookie } });
    expect(JSON.stringify(await me.json())).toContain(ADMIN.email);
    // The Studio client batches; a batch of one void call is an empty object.
    const out = await fetch(`${t.url}/trpc/auth.signOut?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: "{}",
    });
    expect(out.status, await out.clone().text()).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/zm_session=;/);
    const after = await fetch(`${t.url}/trpc/auth.me`, { headers: { cookie } });
    expect(JSON.stringify(await after.json())).not.toContain(ADMIN.email);
  });

  it("refuses cross-site mutations even with a valid session (CSRF)", async () => {
    const { cookie } = await signIn();
    const body = {
      projectId: PROJECT,
      appId: "5ebee0975ac5304b664a12fa",
      integrationId: "5f4eaef81e3dcc117c7ba48b",
      webhookId: "5f4eaef81e3dcc117c7ba48a",
      apiKeyId: "int_abc",
      subdomain: "acme",
      sharedSecret: "a",
      apiKeySecret: "b",
      webhookSecretKey: "c",
    };
    const evil = await trpcPost(t.url, "zendesk.connect", body, { cookie, origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    const fetchMeta = await trpcPost(t.url, "zendesk.connect", body, { cookie, "sec-fetch-site": "cross-site" });
    expect(fetchMeta.status).toBe(403);
    expect(await t.services.zendeskConnections.get(PROJECT)).toBeNull();
    const same = await trpcPost(t.url, "zendesk.connect", body, { cookie, origin: "http://localhost:3000" });
    expect(same.status).toBe(200);
  });

  it("sends security headers: CSP without inline scripts, frame-ancestors, nosniff", async () => {
    const res = await fetch(`${t.url}/healthz`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("returns validation errors per field and never a stack trace", async () => {
    const { cookie } = await signIn();
    const res = await trpcPost(t.url, "zendesk.update", { projectId: PROJECT, appId: "nope" }, { cookie });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { zodError: { fieldErrors: Record<string, string[]> }; stack?: string } } };
    expect(body.error.data.zodError.fieldErrors.appId?.[0]).toMatch(/24 characters/);
    expect(body.error.data.stack).toBeUndefined();
  });

  it("names a nested field in validation errors by its full path", async () => {
    const { cookie } = await signIn();
    const topic = { projectId: PROJECT, name: "Human", phrases: ["agent"], actions: [{ action: "transfer_to_zendesk", options: { priority: "asap" } }] };
    const res = await trpcPost(t.url, "knowledge.createTopic", topic, { cookie });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { zodError: { fieldErrors: Record<string, string[]> } } } };
    expect(body.error.data.zodError.fieldErrors).toEqual({ "actions.0.options.priority": ["Priority is low, normal, high or urgent"] });
  });

  it("explains no field for a stored row that fails its own schema: that is our fault, not the caller's", async () => {
    const { cookie } = await signIn();
    const topic = await t.services.topics.create(PROJECT, "u1", { name: "Old", phrases: ["x"], answer: "", actions: [] });
    await t.services.db.prisma.topicAction.create({
      data: { id: "corrupt-action", topicId: topic.id, position: 0, action: "transfer_to_zendesk", utterance: "x", options: { retired_option: true } },
    });
    const res = await fetch(`${t.url}/trpc/knowledge.getTopic?input=${encodeURIComponent(JSON.stringify({ projectId: PROJECT, topicId: topic.id }))}`, {
      headers: { cookie },
    });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { message: string; data: { zodError: unknown } } };
    expect(body.error.message).toBe("Something went wrong on our side");
    expect(body.error.data.zodError).toBeNull();
    expect(JSON.stringify(body)).not.toContain("retired_option");
  });

  it("refuses oversize tRPC input with a clear status", async () => {
    const { cookie } = await signIn();
    const huge = await trpcPost(t.url, "zendesk.update", { projectId: PROJECT, appId: "x".repeat(2 * 1024 * 1024) }, { cookie });
    expect(huge.status).toBe(413);
    const long = await trpcPost(t.url, "zendesk.update", { projectId: PROJECT, sharedSecret: "x".repeat(5000) }, { cookie });
    expect(long.status).toBe(400);
  });

  it("never writes a submitted secret to the log", async () => {
    const { cookie } = await signIn();
    const secret = randomSecret();
    await trpcPost(t.url, "zendesk.update", { projectId: PROJECT, sharedSecret: secret, appId: "bad" }, { cookie });
    await trpcPost(t.url, "auth.signIn", { email: ADMIN.email, password: secret });
    expect(t.logLines.length).toBeGreaterThan(0);
    expect(t.logLines.join("")).not.toContain(secret);
    expect(t.logLines.join("")).not.toContain(ADMIN.password);
  });
});
