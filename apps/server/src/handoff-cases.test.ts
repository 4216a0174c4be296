import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAILURE_FLOOR_MS } from "@zm/handoff";
import { PROJECT, startHandoffStack, type HandoffStack, type WidgetClient } from "./test/handoff-stack.ts";

let stack: HandoffStack;
beforeAll(async () => {
  stack = await startHandoffStack();
});
afterAll(() => stack?.close());

const eventsUrl = () => `${stack.url}/handoff/webhooks/zendesk/PLATFORM/${PROJECT}/live/events`;
const statusUrl = () => `${stack.url}/handoff/webhooks/zendesk/PLATFORM/${PROJECT}/live/status`;
const hex24 = () => randomBytes(12).toString("hex");

/** Opens a widget and asks for a human; resolves once the ticket exists in the sandbox. */
async function handedOff(): Promise<{ widget: WidgetClient; ticketId: number; sessionId: string; zendeskConversationId: string }> {
  const widget = await stack.openWidget();
  await widget.say("I want to talk to a human");
  await widget.waitForText("Connecting you to an agent...");
  await stack.settle();
  const conversationId = widget.welcome!.conversationId;
  const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId } });
  const ticket = stack.sandbox.listTickets().find((t) => t.conversationId === session.zendeskConversationId);
  if (!ticket) throw new Error("no ticket");
  return { widget, ticketId: ticket.id, sessionId: session.id, zendeskConversationId: session.zendeskConversationId! };
}

async function sessionOf(id: string) {
  return stack.services.db.prisma.handoffSession.findUniqueOrThrow({ where: { id }, include: { transitions: { orderBy: { at: "asc" } } } });
}

function postEvents(events: unknown[], headers: Record<string, string> = {}) {
  return fetch(eventsUrl(), {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": stack.setup.webhookSecret, ...headers },
    body: JSON.stringify({ app: { id: stack.setup.appId }, webhook: { id: stack.setup.webhookId, version: "v2" }, events }),
  });
}

function agentMessageEvent(conversationId: string, text: string, received: Date, id = hex24()) {
  return {
    id: hex24(),
    createdAt: received.toISOString(),
    type: "conversation:message",
    payload: {
      conversation: { id: conversationId, type: "personal" },
      message: {
        id,
        received: received.toISOString(),
        author: { type: "business", displayName: "Late Agent" },
        content: { type: "text", text },
        source: { type: "zd:agentWorkspace" },
        metadata: { "__zendesk_msg.agent.id": "42" },
      },
    },
  };
}

describe("session transitions", () => {
  it("ends when the agent ends the messaging session (releaseControl)", async () => {
    const { widget, ticketId, sessionId } = await handedOff();
    stack.sandbox.reply(ticketId, { agentName: "Sam", text: "Hello from Sam" });
    await widget.waitForText("Hello from Sam");
    stack.sandbox.endSession(ticketId);
    await widget.waitForText("The agent ended the chat.");
    await widget.waitForText("I'm the virtual assistant again");
    const session = await sessionOf(sessionId);
    expect(session.state).toBe("ended");
    expect(session.endReason).toBe("agent_ended_session");
  });

  it("ends from waiting_for_agent when the ticket is closed before anyone answered", async () => {
    const { widget, ticketId, sessionId } = await handedOff();
    expect((await sessionOf(sessionId)).state).toBe("waiting_for_agent");
    stack.sandbox.setStatus(ticketId, "closed");
    await widget.waitForText("I'm the virtual assistant again");
    const session = await sessionOf(sessionId);
    expect(session.state).toBe("ended");
    expect(session.transitions.map((t) => t.toState)).toEqual(["handoff_requested", "waiting_for_agent", "ended"]);
    // Closing fires both the status webhook and a switchboard event: one end, one closing line.
    await stack.settle();
    expect(widget.messages.filter((m) => m.text.includes("virtual assistant again"))).toHaveLength(1);
  });

  it("keeps the session open while the ticket is pending", async () => {
    const { widget, ticketId, sessionId } = await handedOff();
    stack.sandbox.setStatus(ticketId, "pending");
    await stack.settle();
    expect((await sessionOf(sessionId)).state).toBe("waiting_for_agent");
    stack.sandbox.reply(ticketId, { agentName: "Pat", text: "Still here" });
    await widget.waitForText("Still here");
  });

  it("fails visibly when Zendesk refuses the hand-off, and the AI agent carries on", async () => {
    await stack.services.db.prisma.zendeskConnection.update({ where: { projectId: PROJECT }, data: { switchboardTarget: "no-such-integration" } });
    stack.services.runtime.forgetCredentials(PROJECT);
    try {
      const widget = await stack.openWidget();
      await widget.say("talk to a human");
      await widget.waitForText("Sorry, I can't connect you to an agent right now.");
      await widget.waitFor((e) => e.type === "state" && e.state === "bot");
      const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId: widget.welcome!.conversationId } });
      expect(session.state).toBe("failed");
      expect(session.endReason).toBe("zendesk_refused");
      await widget.say("opening hours?");
      await widget.waitForText("Sorry, I didn't quite get that.");
    } finally {
      await stack.services.db.prisma.zendeskConnection.update({ where: { projectId: PROJECT }, data: { switchboardTarget: "zd-agentWorkspace" } });
      stack.services.runtime.forgetCredentials(PROJECT);
    }
  });

  it("ends idle sessions with that reason, and tells a waiting end user once that they are still queued", async () => {
    const { widget, sessionId } = await handedOff();
    const prisma = stack.services.db.prisma;
    await prisma.project.update({ where: { id: PROJECT }, data: { waitNoticeAfterSeconds: 10, idleTimeoutMinutes: 1 } });
    try {
      await prisma.handoffSession.update({ where: { id: sessionId }, data: { createdAt: new Date(Date.now() - 60_000) } });
      await stack.services.runtime.sweep();
      await stack.services.runtime.sweep();
      await widget.waitForText("you're still in the queue");
      expect(widget.messages.filter((m) => m.text.includes("still in the queue"))).toHaveLength(1);
      expect((await sessionOf(sessionId)).state).toBe("waiting_for_agent");

      await prisma.handoffSession.update({ where: { id: sessionId }, data: { lastActivityAt: new Date(Date.now() - 2 * 60_000) } });
      await stack.services.runtime.sweep();
      await widget.waitForText("ended after a period of inactivity");
      expect((await sessionOf(sessionId)).endReason).toBe("idle_timeout");
    } finally {
      await prisma.project.update({ where: { id: PROJECT }, data: { waitNoticeAfterSeconds: null, idleTimeoutMinutes: null } });
    }
  });
});

describe("echoes, foreign conversations, duplicates and order", () => {
  it("ignores echoes of our own posts and shows the agent's message once even when delivered twice", async () => {
    const { widget, ticketId, sessionId } = await handedOff();
    stack.sandbox.addFault({ target: "webhooks", mode: "duplicate", count: 3 });
    stack.sandbox.reply(ticketId, { agentName: "Dee", text: "Only once please" });
    await widget.waitForText("Only once please");
    await stack.settle();
    expect(widget.messages.filter((m) => m.text === "Only once please")).toHaveLength(1);
    const inbox = await stack.services.db.prisma.inboxEvent.findMany({ where: { routingKey: sessionId } });
    const outcomes = inbox.map((e) => e.outcome);
    expect(outcomes).toContain("echo of our own post");
    expect(outcomes.filter((o) => o === "delivered to the end user")).toHaveLength(1);
  });

  it("acknowledges a repeated event id without processing it again", async () => {
    const { widget, zendeskConversationId } = await handedOff();
    const event = agentMessageEvent(zendeskConversationId, "Sent exactly once", new Date());
    const first = await postEvents([event]);
    const second = await postEvents([event]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toEqual({ ok: true, stored: 0, duplicates: 1 });
    await widget.waitForText("Sent exactly once");
    await stack.settle();
    expect(widget.messages.filter((m) => m.text === "Sent exactly once")).toHaveLength(1);
  });

  it("ignores conversations that are not ours, storing no content", async () => {
    const res = await postEvents([agentMessageEvent(hex24(), "secret text of another brand", new Date())]);
    expect(res.status).toBe(200);
    const row = await stack.services.db.prisma.inboxEvent.findFirstOrThrow({ where: { status: "ignored", outcome: "not one of our conversations" }, orderBy: { receivedAt: "desc" } });
    expect(row.payload).toBeNull();
  });

  it("drops a typing event that arrives after the message it preceded", async () => {
    const { widget, ticketId, zendeskConversationId } = await handedOff();
    stack.sandbox.reply(ticketId, { agentName: "Ty", text: "Typed already" });
    await widget.waitForText("Typed already");
    await stack.settle();
    const before = widget.events.filter((e) => e.type === "typing" && e.active).length;
    const typing = {
      id: hex24(),
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      type: "conversation:typing",
      payload: { conversation: { id: zendeskConversationId, type: "personal" }, activity: { type: "typing:start", author: { type: "business" }, source: { type: "zd:agentWorkspace" } } },
    };
    expect((await postEvents([typing])).status).toBe(200);
    await stack.settle();
    expect(widget.events.filter((e) => e.type === "typing" && e.active).length).toBe(before);
  });

  it("still delivers an agent message sent before the ticket was solved but delivered after", async () => {
    const { widget, ticketId, zendeskConversationId } = await handedOff();
    const sentAt = new Date(Date.now() - 500);
    stack.sandbox.setStatus(ticketId, "solved");
    await widget.waitForText("I'm the virtual assistant again");
    await postEvents([agentMessageEvent(zendeskConversationId, "Last words before solving", sentAt)]);
    await widget.waitForText("Last words before solving");
    await postEvents([agentMessageEvent(zendeskConversationId, "Much later", new Date(Date.now() + 60_000))]);
    await stack.settle();
    expect(widget.messages.some((m) => m.text === "Much later")).toBe(false);
  });
});

describe("webhook endpoints", () => {
  it("answers 401 for a wrong or missing X-API-Key and for another app or webhook", async () => {
    expect((await postEvents([], { "x-api-key": "wrong" })).status).toBe(401);
    const missing = await fetch(eventsUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(missing.status).toBe(401);
    const otherApp = await fetch(eventsUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": stack.setup.webhookSecret },
      body: JSON.stringify({ app: { id: hex24() }, webhook: { id: stack.setup.webhookId, version: "v2" }, events: [] }),
    });
    expect(otherApp.status).toBe(401);
    const otherHook = await fetch(eventsUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": stack.setup.webhookSecret },
      body: JSON.stringify({ app: { id: stack.setup.appId }, webhook: { id: hex24(), version: "v2" }, events: [] }),
    });
    expect(otherHook.status).toBe(401);
    const rejected = await stack.services.db.prisma.inboxEvent.count({ where: { status: "rejected" } });
    expect(rejected).toBeGreaterThanOrEqual(4);
  });

  it("answers 404 for an unknown project, no faster than a 401", async () => {
    const unknown = eventsUrl().replace(PROJECT, "PROJECT-99999999");
    const time = async (url: string) => {
      const t0 = performance.now();
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-api-key": "nope" }, body: "{}" });
      return { status: res.status, ms: performance.now() - t0 };
    };
    const a = await time(unknown);
    const b = await time(eventsUrl());
    const c = await time(eventsUrl().replace(PROJECT, "not-a-project"));
    expect([a.status, b.status, c.status]).toEqual([404, 401, 404]);
    for (const r of [a, b, c]) expect(r.ms).toBeGreaterThanOrEqual(FAILURE_FLOOR_MS - 1);
  });

  it("answers 400 for malformed JSON, 415 for another content type, 413 above 1 MiB", async () => {
    const bad = await fetch(eventsUrl(), { method: "POST", headers: { "content-type": "application/json", "x-api-key": stack.setup.webhookSecret }, body: "{not json" });
    expect(bad.status).toBe(400);
    const form = await fetch(eventsUrl(), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-api-key": stack.setup.webhookSecret }, body: "a=1" });
    expect(form.status).toBe(415);
    const huge = await fetch(eventsUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": stack.setup.webhookSecret },
      body: JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(huge.status).toBe(413);
  });

  it("refuses a status webhook without the API-key header or with a bad signature", async () => {
    const body = JSON.stringify({ type: "zen:event-type:ticket.status_changed", id: hex24(), time: new Date().toISOString(), detail: { id: "1", status: "SOLVED", tags: [] }, event: { current: "SOLVED" } });
    const noKey = await fetch(statusUrl(), { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(noKey.status).toBe(401);
    const badSig = await fetch(statusUrl(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [stack.setup.statusHeaderName]: stack.setup.statusHeaderValue,
        "x-zendesk-webhook-signature": "AAAA",
        "x-zendesk-webhook-signature-timestamp": new Date().toISOString(),
      },
      body,
    });
    expect(badSig.status).toBe(401);
  });
});

describe("a project that is not connected", () => {
  it("tells the end user and keeps the AI agent answering", async () => {
    const other = await startHandoffStack({ connect: false });
    try {
      const widget = await other.openWidget();
      await widget.say("talk to a human");
      await widget.waitForText("Sorry, I can't connect you to an agent right now.");
      const session = await other.services.db.prisma.handoffSession.findFirstOrThrow();
      expect([session.state, session.endReason]).toEqual(["failed", "not_connected"]);
      expect(widget.messages.some((m) => m.text.includes("Connecting you"))).toBe(false);
      expect(other.sandbox.listTickets()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe("a flow step calling transfer_to_zendesk through the runtime's API", () => {
  async function conversationOf(widget: WidgetClient) {
    const conversation = await stack.services.runtime.context.chats.conversation(widget.welcome!.conversationId);
    if (!conversation) throw new Error("no conversation");
    return conversation;
  }

  it("says the step's utterance and hands off with its routing fields", async () => {
    const widget = await stack.openWidget();
    const result = await stack.services.runtime.callAgentFunction(await conversationOf(widget), "transfer_to_zendesk", {
      utterance: "Let me get someone from billing.",
      options: { tags: ["billing"], priority: "urgent" },
    });
    expect(result).toEqual({
      utterance: "Let me get someone from billing.",
      handoff: { text_chat: { zendesk_integration: { tags: ["billing"], priority: "urgent" } } },
    });
    await widget.waitForText("Let me get someone from billing.");
    await widget.waitForText("Connecting you to an agent...");
    await stack.settle();
    const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId: widget.welcome!.conversationId } });
    expect(session.state).toBe("waiting_for_agent");
    const transitions = await stack.services.db.prisma.handoffTransition.findMany({ where: { sessionId: session.id }, orderBy: { at: "asc" } });
    expect(transitions[0]?.cause).toBe("flow:transfer_to_zendesk");
    const ticket = stack.sandbox.listTickets().find((t) => t.conversationId === session.zendeskConversationId);
    expect(ticket?.tags).toEqual(expect.arrayContaining(["billing"]));
    expect(ticket?.priority).toBe("urgent");
  });

  it("refuses an unknown function or invalid options before saying anything", async () => {
    const widget = await stack.openWidget();
    const conversation = await conversationOf(widget);
    await expect(stack.services.runtime.callAgentFunction(conversation, "transfer_to_salesforce", {})).rejects.toThrow(/no function called transfer_to_salesforce/);
    await expect(stack.services.runtime.callAgentFunction(conversation, "transfer_to_zendesk", { options: { priority: "whenever" } })).rejects.toThrow(/priority/i);
    await stack.settle();
    expect(widget.messages.map((m) => m.role)).toEqual(["bot"]);
    expect(await stack.services.db.prisma.handoffSession.count({ where: { conversationId: conversation.id } })).toBe(0);
  });
});
