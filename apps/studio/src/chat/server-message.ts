import type { ChatMessageView, ChatRole, WidgetServerMessage, WidgetState } from "@zm/contracts";

/*
 * A hand-written guard for what the server sends, so the widget bundle does not carry zod.
 * Anything that does not match is dropped: a newer server may add message types, and the
 * widget must keep working (and say nothing back) when it meets one.
 */

type Json = Record<string, unknown>;

const CHAT_ROLES: readonly ChatRole[] = ["user", "bot", "agent", "system"];
const WIDGET_STATES: readonly WidgetState[] = ["bot", "connecting", "with_agent", "ended"];
const ERROR_CODES = ["bad_request", "not_found", "rate_limited", "unavailable"] as const;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === "string";
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";
const isInteger = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);
const isOneOf = <T extends string>(options: readonly T[], value: unknown): value is T =>
  typeof value === "string" && (options as readonly string[]).includes(value);

export function parseChatMessageView(value: unknown): ChatMessageView | null {
  if (!isObject(value)) return null;
  const { id, seq, role, text, authorName, mediaUrl, sentAt, clientMessageId } = value;
  if (!isString(id) || !isInteger(seq) || !isOneOf(CHAT_ROLES, role) || !isString(text) || !isString(sentAt)) return null;
  // Older servers may leave the nullable fields out; absent means null.
  const author = authorName ?? null;
  const media = mediaUrl ?? null;
  const clientId = clientMessageId ?? null;
  if (!isStringOrNull(author) || !isStringOrNull(media) || !isStringOrNull(clientId)) return null;
  return { id, seq, role, text, authorName: author, mediaUrl: media, sentAt, clientMessageId: clientId };
}

/** Parses one WebSocket text frame; null for anything that is not a known, well-formed server message. */
export function parseServerMessage(frame: unknown): WidgetServerMessage | null {
  if (typeof frame !== "string") return null;
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  switch (value.type) {
    case "welcome": {
      const { conversationId, token, state, agentName } = value;
      const agent = agentName ?? null;
      if (!isString(conversationId) || !isString(token) || !isOneOf(WIDGET_STATES, state) || !isStringOrNull(agent)) return null;
      return { type: "welcome", conversationId, token, state, agentName: agent };
    }
    case "message": {
      const message = parseChatMessageView(value.message);
      return message ? { type: "message", message } : null;
    }
    case "state": {
      const { state, agentName } = value;
      const agent = agentName ?? null;
      if (!isOneOf(WIDGET_STATES, state) || !isStringOrNull(agent)) return null;
      return { type: "state", state, agentName: agent };
    }
    case "typing": {
      const { active, authorName } = value;
      const author = authorName ?? null;
      if (typeof active !== "boolean" || !isStringOrNull(author)) return null;
      return { type: "typing", active, authorName: author };
    }
    case "ack": {
      const { clientMessageId, seq } = value;
      if (!isString(clientMessageId) || !isInteger(seq)) return null;
      return { type: "ack", clientMessageId, seq };
    }
    case "error": {
      const { code, message, clientMessageId } = value;
      if (!isOneOf(ERROR_CODES, code) || !isString(message)) return null;
      return isString(clientMessageId) ? { type: "error", code, message, clientMessageId } : { type: "error", code, message };
    }
    case "pong":
      return { type: "pong" };
    default:
      return null;
  }
}
