import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHandoffStack, type HandoffStack, type WidgetClient } from "./test/handoff-stack.ts";

/**
 * Zendesk misbehaving, through the sandbox's fault injection: bursts of 429 and 500, calls that
 * hang, webhooks delayed, duplicated and reordered. Nothing may be lost or duplicated, order
 * must hold, and a permanent failure must be visible to the end user and in the logs.
 */
let stack: HandoffStack;
beforeAll(async () => {
  stack = await startHandoffStack();
});
afterAll(() => stack?.close());

async function handedOff() {
  const widget = await stack.openWidget();
  await widget.say("talk to a human");
  await stack.settle();
  const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId: widget.welcome!.conversationId } });
  const ticket = stack.sandbox.listTickets().find((t) => t.conversationId === session.zendeskConversationId)!;
  return { widget, session, ticket };
}

function userTextsAtZendesk(conversationId: string) {
  return (stack.sandbox.conversationMessages(conversationId) as Array<{ author?: { type?: string }; content?: { text?: string } }>)
    .filter((m) => m.author?.type === "user")
    .map((m) => m.content?.text ?? "");
}

async function relay(widget: WidgetClient, texts: string[]) {
  for (const t of texts) await widget.say(t);
}

async function eventually(check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await stack.settle();
    // settle() can finish on promise callbacks alone (PGlite answers in-process); a timer lets
    // socket reads run, or the widget's frames would never be taken in while this loop spins.
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("Zendesk API faults while relaying end-user messages", () => {
  it.each([
    ["a burst of 429 with Retry-After", { target: "api" as const, mode: "429" as const, count: 6, retryAfterSeconds: 1, match: "PostMessage" }],
    ["a burst of 500", { target: "api" as const, mode: "500" as const, count: 6, match: "PostMessage" }],
    ["calls that hang until the client gives up", { target: "api" as const, mode: "hang" as const, count: 2, match: "PostMessage" }],
  ])("%s: every message once, in order", async (_name, fault) => {
    const { widget, session } = await handedOff();
    stack.sandbox.addFault(fault);
    const texts = Array.from({ length: 8 }, (_, i) => `${fault.mode}-${i + 1}`);
    await relay(widget, texts);
    await eventually(() => texts.every((t) => userTextsAtZendesk(session.zendeskConversationId!).includes(t)), 40_000);
    const seen = userTextsAtZendesk(session.zendeskConversationId!).filter((t) => texts.includes(t));
    expect(seen).toEqual(texts);
    const calls = await stack.services.db.prisma.apiCall.findMany({ where: { sessionId: session.id, operation: "postMessage" } });
    const failedAttempts = calls.filter((c) => c.status !== 201).length;
    expect(failedAttempts).toBeGreaterThanOrEqual(fault.count);
    stack.sandbox.clearFaults();
  }, 90_000);
});

describe("webhook faults", () => {
  it("delayed, duplicated and reordered deliveries still show each agent message once, in the order it was sent", async () => {
    const { widget, ticket } = await handedOff();
    stack.sandbox.addFault({ target: "webhooks", mode: "reorder", count: 4 });
    stack.sandbox.addFault({ target: "webhooks", mode: "duplicate", count: 4 });
    stack.sandbox.addFault({ target: "webhooks", mode: "delay", count: 2, delayMs: 500 });
    const texts = Array.from({ length: 6 }, (_, i) => `agent-${i + 1}`);
    for (const text of texts) {
      stack.sandbox.reply(ticket.id, { agentName: "Ora", text });
      await new Promise((r) => setTimeout(r, 30));
    }
    await eventually(() => texts.every((t) => widget.messages.some((m) => m.text === t)));
    const shown = widget.messages.filter((m) => texts.includes(m.text));
    expect(shown.map((m) => m.text).sort()).toEqual([...texts].sort());
    expect(new Set(shown.map((m) => m.id)).size).toBe(texts.length);
    // Display order is by Zendesk's received time, whatever order the webhooks arrived in.
    const inDisplayOrder = [...shown].sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.seq - b.seq).map((m) => m.text);
    expect(inDisplayOrder).toEqual(texts);
    stack.sandbox.clearFaults();
  });

  it("a status webhook delivered twice still ends the session exactly once", async () => {
    const { widget, session, ticket } = await handedOff();
    stack.sandbox.addFault({ target: "webhooks", mode: "duplicate", count: 2 });
    stack.sandbox.setStatus(ticket.id, "solved");
    await widget.waitForText("I'm the virtual assistant again");
    await stack.settle();
    expect(widget.messages.filter((m) => m.text.includes("virtual assistant again"))).toHaveLength(1);
    const transitions = await stack.services.db.prisma.handoffTransition.findMany({ where: { sessionId: session.id, toState: "ended" } });
    expect(transitions).toHaveLength(1);
    stack.sandbox.clearFaults();
  });
});

describe("a permanent failure", () => {
  it("marks the session failed, tells the end user, and shows in the logs", async () => {
    const widget = await stack.openWidget();
    // Every attempt at creating the conversation fails: the start gives up after its attempts.
    stack.sandbox.addFault({ target: "api", mode: "500", count: 100, match: "CreateConversation" });
    try {
      await widget.say("talk to a human");
      await widget.waitForText("Sorry, I can't connect you to an agent right now.", 60_000);
    } finally {
      stack.sandbox.clearFaults();
    }
    const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ where: { conversationId: widget.welcome!.conversationId } });
    expect(session.state).toBe("failed");
    expect(session.endReason).toBe("zendesk_unreachable");
    const start = await stack.services.db.prisma.outboxMessage.findFirstOrThrow({ where: { orderingKey: session.id, kind: "zendesk.start_handoff" } });
    expect(start.status).toBe("failed");
    expect(start.lastError).toMatch(/^500/);
    const calls = await stack.services.db.prisma.apiCall.count({ where: { sessionId: session.id, status: 500 } });
    expect(calls).toBeGreaterThanOrEqual(stack.services.runtime.context.tuning.maxStartAttempts);
    // The AI agent carries on.
    await widget.say("opening hours?");
    await widget.waitForText("Sorry, I didn't quite get that.");
  }, 90_000);
});
