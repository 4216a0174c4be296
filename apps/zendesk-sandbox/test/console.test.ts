import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, startHarness, type Harness } from "./helpers/harness.ts";

/** The console's HTML contract: accessible names, CSP-safe markup, forms that work without script. */
describe("agent console", () => {
  let h: Harness;
  let ticketId: number;
  let conversationId: string;

  beforeAll(async () => {
    h = await startHarness();
    const user = await h.api.createUser("console-user", { givenName: "Ada", surname: "Lovelace", email: "ada@example.com" });
    conversationId = await h.api.createConversation(user);
    const first = await h.api.postText(conversationId, { type: "business", displayName: "Bot" }, "<img src=x onerror=alert(1)> hello");
    await h.api.call("POST", `/conversations/${conversationId}/passControl`, {
      switchboardIntegration: "zd-agentWorkspace",
      metadata: { first_message_id: first, "dataCapture.systemField.tags": "vip", "dataCapture.systemField.priority": "urgent", "dataCapture.systemField.group_id": "42", "dataCapture.systemField.brand_id": "7", "dataCapture.ticketField.555": "CONV-9" },
    });
    ticketId = h.sandbox.listTickets()[0]!.id;
  });
  afterAll(() => h.close());

  const get = async (path: string) => {
    const response = await fetch(`${h.sandbox.url}${path}`);
    return { status: response.status, html: await response.text(), headers: response.headers };
  };

  function expectCspSafe(html: string): void {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<[^>]*\sstyle\s*=/i);
  }

  it("lists tickets with links named '#<id> <subject>' and their status", async () => {
    const { status, html, headers } = await get("/console");
    expect(status).toBe(200);
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(html).toContain("<h1>Agent console</h1>");
    expect(html).toContain(`<a href="/console/tickets/${ticketId}">#${ticketId} Conversation with Ada Lovelace</a>`);
    expect(html).toContain("Status: open");
    for (const name of ["Tickets", "Delivery log", "Settings"]) expect(html).toMatch(new RegExp(`<a href="[^"]+"[^>]*>${name}</a>`));
    expectCspSafe(html);
  });

  it("shows the ticket fields, the transcript as a log, and labelled controls", async () => {
    const { html } = await get(`/console/tickets/${ticketId}`);
    expect(html).toContain(`<h1>Ticket #${ticketId}</h1>`);
    for (const [term, value] of [["Status", "open"], ["Requester", "Ada Lovelace &lt;ada@example.com&gt;"], ["Tags", "vip"], ["Priority", "urgent"], ["Group", "42"], ["Brand", "7"], ["Field 555", "CONV-9"]]) {
      expect(html).toContain(`<dt>${term}</dt><dd>${value}</dd>`);
    }
    expect(html).toMatch(/role="log" aria-label="Transcript"/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; hello");
    expect(html).not.toContain("<img src=x");
    expect(html).toMatch(/<label for="agent-name">Agent name<\/label>\s*<input id="agent-name"[^>]*value="Jane Agent"/);
    expect(html).toMatch(/<label for="reply-text">Reply<\/label>\s*<textarea id="reply-text"/);
    expect(html).toMatch(/<label for="ticket-status">Status<\/label>\s*<select id="ticket-status"/);
    for (const option of ["open", "pending", "solved", "closed"]) expect(html).toContain(`<option value="${option}"`);
    for (const button of ["Send reply", "Start typing", "Stop typing", "Update status", "End session"]) expect(html).toMatch(new RegExp(`<button[^>]*>${button}</button>`));
    expectCspSafe(html);
  });

  it("accepts the forms without script (redirect) and with script (JSON)", async () => {
    const form = new URLSearchParams({ agentName: "Sam Agent", text: "Hello from the form" });
    const plain = await fetch(`${h.sandbox.url}/console/tickets/${ticketId}/reply`, { method: "POST", body: form, redirect: "manual" });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`/console/tickets/${ticketId}`);
    const json = await fetch(`${h.sandbox.url}/console/tickets/${ticketId}/typing`, { method: "POST", body: new URLSearchParams({ agentName: "Sam Agent", typing: "start" }), headers: { accept: "application/json" } });
    expect(json.status).toBe(200);
    await h.sandbox.idle();
    const reply = h.receiver.events().find((e) => e.payload.message?.content?.text === "Hello from the form");
    expect(reply?.payload.message.author.displayName).toBe("Sam Agent");
    expect(h.receiver.events().some((e) => e.type === "conversation:typing" && e.payload.activity.author.displayName === "Sam Agent")).toBe(true);
    const { html } = await get(`/console/tickets/${ticketId}`);
    expect(html).toContain("Hello from the form");
  });

  it("shows an error for a bad form instead of failing silently", async () => {
    const response = await fetch(`${h.sandbox.url}/console/tickets/${ticketId}/status`, { method: "POST", body: new URLSearchParams({ status: "lost" }), headers: { accept: "application/json" } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/status must be one of/);
  });

  it("shows the delivery log newest first", async () => {
    await h.sandbox.idle();
    const { html } = await get("/console/deliveries");
    expect(html).toContain("<h1>Delivery log</h1>");
    expect(html).toMatch(/<table class="log">/);
    expect(html).toContain("conversation:message");
    expect(html).toContain("HTTP 200");
    expectCspSafe(html);
  });

  it("shows ids with masked secrets and edits both webhooks", async () => {
    const { html } = await get("/console/settings");
    expect(html).toContain("<h1>Settings</h1>");
    for (const id of [h.setup.appId, h.setup.integrationId, h.setup.webhookId, h.setup.apiKeyId]) expect(html).toContain(id);
    for (const secret of [h.setup.apiKeySecret, h.setup.webhookSecret, h.setup.statusHeaderValue, h.setup.signingSecret!]) expect(html).not.toContain(secret);
    expect(html).toMatch(/<label for="webhook-version">Webhook version<\/label>/);
    expect(html).toMatch(/<label for="trigger-\d+">conversation:typing<\/label>/);
    for (const label of ["Target URL", "Header name", "Header value", "Signing secret"]) expect(html).toContain(`">${label}</label>`);
    for (const button of ["Save webhook", "Save status webhook"]) expect(html).toContain(`>${button}</button>`);
    expectCspSafe(html);

    const webhookForm = new URLSearchParams([["target", `${h.receiver.url}/events2`], ["version", "v2"], ["triggers", "conversation:message"], ["triggers", "conversation:typing"]]);
    expect((await fetch(`${h.sandbox.url}/console/settings/webhook`, { method: "POST", body: webhookForm, headers: { accept: "application/json" } })).status).toBe(200);
    expect(h.sandbox.currentSetup()).toMatchObject({ eventsUrl: `${h.receiver.url}/events2`, triggers: ["conversation:message", "conversation:typing"] });

    const statusForm = new URLSearchParams({ target: `${h.receiver.url}/status2`, headerName: "X-Custom-Auth", headerValue: "", signingSecret: "new-signing-secret" });
    expect((await fetch(`${h.sandbox.url}/console/settings/status-webhook`, { method: "POST", body: statusForm, headers: { accept: "application/json" } })).status).toBe(200);
    expect(h.sandbox.currentSetup()).toMatchObject({ statusUrl: `${h.receiver.url}/status2`, statusHeaderName: "X-Custom-Auth", statusHeaderValue: h.setup.statusHeaderValue, signingSecret: "new-signing-secret" });
  });

  it("serves the console script and stylesheet from its own origin", async () => {
    const script = await fetch(`${h.sandbox.url}/console/assets/console.js`);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(await script.text()).not.toMatch(/innerHTML\s*=[^=]/);
    expect((await fetch(`${h.sandbox.url}/console/assets/console.css`)).status).toBe(200);
    expect((await fetch(`${h.sandbox.url}/console/assets/other.js`)).status).toBe(404);
  });

  it("answers 404 pages for unknown tickets and keeps the control API JSON", async () => {
    expect((await get("/console/tickets/99999")).status).toBe(404);
    expect((await control(h.sandbox, "GET", "/tickets/99999")).body).toMatchObject({ code: "ticket_not_found" });
    expect(h.sandbox.specViolations).toEqual([]);
  });
});

describe("control API set-up", () => {
  it("answers 404 before set-up, validates input, and returns the same app on a second set-up", async () => {
    const { startSandbox } = await import("../src/index.ts");
    const sandbox = await startSandbox({ port: 0, log: false });
    try {
      expect((await control(sandbox, "GET", "/setup")).status).toBe(404);
      expect((await control(sandbox, "POST", "/setup", { defaultResponder: "robot" })).status).toBe(400);
      expect((await control(sandbox, "POST", "/setup", { eventsUrl: "ftp://x" })).status).toBe(400);
      const first = (await control(sandbox, "POST", "/setup", { signing: false })).body;
      expect(first.appId).toMatch(/^[0-9a-f]{24}$/);
      expect(first.apiKeyId).toMatch(/^int_/);
      expect(first.appKeyId).toMatch(/^app_/);
      expect(first.signingSecret).toBeNull();
      expect(first.statusHeaderName).toBe("X-API-Key");
      expect(first.subdomain).toBe("sandbox");
      const second = (await control(sandbox, "POST", "/setup", { eventsUrl: "http://127.0.0.1:9/events" })).body;
      expect(second).toMatchObject({ appId: first.appId, apiKeySecret: first.apiKeySecret, eventsUrl: "http://127.0.0.1:9/events" });
      expect((await control(sandbox, "POST", "/reset")).status).toBe(200);
      expect((await control(sandbox, "GET", "/setup")).status).toBe(404);
    } finally {
      await sandbox.close();
    }
  });
});
