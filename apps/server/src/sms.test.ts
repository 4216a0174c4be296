import { randomBytes } from "node:crypto";
import { twilioSignature } from "@zm/sms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT, startHandoffStack, type HandoffStack } from "./test/handoff-stack.ts";

let stack: HandoffStack;
beforeAll(async () => {
  stack = await startHandoffStack();
});
afterAll(() => stack?.close());

const inboundUrl = () => `${stack.url}/channels/sms/twilio/${PROJECT}`;
let handsetCounter = 0;
const newHandset = () => `+1555987${String(++handsetCounter).padStart(4, "0")}`;

function form(overrides: Record<string, string> = {}) {
  return {
    MessageSid: `SM${randomBytes(16).toString("hex")}`,
    AccountSid: stack.sms.accountSid,
    From: "+15559870000",
    To: stack.sms.phoneNumber,
    Body: "hello",
    NumMedia: "0",
    ...overrides,
  };
}

function post(params: Record<string, string>, signature: string | null) {
  return fetch(inboundUrl(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(signature === null ? {} : { "x-twilio-signature": signature }) },
    body: new URLSearchParams(params).toString(),
  });
}

/** Outbound texts the handset received (the sandbox records what the product sent). */
function received(handset: string) {
  return stack.sandbox.smsThread(handset).filter((m) => m.direction !== "inbound").map((m) => m.body);
}

async function until<T>(probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("inbound SMS webhook", () => {
  it("answers a correctly signed message with empty TwiML", async () => {
    const params = form();
    const res = await post(params, twilioSignature(stack.sms.authToken, inboundUrl(), params));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });

  it("refuses a bad or absent signature with 403", async () => {
    const params = form();
    expect((await post(params, twilioSignature("wrong-token", inboundUrl(), params))).status).toBe(403);
    expect((await post(params, null)).status).toBe(403);
    const tampered = { ...params, Body: "changed" };
    expect((await post(tampered, twilioSignature(stack.sms.authToken, inboundUrl(), params))).status).toBe(403);
  });

  it("ignores a repeated MessageSid", async () => {
    const handset = newHandset();
    const params = form({ From: handset, Body: "What are your opening hours? (asked once)" });
    const signature = twilioSignature(stack.sms.authToken, inboundUrl(), params);
    expect((await post(params, signature)).status).toBe(200);
    expect((await post(params, signature)).status).toBe(200);
    await stack.settle();
    const rows = await stack.services.db.prisma.chatMessage.findMany({ where: { externalId: params.MessageSid } });
    expect(rows).toHaveLength(1);
    expect(received(handset).length).toBe(1);
  });
});

describe("a hand-off over SMS", () => {
  it("relays both ways, drops typing, and tells the end by SMS", async () => {
    const handset = newHandset();
    await stack.sandbox.sendSms({ from: handset, body: "Can I talk to a human?" });
    await until(() => received(handset).some((b) => b.includes("No problem, I'll transfer you")));
    await until(() => received(handset).includes("Connecting you to an agent..."));
    await stack.settle();
    const conversation = await stack.services.db.prisma.conversation.findFirstOrThrow({ where: { channel: "sms", channelKey: `${handset}|${stack.sms.phoneNumber}` } });
    const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId: conversation.id } });
    const ticket = stack.sandbox.listTickets().find((t) => t.conversationId === session.zendeskConversationId)!;
    expect(stack.sandbox.getTicket(ticket.id).transcript.map((t: { text: string }) => t.text).join("\n")).toContain("Customer: Can I talk to a human?");

    await stack.sandbox.sendSms({ from: handset, body: "My parcel never came" });
    await stack.settle();
    expect(stack.sandbox.getTicket(ticket.id).transcript.map((t: { text: string }) => t.text)).toContain("My parcel never came");

    const before = received(handset).length;
    stack.sandbox.typing(ticket.id, { agentName: "Sam", typing: true });
    stack.sandbox.reply(ticket.id, { agentName: "Sam", text: "Sorry to hear that! Checking now." });
    await until(() => received(handset).includes("Sam: Sorry to hear that! Checking now."));
    await stack.settle();
    // Only the join line and the reply: no typing over SMS.
    expect(received(handset).slice(before)).toEqual(["Sam joined the chat.", "Sam: Sorry to hear that! Checking now."]);

    stack.sandbox.setStatus(ticket.id, "solved");
    await until(() => received(handset).some((b) => b.includes("I'm the virtual assistant again")));
    expect(received(handset)).toContain("The agent marked your request as solved.");
    expect(stack.sandbox.specViolations).toEqual([]);
  });

  it("sends an agent's image as a link", async () => {
    const handset = newHandset();
    await stack.sandbox.sendSms({ from: handset, body: "talk to a human" });
    await stack.settle();
    const conversation = await stack.services.db.prisma.conversation.findFirstOrThrow({ where: { channelKey: `${handset}|${stack.sms.phoneNumber}` } });
    const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId: conversation.id } });
    const now = new Date().toISOString();
    const res = await fetch(`${stack.url}/handoff/webhooks/zendesk/PLATFORM/${PROJECT}/live/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": stack.setup.webhookSecret },
      body: JSON.stringify({
        app: { id: stack.setup.appId },
        webhook: { id: stack.setup.webhookId, version: "v2" },
        events: [
          {
            id: randomBytes(12).toString("hex"),
            createdAt: now,
            type: "conversation:message",
            payload: {
              conversation: { id: session.zendeskConversationId, type: "personal" },
              message: {
                id: randomBytes(12).toString("hex"),
                received: now,
                author: { type: "business", displayName: "Sam" },
                content: { type: "image", mediaUrl: "https://files.example.test/label.png", altText: "Your return label" },
                source: { type: "zd:agentWorkspace" },
              },
            },
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    await until(() => received(handset).includes("Sam: Your return label\nhttps://files.example.test/label.png"));
  });

  it("stops messaging a user who sent STOP until they send START", async () => {
    const handset = newHandset();
    await stack.sandbox.sendSms({ from: handset, body: "talk to a human" });
    await stack.settle();
    const conversation = await stack.services.db.prisma.conversation.findFirstOrThrow({ where: { channelKey: `${handset}|${stack.sms.phoneNumber}` } });
    const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId: conversation.id } });
    const ticket = stack.sandbox.listTickets().find((t) => t.conversationId === session.zendeskConversationId)!;

    await stack.sandbox.sendSms({ from: handset, body: "STOP" });
    await stack.settle();
    const afterStop = received(handset).length;
    stack.sandbox.reply(ticket.id, { agentName: "Sam", text: "Are you still there?" });
    await stack.settle();
    expect(received(handset).length).toBe(afterStop);

    await stack.sandbox.sendSms({ from: handset, body: "START" });
    await until(() => received(handset).some((b) => b.includes("You're subscribed again")));
    stack.sandbox.reply(ticket.id, { agentName: "Sam", text: "Welcome back" });
    await until(() => received(handset).includes("Sam: Welcome back"));
    expect(received(handset)).not.toContain("Sam: Are you still there?");
  });

  it("retries a send the provider throttles, and delivers it once", async () => {
    const handset = newHandset();
    stack.sandbox.addFault({ target: "sms", mode: "429", count: 2, retryAfterSeconds: 0 });
    await stack.sandbox.sendSms({ from: handset, body: "opening hours?" });
    await until(() => received(handset).length >= 1, 15_000);
    await stack.settle();
    expect(received(handset)).toHaveLength(1);
    const calls = await stack.services.db.prisma.apiCall.findMany({ where: { target: "sms" }, orderBy: { at: "asc" } });
    expect(calls.some((c) => c.status === 429)).toBe(true);
  });
});
