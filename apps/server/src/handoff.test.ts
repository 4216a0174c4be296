import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHandoffStack, type HandoffStack } from "./test/handoff-stack.ts";

let stack: HandoffStack;
beforeAll(async () => {
  stack = await startHandoffStack();
});
afterAll(() => stack?.close());

describe("live webchat hand-off against the Zendesk sandbox", () => {
  it("runs the whole Verify journey", async () => {
    const widget = await stack.openWidget();
    expect(widget.welcome?.state).toBe("bot");
    await widget.waitForText("virtual assistant");

    widget.send("Hi, can I talk to a human please?");
    await widget.waitForText("No problem, I'll transfer you to one of our agents now.");
    await widget.waitForText("Connecting you to an agent...");
    await widget.waitFor((e) => e.type === "state" && e.state === "connecting");

    // The ticket appears with the transcript and the routing fields.
    await stack.settle();
    const [summary] = stack.sandbox.listTickets();
    expect(summary).toBeDefined();
    const ticket = stack.sandbox.getTicket(summary!.id) as unknown as {
      tags: string[];
      priority: string;
      groupId: string;
      customFields: Record<string, string>;
      requester: { name: string; email: string };
      transcript: Array<{ text: string; authorType: string }>;
    };
    expect(ticket.tags).toEqual(expect.arrayContaining(["vip", "zm_handoff"]));
    expect(ticket.priority).toBe("high");
    expect(String(ticket.groupId)).toBe("360001234567");
    expect(ticket.customFields).toMatchObject({ "360023540498": "gold" });
    expect(ticket.requester).toMatchObject({ name: "Ada Lovelace", email: "ada@example.com" });
    const transcript = ticket.transcript.map((t) => t.text).join("\n");
    expect(transcript).toContain("Customer: Hi, can I talk to a human please?");
    expect(transcript).toContain("Assistant: No problem, I'll transfer you");

    // End-user messages during the hand-off reach the agent, in order.
    await widget.say("My order #123 is late");
    await widget.say("It was due Monday");
    await stack.settle();
    const texts = stack.sandbox.getTicket(summary!.id).transcript.map((t: { text: string }) => t.text);
    expect(texts.indexOf("My order #123 is late")).toBeGreaterThan(-1);
    expect(texts.indexOf("It was due Monday")).toBeGreaterThan(texts.indexOf("My order #123 is late"));

    // The agent types, then replies: the widget shows the name and the reply.
    stack.sandbox.typing(summary!.id, { agentName: "Jane Agent", typing: true });
    await widget.waitFor((e) => e.type === "typing" && e.active);
    stack.sandbox.reply(summary!.id, { agentName: "Jane Agent", text: "Hi, Jane here. Let me check." });
    const reply = await widget.waitForText("Hi, Jane here.");
    expect(reply.type === "message" && reply.message.authorName).toBe("Jane Agent");
    expect(reply.type === "message" && reply.message.role).toBe("agent");
    await widget.waitForText("Jane Agent joined the chat.");
    await widget.waitFor((e) => e.type === "state" && e.state === "with_agent" && e.agentName === "Jane Agent");

    // The agent solves the ticket: the session ends and the AI agent answers again.
    stack.sandbox.setStatus(summary!.id, "solved");
    await widget.waitForText("The agent marked your request as solved.");
    await widget.waitForText("I'm the virtual assistant again");
    await widget.waitFor((e) => e.type === "state" && e.state === "bot");
    const status = stack.sandbox.deliveries().find((d) => d.webhook === "status");
    expect(status?.status).toBe(200);

    widget.send("What now?");
    await widget.waitForText("Sorry, I didn't quite get that.");

    // Every transition was recorded with its cause.
    const session = await stack.services.db.prisma.handoffSession.findFirstOrThrow({ include: { transitions: { orderBy: { at: "asc" } } } });
    expect(session.transitions.map((t) => `${t.fromState}>${t.toState}`)).toEqual([
      "bot>handoff_requested",
      "handoff_requested>waiting_for_agent",
      "waiting_for_agent>with_agent",
      "with_agent>ended",
    ]);
    expect(session.endReason).toBe("ticket_solved");

    // Nothing was shown twice.
    const ids = widget.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stack.sandbox.specViolations).toEqual([]);
  });
});
