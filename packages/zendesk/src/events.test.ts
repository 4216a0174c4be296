import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { loadSpec } from "@zm/sunshine-spec";
import { describe, expect, it } from "vitest";
import {
  agentDisplayName,
  conversationRefSchema,
  isAgentMessage,
  isAgentWorkspaceInControl,
  isEndOfSessionActivity,
  isOwnEcho,
  parseConversationsWebhook,
  parseTicketStatusEvent,
  sunshineEventSchemas,
  type SunshineEvent,
  type WebhookMessage,
} from "./events.ts";

/** Verbatim copies of the ```json blocks of shared/zendesk/PROTOCOL.md. */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "protocol");
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));

const KINDS = new Set([
  "message",
  "typing",
  "read",
  "passControl",
  "passControlFailure",
  "releaseControl",
  "offerControl",
  "acceptControl",
  "conversationRemove",
  "unknown",
]);

function envelope(...events: unknown[]) {
  return { app: { id: "app1" }, webhook: { id: "wh1", version: "v2" }, events };
}

function parseOne(event: unknown): SunshineEvent {
  const result = parseConversationsWebhook(envelope(event));
  if (!result.ok) throw new Error(result.error);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

const conversation = { id: "conv1", type: "personal" };
const agentWorkspace = {
  id: "sbi1",
  name: "zd-agentWorkspace",
  integrationId: "int-aw",
  integrationType: "zd:agentWorkspace",
};

function messageEvent(message: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: "ev1",
    createdAt: "2026-07-01T10:00:03.120Z",
    type: "conversation:message",
    payload: {
      conversation: { ...conversation, activeSwitchboardIntegration: agentWorkspace },
      message: {
        id: "msg1",
        received: "2026-07-01T10:00:03.101Z",
        author: { type: "business", displayName: "Jane" },
        content: { type: "text", text: "hello" },
        ...message,
      },
    },
    ...extra,
  };
}

describe("PROTOCOL.md examples", () => {
  it("§1.2 envelope parses; its placeholder payload becomes an unknown event with an issue", () => {
    const result = parseConversationsWebhook(fixture("sunshine-envelope"));
    expect(result).toMatchObject({
      ok: true,
      app: { id: "5ebee0975ac5304b664a12fa" },
      webhook: { id: "5f4eaef81e3dcc117c7ba48a", version: "v2" },
    });
    if (!result.ok) return;
    expect(result.events).toEqual([
      {
        kind: "unknown",
        type: "conversation:message",
        id: "5f74a0d52b5315fc007e798a",
        createdAt: "2020-09-30T15:14:29.834Z",
        issue: expect.stringContaining("payload.conversation"),
      },
    ]);
  });

  it("§1.4 truncated conversation parses and shows Agent Workspace in control", () => {
    const parsed = conversationRefSchema.safeParse(fixture("conversation-truncated"));
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data).toMatchObject({
      id: "f52b01137aa6c250bc7251fa",
      type: "personal",
      metadata: { lang: "en-ca" },
      activeSwitchboardIntegration: { name: "zd-agentWorkspace", integrationType: "zd:agentWorkspace" },
      pendingSwitchboardIntegration: { id: "…" },
    });
    expect(isAgentWorkspaceInControl(parsed.data)).toBe(true);
  });

  it("§1.4 composed agent reply parses into an agent message", () => {
    const result = parseConversationsWebhook(fixture("sunshine-agent-reply"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [event] = result.events;
    expect(event).toMatchObject({
      kind: "message",
      id: "66a1…",
      createdAt: "2026-07-01T10:00:03.120Z",
      conversation: { id: "CONV_ID", metadata: { handoff_session: "CONV-123" } },
      message: {
        author: { type: "business", displayName: "Jane", avatarUrl: "https://…/jane.png" },
        content: { type: "text", text: "Hi, Jane here. Let me look at your order." },
        source: { type: "zd:agentWorkspace" },
        metadata: { "__zendesk_msg.agent.id": "381234567890" },
      },
    });
    if (event?.kind !== "message") throw new Error("expected a message");
    expect(isAgentMessage(event.message)).toBe(true);
    expect(isOwnEcho(event.message)).toBe(false);
    expect(agentDisplayName(event.message)).toBe("Jane");
    expect(isAgentWorkspaceInControl(event.conversation)).toBe(true);
  });

  it("§1.4 typing fragment: typed once the event's id and createdAt are present, unknown without them", () => {
    const fragment = fixture("sunshine-typing-event-fragment") as Record<string, unknown>;
    const complete = parseOne({ id: "ev-typing", createdAt: "2026-07-01T10:00:00.000Z", ...fragment });
    expect(complete).toMatchObject({
      kind: "typing",
      conversation: { id: "…", type: "personal" },
      activity: { type: "typing:start", author: { type: "user", userId: "…" }, source: { type: "web" } },
    });
    const bare = parseOne(fragment);
    expect(bare).toMatchObject({ kind: "unknown", type: "conversation:typing", issue: expect.stringContaining("id") });
  });

  it("§3.4 ticket status example parses into an end-of-hand-off status event", () => {
    expect(parseTicketStatusEvent(fixture("ticket-status-changed"))).toEqual({
      ok: true,
      event: {
        ignored: false,
        id: "cbe4028c-7239-495d-b020-f22348516046",
        type: "zen:event-type:ticket.status_changed",
        accountId: "22129848",
        ticketId: "5158",
        subject: "Conversation with Ada Lovelace",
        status: "solved",
        previous: "open",
        tags: ["polyai_handoff", "polyai_s_conv123"],
        time: "2026-07-01T10:42:07.672717030Z",
        requesterId: "8447388090494",
        isEnd: true,
      },
    });
  });
});

describe("official spec webhook examples", () => {
  const examples = Object.entries(
    loadSpec().components.examples as Record<string, { value: unknown }>,
  ).filter(([, example]) => typeof example.value === "object" && example.value !== null && "events" in example.value);

  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  it.each(examples)("%s parses, and known event types come out typed", (_name, example) => {
    const result = parseConversationsWebhook(example.value);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rawEvents = (example.value as { events: Array<{ type: string }> }).events;
    result.events.forEach((event, index) => {
      const type = rawEvents[index]!.type;
      if (type in sunshineEventSchemas) expect(event).not.toMatchObject({ kind: "unknown" });
      else expect(event).toMatchObject({ kind: "unknown", type });
    });
  });
});

describe("parseConversationsWebhook", () => {
  it.each([
    ["null", null],
    ["an array", []],
    ["a string", "{}"],
    ["an empty object", {}],
    ["no app", { webhook: { id: "w", version: "v2" }, events: [] }],
    ["no events", { app: { id: "a" }, webhook: { id: "w", version: "v2" } }],
    ["events not an array", { app: { id: "a" }, webhook: { id: "w", version: "v2" }, events: {} }],
  ])("rejects %s", (_label, body) => {
    const result = parseConversationsWebhook(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^not a Sunshine webhook/);
  });

  it("keeps batched events of different conversations, in order", () => {
    const result = parseConversationsWebhook(
      envelope(
        messageEvent({ id: "m1" }),
        { ...messageEvent({ id: "m2" }), id: "ev2", payload: { ...messageEvent({ id: "m2" }).payload, conversation: { id: "conv2" } } },
        { id: "ev3", createdAt: "2026-07-01T10:00:04.000Z", type: "conversation:postback", payload: {} },
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events.map((e) => e.kind)).toEqual(["message", "message", "unknown"]);
    expect(result.events.map((e) => ("conversation" in e ? e.conversation.id : null))).toEqual(["conv1", "conv2", null]);
  });

  it("returns unknown types as `unknown` with their id, type and createdAt", () => {
    expect(parseOne({ id: "e9", createdAt: "t", type: "client:add", payload: {} })).toEqual({
      kind: "unknown",
      id: "e9",
      type: "client:add",
      createdAt: "t",
    });
    expect(parseOne({ type: "switchboard:offerControl:failure" })).toEqual({
      kind: "unknown",
      type: "switchboard:offerControl:failure",
    });
    expect(parseOne(42)).toEqual({ kind: "unknown", type: "", issue: "event is not an object" });
    expect(parseOne({ id: "e", type: "toString" })).toEqual({ kind: "unknown", id: "e", type: "toString" });
  });

  it("turns a known event that fails its schema into `unknown` with a short issue", () => {
    const broken = messageEvent({ author: { type: "robot" } });
    expect(parseOne(broken)).toMatchObject({
      kind: "unknown",
      type: "conversation:message",
      id: "ev1",
      issue: expect.stringMatching(/^payload\.message\.author\.type: /),
    });
  });

  it("tolerates null or mistyped decorative fields instead of dropping the message", () => {
    const event = parseOne(
      messageEvent({
        author: { type: "business", displayName: null, avatarUrl: 7, user: "x" },
        metadata: null,
        source: { type: "zd:agentWorkspace", integrationId: null },
      }),
    );
    expect(event).toMatchObject({ kind: "message", message: { author: { type: "business" }, source: { type: "zd:agentWorkspace" } } });
    if (event.kind !== "message") return;
    expect(event.message.author.displayName).toBeUndefined();
    expect(event.message.metadata).toBeUndefined();
  });

  it("parses image and file content", () => {
    const image = parseOne(
      messageEvent({ content: { type: "image", mediaUrl: "https://x/a.png", mediaType: "image/png", mediaSize: 10, altText: "a" } }),
    );
    expect(image).toMatchObject({ message: { content: { type: "image", mediaUrl: "https://x/a.png", mediaType: "image/png" } } });
    const file = parseOne(messageEvent({ content: { type: "file", mediaUrl: "https://x/a.pdf", text: "invoice" } }));
    expect(file).toMatchObject({ message: { content: { type: "file", mediaUrl: "https://x/a.pdf", text: "invoice" } } });
    expect(parseOne(messageEvent({ content: { type: "image" } }))).toMatchObject({ kind: "unknown" });
  });

  it("reduces other content types to a text fallback", () => {
    const carousel = parseOne(messageEvent({ content: { type: "carousel", items: [{ title: "A" }], text: "Pick one" } }));
    expect(carousel).toMatchObject({ message: { content: { type: "carousel", text: "Pick one" } } });
    const formResponse = parseOne(messageEvent({ content: { type: "formResponse", fields: [], textFallback: "Name: Ada" } }));
    expect(formResponse).toMatchObject({ message: { content: { type: "formResponse", text: "Name: Ada" } } });
    const novel = parseOne(messageEvent({ content: { type: "hologram" } }));
    expect(novel).toMatchObject({ message: { content: { type: "unsupported", originalType: "hologram" } } });
  });

  it("keeps text empty (not missing) when Zendesk sent only htmlText", () => {
    const event = parseOne(messageEvent({ content: { type: "text", htmlText: "<b>hi</b>" } }));
    expect(event).toMatchObject({ message: { content: { type: "text", text: "", htmlText: "<b>hi</b>" } } });
  });

  it("exposes system activity messages", () => {
    const event = parseOne(messageEvent({ activity: { type: "ticket:closed", data: { ticketId: 5 } } }));
    if (event.kind !== "message") throw new Error("expected message");
    expect(isEndOfSessionActivity(event.message)).toBe(true);
    const plain = parseOne(messageEvent({}));
    if (plain.kind !== "message") throw new Error("expected message");
    expect(isEndOfSessionActivity(plain.message)).toBe(false);
  });

  it("parses typing stop and read events", () => {
    const base = { id: "e", createdAt: "t", payload: { conversation } };
    const author = { type: "business" };
    expect(
      parseOne({ ...base, type: "conversation:typing", payload: { conversation, activity: { type: "typing:stop", author } } }),
    ).toMatchObject({ kind: "typing", activity: { type: "typing:stop", author } });
    expect(
      parseOne({ ...base, type: "conversation:typing", payload: { conversation, activity: { type: "typing:maybe", author } } }),
    ).toMatchObject({ kind: "unknown" });
    expect(
      parseOne({ ...base, type: "conversation:read", payload: { conversation, activity: { author } } }),
    ).toMatchObject({ kind: "read", activity: { type: "conversation:read", author } });
  });

  it("parses switchboard events with metadata and reason", () => {
    const meta = { first_message_id: "m1", "dataCapture.systemField.tags": "polyai_handoff" };
    expect(
      parseOne({
        id: "e1",
        createdAt: "t",
        type: "switchboard:passControl",
        payload: { conversation: { ...conversation, activeSwitchboardIntegration: agentWorkspace }, metadata: meta },
      }),
    ).toMatchObject({ kind: "passControl", metadata: meta, conversation: { activeSwitchboardIntegration: agentWorkspace } });
    expect(
      parseOne({ id: "e2", createdAt: "t", type: "switchboard:releaseControl", payload: { conversation, reason: "ticketClosed" } }),
    ).toMatchObject({ kind: "releaseControl", reason: "ticketClosed" });
    expect(
      parseOne({
        id: "e3",
        createdAt: "t",
        type: "switchboard:passControl:failure",
        payload: { conversation, error: { code: "switchboard_invalid_target", message: "Switchboard invalid target" } },
      }),
    ).toMatchObject({ kind: "passControlFailure", error: { code: "switchboard_invalid_target", message: "Switchboard invalid target" } });
    expect(
      parseOne({
        id: "e4",
        createdAt: "t",
        type: "switchboard:offerControl",
        payload: { conversation: { ...conversation, pendingSwitchboardIntegration: agentWorkspace } },
      }),
    ).toMatchObject({ kind: "offerControl", conversation: { pendingSwitchboardIntegration: agentWorkspace } });
    expect(parseOne({ id: "e5", createdAt: "t", type: "switchboard:acceptControl", payload: { conversation } })).toMatchObject({
      kind: "acceptControl",
    });
    expect(parseOne({ id: "e6", createdAt: "t", type: "conversation:remove", payload: { conversation } })).toEqual({
      kind: "conversationRemove",
      id: "e6",
      createdAt: "t",
      conversation: { id: "conv1", type: "personal" },
    });
  });

  const checkResult = (value: unknown) => {
    const result = parseConversationsWebhook(value);
    if (!result.ok) {
      expect(typeof result.error).toBe("string");
      return;
    }
    expect(Array.isArray(result.events)).toBe(true);
    for (const event of result.events) {
      expect(KINDS.has(event.kind)).toBe(true);
      if (event.kind !== "unknown") expect(typeof event.conversation.id).toBe("string");
    }
  };

  it("property: never throws on any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), checkResult), { numRuns: 300 });
  });

  it("property: never throws on anything at all", () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true }), checkResult), {
      numRuns: 300,
    });
  });

  it("property: a valid envelope with arbitrary events yields one typed-or-unknown event per item", () => {
    const eventLike = fc.oneof(
      fc.anything(),
      fc.record({
        id: fc.oneof(fc.string(), fc.constant(undefined)),
        createdAt: fc.string(),
        type: fc.constantFrom(...Object.keys(sunshineEventSchemas), "client:add", "user:merge"),
        payload: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(fc.array(eventLike, { maxLength: 5 }), (events) => {
        const result = parseConversationsWebhook(envelope(...events));
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.events).toHaveLength(events.length);
        checkResult(envelope(...events));
      }),
      { numRuns: 300 },
    );
  });

  it("property: random damage to a real agent reply never throws", () => {
    const reply = fixture("sunshine-agent-reply");
    const paths = collectPaths(reply);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (at, replacement) => {
        checkResult(replaceAt(reply, at, replacement));
      }),
      { numRuns: 300 },
    );
  });
});

describe("message classification", () => {
  const message = (overrides: Partial<WebhookMessage> & Record<string, unknown>) => {
    const event = parseOne(messageEvent(overrides));
    if (event.kind !== "message") throw new Error(`expected message, got ${JSON.stringify(event)}`);
    return event.message;
  };

  it("recognises Agent Workspace messages by source type or agent-id metadata", () => {
    expect(isAgentMessage(message({ source: { type: "zd:agentWorkspace" } }))).toBe(true);
    expect(isAgentMessage(message({ metadata: { "__zendesk_msg.agent.id": "38123" } }))).toBe(true);
    expect(isAgentMessage(message({ metadata: { "__zendesk_msg.agent.id": 38123 } }))).toBe(true);
  });

  it("forwards trigger messages (Automated Response / __trigger)", () => {
    expect(isAgentMessage(message({ author: { type: "business", displayName: "Automated Response" } }))).toBe(true);
    expect(isAgentMessage(message({ metadata: { "__zendesk_msg.agent.id": "__trigger" } }))).toBe(true);
  });

  it("drops our own echoes, end-user messages and unmarked business messages", () => {
    const echo = message({ source: { type: "api:conversations" }, metadata: { "__zendesk_msg.agent.id": "1" } });
    expect(isOwnEcho(echo)).toBe(true);
    expect(isAgentMessage(echo)).toBe(false);
    const user = message({ author: { type: "user", userId: "u1" }, source: { type: "web" } });
    expect(isAgentMessage(user)).toBe(false);
    expect(isOwnEcho(user)).toBe(false);
    expect(isAgentMessage(message({ source: { type: "zd:answerBot" } }))).toBe(false);
    expect(isAgentMessage(message({ metadata: { "__zendesk_msg.agent.id": "" } }))).toBe(false);
  });

  it("treats IDs our POSTs returned as echoes whatever their source", () => {
    const posted = new Set(["msg1"]);
    const agentLooking = message({ source: { type: "zd:agentWorkspace" } });
    expect(isOwnEcho(agentLooking, posted)).toBe(true);
    expect(isAgentMessage(agentLooking, posted)).toBe(false);
    expect(isAgentMessage(agentLooking, new Set(["other"]))).toBe(true);
  });

  it("also classifies messages from the REST API", () => {
    const restMessage = {
      id: "m1",
      received: "t",
      author: { type: "business" as const, displayName: "Sam" },
      content: { type: "text" as const, text: "x" },
      source: { type: "zd:agentWorkspace" },
      metadata: null,
    };
    expect(isAgentMessage(restMessage)).toBe(true);
    expect(agentDisplayName(restMessage)).toBe("Sam");
  });

  it("agentDisplayName falls back when the name is missing or blank", () => {
    expect(agentDisplayName(message({ author: { type: "business", displayName: "  Jane  " } }))).toBe("Jane");
    expect(agentDisplayName(message({ author: { type: "business" } }))).toBe("Agent");
    expect(agentDisplayName(message({ author: { type: "business", displayName: "   " } }), "Support")).toBe("Support");
  });

  it("isAgentWorkspaceInControl reads the active switchboard integration", () => {
    expect(isAgentWorkspaceInControl({ activeSwitchboardIntegration: { integrationType: "zd:agentWorkspace" } })).toBe(true);
    expect(isAgentWorkspaceInControl({ activeSwitchboardIntegration: { name: "zd-agentWorkspace" } })).toBe(true);
    expect(isAgentWorkspaceInControl({ activeSwitchboardIntegration: { name: "bot", integrationType: "custom" } })).toBe(false);
    expect(isAgentWorkspaceInControl({})).toBe(false);
    expect(isAgentWorkspaceInControl({ activeSwitchboardIntegration: { name: "human" } }, "human")).toBe(true);
  });
});

describe("parseTicketStatusEvent", () => {
  const statusEvent = (current: string, previous: string | null = "OPEN", extra: Record<string, unknown> = {}) => ({
    type: "zen:event-type:ticket.status_changed",
    account_id: 1,
    id: "ev1",
    time: "2026-07-01T10:42:07Z",
    subject: "zen:ticket:42",
    detail: { id: "42", status: current, tags: ["a", 3, "b"] },
    event: { previous, current },
    ...extra,
  });

  it.each([
    ["SOLVED", "solved", true],
    ["solved", "solved", true],
    ["Closed", "closed", true],
    ["OPEN", "open", false],
    ["Pending", "pending", false],
    ["HOLD", "hold", false],
    ["NEW", "new", false],
    ["DELETED", "deleted", true],
  ])("status %s → %s (end: %s)", (current, status, isEnd) => {
    const result = parseTicketStatusEvent(statusEvent(current));
    expect(result).toMatchObject({ ok: true, event: { status, isEnd, ticketId: "42", previous: "open", tags: ["a", "b"] } });
  });

  it("reports a missing previous status as null", () => {
    expect(parseTicketStatusEvent(statusEvent("OPEN", null))).toMatchObject({ ok: true, event: { previous: null } });
    const { event: _event, ...noEventObject } = statusEvent("OPEN");
    expect(parseTicketStatusEvent(noEventObject)).toMatchObject({ ok: true, event: { status: "open", previous: null } });
  });

  it("takes the ticket id from the subject when detail has none", () => {
    const body = statusEvent("SOLVED", "OPEN", { detail: { status: "SOLVED" }, subject: "zen:ticket:77" });
    expect(parseTicketStatusEvent(body)).toMatchObject({ ok: true, event: { ticketId: "77", tags: [] } });
  });

  it.each([
    ["zen:event-type:ticket.soft_deleted", "deleted"],
    ["zen:event-type:ticket.permanently_deleted", "deleted"],
    ["zen:event-type:ticket.marked_as_spam", "deleted"],
    ["zen:event-type:ticket.merged", "closed"],
  ])("%s ends the hand-off with the status it implies (%s)", (type, status) => {
    const body = { type, id: "ev2", time: "t", account_id: "9", detail: { id: 42, status: "OPEN", requester_id: 1234 } };
    expect(parseTicketStatusEvent(body)).toEqual({
      ok: true,
      event: { ignored: false, id: "ev2", type, accountId: "9", ticketId: "42", status, previous: null, tags: [], time: "t", requesterId: "1234", isEnd: true },
    });
  });

  it("ignores other Zendesk event types", () => {
    expect(
      parseTicketStatusEvent({ type: "zen:event-type:ticket.agent_assignment_changed", id: "ev3", detail: { id: "1" } }),
    ).toEqual({ ok: true, event: { ignored: true, type: "zen:event-type:ticket.agent_assignment_changed", id: "ev3" } });
    expect(parseTicketStatusEvent({ type: "zen:event-type:ticket.custom_status_changed" })).toEqual({
      ok: true,
      event: { ignored: true, type: "zen:event-type:ticket.custom_status_changed" },
    });
  });

  it.each([
    ["null", null],
    ["a string", "zen:event-type:ticket.status_changed"],
    ["no type", { id: "x" }],
    ["a non-Zendesk type", { type: "ticket.status_changed", id: "x" }],
    ["a status change without status", { type: "zen:event-type:ticket.status_changed", id: "x", time: "t", detail: { id: "1" } }],
    ["a status change without ticket id", { type: "zen:event-type:ticket.status_changed", id: "x", time: "t", event: { current: "SOLVED" } }],
    ["a status change without event id", { type: "zen:event-type:ticket.status_changed", time: "t", detail: { id: "1", status: "OPEN" } }],
  ])("rejects %s", (_label, body) => {
    const result = parseTicketStatusEvent(body);
    expect(result.ok).toBe(false);
  });

  it("names what is missing", () => {
    expect(parseTicketStatusEvent({ type: "zen:event-type:ticket.status_changed", detail: { id: "1" } })).toEqual({
      ok: false,
      error: "zen:event-type:ticket.status_changed without id, time, status",
    });
  });

  it("property: never throws, on JSON or anything else", () => {
    const check = (value: unknown) => {
      const result = parseTicketStatusEvent(value);
      if (result.ok && !result.event.ignored) {
        expect(result.event.status).toBe(result.event.status.toLowerCase());
        expect(typeof result.event.ticketId).toBe("string");
      }
    };
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 300 });
    fc.assert(fc.property(fc.anything({ withNullPrototype: true }), check), { numRuns: 300 });
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom("zen:event-type:ticket.status_changed", "zen:event-type:ticket.merged", "zen:event-type:x"),
          id: fc.anything(),
          time: fc.anything(),
          account_id: fc.anything(),
          detail: fc.anything(),
          event: fc.anything(),
        }),
        check,
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

type JsonPath = Array<string | number>;

function collectPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const paths: JsonPath[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...collectPaths(item, [...prefix, i])));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...collectPaths(item, [...prefix, key]));
  }
  return paths;
}

function replaceAt(value: unknown, at: JsonPath, replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  copy[String(head)] = replaceAt(copy[String(head)], rest, replacement);
  return copy;
}
