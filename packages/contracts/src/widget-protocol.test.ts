import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { widgetClientMessage } from "./widget-protocol.ts";

/** The widget socket's parser sees whatever a browser (or anyone) sends: it must only ever say yes or no. */
const params = { seed: 1125, numRuns: 400 };

const validMessage = fc.oneof(
  fc.record(
    {
      type: fc.constant("hello" as const),
      projectId: fc.string({ maxLength: 40 }),
      conversationId: fc.string({ maxLength: 64 }),
      token: fc.string({ maxLength: 128 }),
      afterSeq: fc.nat(),
    },
    { requiredKeys: ["type", "projectId"] },
  ),
  fc.record({
    type: fc.constant("send" as const),
    clientMessageId: fc.string({ minLength: 1, maxLength: 64 }),
    text: fc.string({ minLength: 1, maxLength: 4000 }).filter((t) => t.trim().length > 0),
  }),
  fc.constant({ type: "ping" as const }),
);

describe("widget socket frames (property-based)", () => {
  it("answers any JSON value with success or a list of issues, never a throw", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const parsed = widgetClientMessage.safeParse(value);
        expect(typeof parsed.success).toBe("boolean");
        if (!parsed.success) expect(parsed.error.issues.length).toBeGreaterThan(0);
      }),
      params,
    );
  });

  it("accepts every well-formed frame, keeping what it said (send text trimmed)", () => {
    fc.assert(
      fc.property(validMessage, (frame) => {
        const parsed = widgetClientMessage.parse(JSON.parse(JSON.stringify(frame)));
        if (frame.type === "send" && parsed.type === "send") {
          expect(parsed.text).toBe(frame.text.trim());
          expect(parsed.clientMessageId).toBe(frame.clientMessageId);
        } else {
          expect(parsed).toEqual(frame);
        }
      }),
      params,
    );
  });

  it("refuses sends that are blank, too long or without an id, and hellos with a bad sequence", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ type: fc.constant("send"), clientMessageId: fc.constant("m1"), text: fc.stringMatching(/^\s*$/) }),
          fc.record({ type: fc.constant("send"), clientMessageId: fc.constant("m1"), text: fc.string({ minLength: 4001, maxLength: 4100 }).filter((t) => t.trim().length > 4000) }),
          fc.record({ type: fc.constant("send"), clientMessageId: fc.constantFrom("", "x".repeat(65)), text: fc.constant("hi") }),
          fc.record({ type: fc.constant("hello"), projectId: fc.constant("PROJECT-0000beef"), afterSeq: fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.string()) }),
          fc.record({ type: fc.string().filter((t) => !["hello", "send", "ping"].includes(t)) }),
        ),
        (frame) => {
          expect(widgetClientMessage.safeParse(frame).success).toBe(false);
        },
      ),
      params,
    );
  });
});
