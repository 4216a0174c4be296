import { describe, expect, it } from "vitest";
import {
  DEFAULT_TRANSFER_UTTERANCE,
  handoffResponse,
  topicIdSchema,
  topicInput,
  transferToZendeskResponse,
  zendeskIntegrationOptions,
} from "./handoff.ts";

function errorsOf(input: unknown) {
  const r = zendeskIntegrationOptions.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("zendesk integration options", () => {
  it("names a bad custom field id with a message an admin can act on", () => {
    expect(errorsOf({ custom_fields: { abc: "x" } })).toEqual({ "custom_fields.abc": "Custom fields are keyed by the ticket field id (digits)" });
  });

  it("keeps the value's own message for a custom field value that is too long", () => {
    expect(errorsOf({ custom_fields: { "360001": "x".repeat(1001) } })).toEqual({
      "custom_fields.360001": "A custom field value has at most 1000 characters",
    });
  });

  it("refuses keys it does not know, so a typo is not silently dropped", () => {
    expect(errorsOf({ priorty: "high" })).toEqual({ "": 'Unrecognized key: "priorty"' });
  });
});

describe("topic input", () => {
  it("fills the default utterance and empty options for a bare action", () => {
    const topic = topicInput.parse({ name: " Talk to a human ", phrases: ["agent"], actions: [{ action: "transfer_to_zendesk" }] });
    expect(topic).toEqual({
      name: "Talk to a human",
      phrases: ["agent"],
      answer: "",
      actions: [{ action: "transfer_to_zendesk", utterance: DEFAULT_TRANSFER_UTTERANCE, options: {} }],
    });
  });

  it("accepts generated topic ids and refuses anything else", () => {
    expect(topicIdSchema.safeParse("topic_AbC-12_x").success).toBe(true);
    for (const bad of ["topic_", "PROJECT-0a1b2c3d", "topic_a b", "../topic_a"]) expect(topicIdSchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe("transfer_to_zendesk response", () => {
  it("nests the routing under text_chat.zendesk_integration in the shared hand-off shape", () => {
    const options = zendeskIntegrationOptions.parse({ tags: ["VIP"], priority: "high", group_id: "360001", custom_fields: { "42": "gold" } });
    const response = transferToZendeskResponse({ utterance: "One moment", options });
    expect(response).toEqual({
      utterance: "One moment",
      handoff: { text_chat: { zendesk_integration: { tags: ["vip"], priority: "high", group_id: "360001", custom_fields: { "42": "gold" } } } },
    });
    expect(handoffResponse.safeParse(response).success).toBe(true);
  });

  it("does not share the options object, so editing a preview cannot change the stored action", () => {
    const options = { priority: "low" as const };
    const response = transferToZendeskResponse({ utterance: "x", options });
    expect(response.handoff.text_chat.zendesk_integration).not.toBe(options);
  });
});
