import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { zendeskSignature } from "../src/index.ts";
import { control, startHarness, type Harness } from "./helpers/harness.ts";

/** The whole hand-off as our product does it, with plain fetch and a local webhook receiver. */
describe("hand-off to Agent Workspace", () => {
  let h: Harness;
  let userId: string;
  let conversationId: string;
  let transcriptIds: string[];
  let ticketId: number;
  const agentId = () => (h.receiver.events().find((e) => e.payload.message?.source?.type === "zd:agentWorkspace")?.payload.message.metadata["__zendesk_msg.agent.id"] as string);

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.sandbox.specViolations).toEqual([]));

  it("creates the user and conversation, posts the transcript, and sees its own posts echoed", async () => {
    userId = await h.api.createUser("polyai:proj:CONV-123", { givenName: "Ada", surname: "Lovelace" });
    conversationId = await h.api.createConversation(userId, { handoff_session: "CONV-123" });
    transcriptIds = [];
    transcriptIds.push(await h.api.postText(conversationId, { type: "business", displayName: "PolyAI Assistant" }, "earlier chatter"));
    transcriptIds.push(await h.api.postText(conversationId, { type: "business", displayName: "PolyAI Assistant" }, "Transcript:\n\nUser: where is my parcel?\nBot: let me get a human"));
    transcriptIds.push(await h.api.postText(conversationId, { type: "business", displayName: "PolyAI Assistant" }, "Summary: parcel late"));
    const echoes = await h.receiver.waitFor(() => {
      const found = h.receiver.events().filter((e) => e.type === "conversation:message");
      return found.length >= 3 && found;
    });
    const request = h.receiver.on("/events")[0]!;
    expect(request.headers["x-api-key"]).toBe(h.setup.webhookSecret);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.json).toMatchObject({ app: { id: h.setup.appId }, webhook: { id: h.setup.webhookId, version: "v2" } });
    expect(echoes.map((e) => e.payload.message.id)).toEqual(transcriptIds);
    for (const echo of echoes) {
      expect(echo.id).toMatch(/^[0-9a-f]{24}$/);
      expect(echo.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(echo.payload.message).toMatchObject({ author: { type: "business", displayName: "PolyAI Assistant" }, source: { type: "api:conversations" } });
      expect(echo.payload.conversation).toMatchObject({ id: conversationId, type: "personal", metadata: { handoff_session: "CONV-123" } });
    }
    expect(h.sandbox.listTickets()).toEqual([]);
  });

  it("passControl to zd-agentWorkspace creates a ticket from the dataCapture metadata and first_message_id", async () => {
    const metadata = {
      first_message_id: transcriptIds[1]!,
      "dataCapture.systemField.requester.name": "Ada L.",
      "dataCapture.systemField.requester.email": "ada@example.com",
      "dataCapture.systemField.tags": "PolyAI_Handoff, polyai_s_conv123",
      "dataCapture.systemField.priority": "high",
      "dataCapture.systemField.group_id": "360001234567",
      "dataCapture.systemField.brand_id": "360000111222",
      "dataCapture.ticketField.360023540498": "CONV-123",
      origin_source_type: "web",
    };
    const response = await h.api.call("POST", `/conversations/${conversationId}/passControl`, { switchboardIntegration: "zd-agentWorkspace", metadata });
    expect(response).toMatchObject({ status: 200, body: {} });

    const event = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.type === "switchboard:passControl"));
    expect(event.payload.metadata).toEqual(metadata);
    expect(event.payload.conversation.activeSwitchboardIntegration).toMatchObject({ name: "zd-agentWorkspace", integrationType: "zd:agentWorkspace" });

    const [summary] = h.sandbox.listTickets();
    ticketId = summary!.id;
    expect(ticketId).toBe(1001);
    const ticket = (await control(h.sandbox, "GET", `/tickets/${ticketId}`)).body.ticket;
    expect(ticket).toMatchObject({
      status: "open",
      subject: "Conversation with Ada L.",
      requester: { name: "Ada L.", email: "ada@example.com" },
      tags: ["polyai_handoff", "polyai_s_conv123"],
      priority: "high",
      groupId: 360001234567,
      brandId: 360000111222,
      customFields: { "360023540498": "CONV-123" },
      via: { channel: "native_messaging", originSourceType: "web" },
      conversationId,
      sessionActive: true,
    });
    expect(ticket.transcript.map((e: { messageId: string }) => e.messageId)).toEqual(transcriptIds.slice(1));
    expect(ticket.transcript[0]).toMatchObject({ authorName: "PolyAI Assistant", authorType: "business" });

    const user = await h.api.call("GET", `/users/${userId}`);
    expect(user.body.user.zendeskId).toBe(String(ticket.requester.id));
  });

  it("ignores a duplicate passControl while the hand-off is live", async () => {
    const before = h.receiver.events().length;
    await h.api.call("POST", `/conversations/${conversationId}/passControl`, { switchboardIntegration: "zd:agentWorkspace", metadata: { "dataCapture.systemField.tags": "other" } });
    await h.sandbox.idle();
    expect(h.sandbox.listTickets()).toHaveLength(1);
    expect(h.sandbox.getTicket(ticketId).tags).not.toContain("other");
    expect(h.receiver.events().length).toBe(before);
  });

  it("appends the end user's messages to the ticket live", async () => {
    const messageId = await h.api.postText(conversationId, { type: "user", userId }, "Hello? Anyone there?");
    const ticket = h.sandbox.getTicket(ticketId);
    expect(ticket.transcript.at(-1)).toMatchObject({ messageId, authorType: "user", authorName: "Ada L.", text: "Hello? Anyone there?" });
    const echo = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.payload.message?.id === messageId));
    expect(echo.payload.message).toMatchObject({ author: { type: "user", userId, user: { id: userId, externalId: "polyai:proj:CONV-123" } }, source: { type: "api:conversations", integrationId: h.setup.integrationId } });
  });

  it("delivers the agent's reply as conversation:message with the agent's name, avatar and id", async () => {
    const reply = await control(h.sandbox, "POST", `/tickets/${ticketId}/reply`, { agentName: "Jane Agent", text: "Hi Ada, Jane here." });
    expect(reply.status).toBe(201);
    const event = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.payload.message?.id === reply.body.message.id));
    const message = event.payload.message;
    expect(message.author).toMatchObject({ type: "business", displayName: "Jane Agent" });
    expect(message.author.avatarUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/avatars\/\d+\.svg$/);
    expect(message.source.type).toBe("zd:agentWorkspace");
    expect(message.metadata["__zendesk_msg.agent.id"]).toMatch(/^\d+$/);
    expect(message.content).toEqual({ type: "text", text: "Hi Ada, Jane here." });
    const again = await control(h.sandbox, "POST", `/tickets/${ticketId}/reply`, { agentName: "Jane Agent", text: "Second" });
    const second = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.payload.message?.id === again.body.message.id));
    expect(second.payload.message.metadata["__zendesk_msg.agent.id"]).toBe(agentId());
    expect(h.sandbox.getTicket(ticketId).assigneeId).toBe(Number(agentId()));
    const visible = (await control(h.sandbox, "GET", `/conversations/${conversationId}/messages`)).body.messages;
    expect(visible.at(-1)).toMatchObject({ id: again.body.message.id, author: { subtypes: ["agent"] } });
  });

  it("relays agent typing as conversation:typing with a business author", async () => {
    await control(h.sandbox, "POST", `/tickets/${ticketId}/typing`, { agentName: "Jane Agent", typing: true });
    await control(h.sandbox, "POST", `/tickets/${ticketId}/typing`, { agentName: "Jane Agent", typing: false });
    const typing = await h.receiver.waitFor(() => {
      const found = h.receiver.events().filter((e) => e.type === "conversation:typing");
      return found.length === 2 && found;
    });
    expect(typing.map((e) => e.payload.activity.type)).toEqual(["typing:start", "typing:stop"]);
    expect(typing[0]!.payload.activity).toMatchObject({ author: { type: "business", displayName: "Jane Agent" }, source: { type: "zd:agentWorkspace" } });
    expect(typing[0]!.payload.conversation.id).toBe(conversationId);
  });

  it("posts a signed status webhook with the API-key header when the agent solves the ticket", async () => {
    const response = await control(h.sandbox, "POST", `/tickets/${ticketId}/status`, { status: "solved" });
    expect(response.body.ticket.status).toBe("solved");
    const request = await h.receiver.waitFor(() => h.receiver.on("/status")[0]);
    const headers = request.headers;
    expect(headers["x-api-key"]).toBe(h.setup.statusHeaderValue);
    expect(headers["x-zendesk-account-id"]).toBe(String(h.setup.accountId));
    expect(headers["x-zendesk-webhook-id"]).toBe(h.setup.statusWebhookId);
    expect(h.setup.statusWebhookId).toMatch(/^01[0-9A-HJKMNP-TV-Z]{24}$/);
    expect(headers["x-zendesk-webhook-invocation-id"]).toMatch(/^\d+$/);
    const timestamp = String(headers["x-zendesk-webhook-signature-timestamp"]);
    expect(timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(headers["x-zendesk-webhook-signature"]).toBe(zendeskSignature(h.setup.signingSecret!, timestamp, request.rawBody));
    expect(request.json).toMatchObject({
      type: "zen:event-type:ticket.status_changed",
      account_id: h.setup.accountId,
      subject: `zen:ticket:${ticketId}`,
      zendesk_event_version: "2022-11-06",
      detail: { id: String(ticketId), status: "SOLVED", priority: "HIGH", tags: ["polyai_handoff", "polyai_s_conv123"], group_id: "360001234567", via: { channel: "native_messaging" } },
      event: { previous: "OPEN", current: "SOLVED" },
    });
    expect((request.json as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reopens a solved ticket when the customer writes again", async () => {
    await h.api.postText(conversationId, { type: "user", userId }, "Actually, one more thing");
    const reopened = await h.receiver.waitFor(() => h.receiver.on("/status")[1]);
    expect(reopened.json).toMatchObject({ event: { previous: "SOLVED", current: "OPEN" } });
    expect(h.sandbox.getTicket(ticketId).status).toBe("open");
  });

  it("ending the session releases control without changing the ticket status", async () => {
    const ended = await control(h.sandbox, "POST", `/tickets/${ticketId}/end-session`);
    expect(ended.body.ticket).toMatchObject({ status: "open", sessionActive: false });
    const release = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.type === "switchboard:releaseControl"));
    expect(release.payload.conversation.id).toBe(conversationId);
    expect(release.payload.conversation.activeSwitchboardIntegration).toBeUndefined();
    expect(release.payload.reason).toBeUndefined();
    const late = await control(h.sandbox, "POST", `/tickets/${ticketId}/reply`, { text: "too late" });
    expect(late).toMatchObject({ status: 409, body: { code: "session_ended" } });
  });

  it("closing a ticket whose hand-off is live passes control to AW's next integration with reason ticketClosed", async () => {
    const user = await h.api.createUser("second-customer");
    const conversation = await h.api.createConversation(user);
    await h.api.call("POST", `/conversations/${conversation}/passControl`, { switchboardIntegration: "zd-agentWorkspace", metadata: {} });
    const ticket = h.sandbox.listTickets().find((t) => t.conversationId === conversation)!;
    expect(ticket.subject).toMatch(/^Conversation with Web User /);
    await control(h.sandbox, "POST", `/tickets/${ticket.id}/status`, { status: "closed" });
    const pass = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.type === "switchboard:passControl" && e.payload.reason === "ticketClosed"));
    expect(pass.payload.conversation).toMatchObject({ id: conversation, activeSwitchboardIntegration: { name: "zd-answerBot" } });
    expect((await control(h.sandbox, "POST", `/tickets/${ticket.id}/status`, { status: "open" })).status).toBe(409);
  });

  it("a user message while AW controls the conversation opens a ticket without hand-off metadata", async () => {
    const user = await h.api.createUser("impatient-customer");
    const conversation = await h.api.createConversation(user);
    await h.api.postText(conversation, { type: "user", userId: user }, "I wrote before the hand-off");
    const ticket = h.sandbox.listTickets().find((t) => t.conversationId === conversation)!;
    expect(ticket).toMatchObject({ tags: [], priority: null, messageCount: 1 });
  });

  it("reports a failed passControl to an unknown switchboard integration", async () => {
    const user = await h.api.createUser("unlucky");
    const conversation = await h.api.createConversation(user);
    const response = await h.api.call("POST", `/conversations/${conversation}/passControl`, { switchboardIntegration: "zd-nobody" });
    expect(response.status).toBe(400);
    const failure = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.type === "switchboard:passControl:failure"));
    expect(failure.payload.error).toMatchObject({ code: "switchboard_invalid_target" });
  });

  it("integration keys get 403 on releaseControl while AW is active; app keys may release", async () => {
    const user = await h.api.createUser("release-me");
    const conversation = await h.api.createConversation(user);
    await h.api.call("POST", `/conversations/${conversation}/passControl`, { switchboardIntegration: "zd-agentWorkspace" });
    expect((await h.api.call("POST", `/conversations/${conversation}/releaseControl`, {})).status).toBe(403);
    const asApp = h.api.withKey(h.setup.appKeyId, h.setup.appKeySecret);
    expect((await asApp.call("POST", `/conversations/${conversation}/releaseControl`)).status).toBe(200);
    const ticket = h.sandbox.listTickets().find((t) => t.conversationId === conversation)!;
    expect(ticket.sessionActive).toBe(false);
  });

  it("offerControl and acceptControl move control through the pending integration", async () => {
    const user = await h.api.createUser("offer-me");
    const conversation = await h.api.createConversation(user);
    const asApp = h.api.withKey(h.setup.appKeyId, h.setup.appKeySecret);
    expect((await asApp.call("POST", `/conversations/${conversation}/offerControl`, { switchboardIntegration: "zd-answerBot" })).status).toBe(200);
    expect((await asApp.call("GET", `/conversations/${conversation}`)).body.conversation.pendingSwitchboardIntegration.name).toBe("zd-answerBot");
    expect((await h.api.call("POST", `/conversations/${conversation}/acceptControl`, {})).status).toBe(403);
    expect((await asApp.call("POST", `/conversations/${conversation}/acceptControl`, {})).status).toBe(200);
    const after = (await asApp.call("GET", `/conversations/${conversation}`)).body.conversation;
    expect(after.activeSwitchboardIntegration.name).toBe("zd-answerBot");
    expect(after.pendingSwitchboardIntegration).toBeUndefined();
  });

  it("deleting the conversation raises conversation:remove", async () => {
    const user = await h.api.createUser("to-delete");
    const conversation = await h.api.createConversation(user);
    expect((await h.api.call("DELETE", `/conversations/${conversation}`)).status).toBe(200);
    const removed = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.type === "conversation:remove"));
    expect(removed.payload.conversation.id).toBe(conversation);
    expect((await h.api.call("GET", `/conversations/${conversation}`)).status).toBe(404);
  });

  it("simulates an end user writing from the web widget through the control API", async () => {
    const response = await control(h.sandbox, "POST", `/conversations/${conversationId}/messages`, { text: "from the widget" });
    expect(response.status).toBe(201);
    const event = await h.receiver.waitFor(() => h.receiver.events().find((e) => e.payload.message?.id === response.body.message.id));
    expect(event.payload.message).toMatchObject({ author: { type: "user", userId }, source: { type: "web" } });
  });
});
