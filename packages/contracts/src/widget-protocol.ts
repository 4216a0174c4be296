import { z } from "zod";

/**
 * The chat widget's WebSocket protocol (`/widget/ws`). The server stores every message with a
 * per-conversation sequence number; after a reconnect the widget says which one it saw last
 * and gets the rest, so nothing is missed and (by id) nothing is shown twice.
 */
export const widgetClientMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    projectId: z.string().max(40),
    conversationId: z.string().max(64).optional(),
    token: z.string().max(128).optional(),
    afterSeq: z.number().int().min(0).optional(),
  }),
  z.object({
    type: z.literal("send"),
    clientMessageId: z.string().min(1).max(64),
    text: z.string().trim().min(1, "Type a message").max(4000, "Messages have at most 4000 characters"),
  }),
  z.object({ type: z.literal("ping") }),
]);
export type WidgetClientMessage = z.infer<typeof widgetClientMessage>;

export const chatRole = z.enum(["user", "bot", "agent", "system"]);
export type ChatRole = z.infer<typeof chatRole>;

/** What the end user sees of the hand-off. */
export const widgetState = z.enum(["bot", "connecting", "with_agent", "ended"]);
export type WidgetState = z.infer<typeof widgetState>;

export const chatMessageView = z.object({
  id: z.string(),
  seq: z.number().int(),
  role: chatRole,
  text: z.string(),
  authorName: z.string().nullable(),
  mediaUrl: z.string().nullable(),
  sentAt: z.string(),
  clientMessageId: z.string().nullable(),
});
export type ChatMessageView = z.infer<typeof chatMessageView>;

export type WidgetServerMessage =
  | { type: "welcome"; conversationId: string; token: string; state: WidgetState; agentName: string | null }
  | { type: "message"; message: ChatMessageView }
  | { type: "state"; state: WidgetState; agentName: string | null }
  | { type: "typing"; active: boolean; authorName: string | null }
  | { type: "ack"; clientMessageId: string; seq: number }
  /** `clientMessageId` names the message a send error is about; the widget may send it again later. */
  | { type: "error"; code: "bad_request" | "not_found" | "rate_limited" | "unavailable"; message: string; clientMessageId?: string }
  | { type: "pong" };
