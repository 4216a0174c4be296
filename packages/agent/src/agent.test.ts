import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FALLBACK_ANSWER, respond, type AgentTopic } from "./agent.ts";
import { callFunction, transferToZendesk, UnknownFunctionError } from "./functions.ts";
import { phraseScore } from "./matching.ts";

const conv = { id: "conv_1", projectId: "PROJECT-00000001", channel: "webchat" as const };
const topics: AgentTopic[] = [
  { id: "t-hours", name: "Opening hours", phrases: ["opening hours", "when are you open"], answer: "We're open 9 to 5.", actions: [] },
  {
    id: "t-human",
    name: "Talk to a human",
    phrases: ["talk to a human", "speak to an agent", "real person"],
    answer: "",
    actions: [{ action: "transfer_to_zendesk", utterance: "Sure, getting someone now.", options: { tags: ["vip"], priority: "high" } }],
  },
];

describe("transfer_to_zendesk", () => {
  it("returns exactly the shared chat hand-off shape", () => {
    expect(transferToZendesk(conv)).toEqual({
      utterance: "No problem, I'll transfer you to one of our agents now.",
      handoff: { text_chat: { zendesk_integration: {} } },
    });
  });

  it("carries the utterance and validated routing options", () => {
    expect(transferToZendesk(conv, { utterance: "One moment", options: { tags: ["VIP"], group_id: "123" } })).toEqual({
      utterance: "One moment",
      handoff: { text_chat: { zendesk_integration: { tags: ["vip"], group_id: "123" } } },
    });
  });

  it("refuses invalid options, naming the field", () => {
    expect(() => transferToZendesk(conv, { options: { priority: "asap" as never } })).toThrow(/priority/i);
  });

  it("is what a flow step gets through callFunction", () => {
    expect(callFunction("transfer_to_zendesk", conv, { utterance: "x" })).toEqual(transferToZendesk(conv, { utterance: "x" }));
    expect(() => callFunction("transfer_to_salesforce", conv, {})).toThrow(UnknownFunctionError);
  });
});

describe("agent turn", () => {
  it("answers a topic", () => {
    expect(respond(topics, "What are your opening hours?", conv)).toEqual({ say: ["We're open 9 to 5."], handoff: null, matchedTopicId: "t-hours" });
  });

  it("runs the hand-off action of a matching topic", () => {
    const turn = respond(topics, "Can I please talk to a human?", conv);
    expect(turn.say).toEqual(["Sure, getting someone now."]);
    expect(turn.handoff).toEqual({ text_chat: { zendesk_integration: { tags: ["vip"], priority: "high" } } });
  });

  it("falls back politely when nothing matches", () => {
    expect(respond(topics, "banana", conv)).toEqual({ say: [FALLBACK_ANSWER], handoff: null, matchedTopicId: null });
  });

  it("never throws and always says something, whatever the text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const turn = respond(topics, text, conv);
        return turn.say.length > 0 && phraseScore(text, "x") <= 1;
      }),
    );
  });
});
