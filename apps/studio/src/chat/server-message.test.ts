import { describe, expect, test } from "vitest";
import { parseServerMessage } from "./server-message.ts";

const message = {
  id: "m1",
  seq: 1,
  role: "agent",
  text: "Hi",
  authorName: "Jane Agent",
  mediaUrl: null,
  sentAt: "2026-01-01T10:00:00.000Z",
  clientMessageId: null,
};

describe("parseServerMessage", () => {
  test("accepts each server message of the protocol", () => {
    const frames = [
      { type: "welcome", conversationId: "c", token: "t", state: "bot", agentName: null },
      { type: "message", message },
      { type: "state", state: "with_agent", agentName: "Jane Agent" },
      { type: "typing", active: true, authorName: "Jane Agent" },
      { type: "ack", clientMessageId: "x", seq: 3 },
      { type: "error", code: "rate_limited", message: "Slow down" },
      { type: "pong" },
    ];
    for (const frame of frames) expect(parseServerMessage(JSON.stringify(frame))).toEqual(frame);
  });

  test("refuses unknown types, wrong shapes and non-JSON", () => {
    const frames = [
      "not json",
      "[]",
      "null",
      JSON.stringify({ type: "surprise" }),
      JSON.stringify({ type: "state", state: "party", agentName: null }),
      JSON.stringify({ type: "message", message: { ...message, role: "admin" } }),
      JSON.stringify({ type: "message", message: { ...message, seq: 1.5 } }),
      JSON.stringify({ type: "message", message: { ...message, text: 42 } }),
      JSON.stringify({ type: "ack", clientMessageId: "x" }),
      JSON.stringify({ type: "error", code: "teapot", message: "" }),
    ];
    for (const frame of frames) expect(parseServerMessage(frame), frame).toBeNull();
    expect(parseServerMessage(new Uint8Array([1, 2]))).toBeNull();
  });

  test("treats absent nullable fields as null", () => {
    const { authorName: _a, mediaUrl: _m, clientMessageId: _c, ...bare } = message;
    expect(parseServerMessage(JSON.stringify({ type: "message", message: bare }))).toEqual({
      type: "message",
      message: { ...message, authorName: null },
    });
  });
});
