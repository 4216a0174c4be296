import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeSubdomain, zendeskConnectInput, zendeskUpdateInput, zendeskWebhookUrls } from "./zendesk-connection.ts";

const valid = {
  appId: "5ebee0975ac5304b664a12fa",
  integrationId: "5f4eaef81e3dcc117c7ba48b",
  webhookId: "5f4eaef81e3dcc117c7ba48a",
  apiKeyId: "int_5f4eaef81e3dcc117c7ba48c",
  subdomain: "acme",
  sharedSecret: "a",
  apiKeySecret: "b",
  webhookSecretKey: "c",
};

function errorsOf(input: unknown, schema = zendeskConnectInput) {
  const r = schema.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("subdomain normalisation", () => {
  it.each([
    ["acme", "acme"],
    ["  ACME  ", "acme"],
    ["acme.zendesk.com", "acme"],
    ["https://acme.zendesk.com/", "acme"],
    ["http://acme.zendesk.com/agent/tickets/12?x=1", "acme"],
    ["acme-support.zendesk.com:443", "acme-support"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeSubdomain(input)).toBe(expected);
    expect(zendeskConnectInput.parse({ ...valid, subdomain: input }).subdomain).toBe(expected);
  });

  it.each(["", "   ", "acme corp", "-acme", "acme_1", "https://", "x".repeat(64)])("refuses %j", (input) => {
    expect(errorsOf({ ...valid, subdomain: input }).subdomain).toBeTruthy();
  });

  it("is idempotent for any input", () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeSubdomain(normalizeSubdomain(s)) === normalizeSubdomain(s)));
  });
});

describe("connect form schema", () => {
  it("trims pasted values and fills the defaults", () => {
    const out = zendeskConnectInput.parse({
      ...valid,
      appId: `  ${valid.appId}\n`,
      sharedSecret: "  padded  ",
    });
    expect(out.appId).toBe(valid.appId);
    expect(out.sharedSecret).toBe("padded");
    expect(out.statusAuthHeaderName).toBe("X-API-Key");
    expect(out.switchboardTarget).toBe("zd-agentWorkspace");
  });

  it("names each missing field", () => {
    expect(errorsOf({})).toMatchObject({
      appId: expect.any(String),
      integrationId: expect.any(String),
      webhookId: expect.any(String),
      apiKeyId: expect.any(String),
    });
    expect(errorsOf({ ...valid, sharedSecret: "", apiKeySecret: " ", webhookSecretKey: "" })).toEqual({
      sharedSecret: "Shared secret is required",
      apiKeySecret: "API key secret is required",
      webhookSecretKey: "Webhook secret key is required",
    });
  });

  it("explains that the Integration ID is not an API key ID", () => {
    expect(errorsOf({ ...valid, apiKeyId: valid.integrationId }).apiKeyId).toMatch(/Integration ID is not an API key ID/);
    expect(errorsOf({ ...valid, apiKeyId: "app_abc123" })).toEqual({});
  });

  it("refuses ids that are not 24 hex characters and header names with spaces", () => {
    expect(errorsOf({ ...valid, appId: "not-an-id" }).appId).toMatch(/24 characters/);
    expect(errorsOf({ ...valid, statusAuthHeaderName: "X API Key" }).statusAuthHeaderName).toMatch(/header name/i);
  });

  it("lets an update leave secrets blank", () => {
    expect(errorsOf({ ...valid, sharedSecret: "", apiKeySecret: "", webhookSecretKey: "" }, zendeskUpdateInput)).toEqual({});
  });
});

describe("webhook URLs", () => {
  it("are built from the public base URL and the project id", () => {
    expect(zendeskWebhookUrls("https://x.example/", "PROJECT-f07a975e")).toEqual({
      events: "https://x.example/handoff/webhooks/zendesk/PLATFORM/PROJECT-f07a975e/live/events",
      status: "https://x.example/handoff/webhooks/zendesk/PLATFORM/PROJECT-f07a975e/live/status",
    });
  });
});
