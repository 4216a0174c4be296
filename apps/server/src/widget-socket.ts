import websocket from "@fastify/websocket";
import { widgetClientMessage, type WidgetServerMessage } from "@zm/contracts";
import type { ConversationRow } from "@zm/db";
import { conversationTopic, toMessageView, type HandoffRuntime } from "@zm/handoff";
import type { EventBus } from "@zm/queue";
import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { AdmissionGate, type AdmissionLimits } from "./admission-gate.ts";

const HELLO_TIMEOUT_MS = 10_000;
const MAX_FRAME_BYTES = 16 * 1024;
/** Per socket: generous for a person, and a widget flushing what it queued while offline is told which to resend. */
const SEND_LIMIT = { count: 30, windowMs: 10_000 };
/**
 * End-user sends stored at once across every socket of this instance, and how many may wait for
 * a turn (and how long). A burst waits its turn; a send past the queue, or one that waited too
 * long, is refused and named (the widget marks it failed and the end user retries). Without it,
 * an overloaded instance starts everything, times out on most of it and stores almost nothing.
 */
export const DEFAULT_SEND_LIMITS: AdmissionLimits = { maxConcurrent: 32, maxQueued: 2_000, maxWaitMs: 5_000 };
/** Frames one socket may have waiting for their turn; past it a frame is answered at once and dropped. */
export const MAX_WAITING_FRAMES = 40;
export const TOO_MANY_FRAMES_MESSAGE = "Too many messages at once. Wait a moment, then retry.";
const BUSY_MESSAGE = "The chat is busy right now. Your message was not sent; try again in a moment.";

export interface WidgetSocketOptions {
  sendLimits?: Partial<AdmissionLimits>;
}

/**
 * The chat widget's socket. After `hello` the socket follows its conversation on the bus (so a
 * message produced on any instance reaches it), then catches up from the store: subscribing
 * first means nothing falls between the two; the widget drops what it already has by id.
 */
export async function widgetSocket(app: FastifyInstance, runtime: HandoffRuntime, bus: EventBus, options: WidgetSocketOptions = {}) {
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const sendGate = new AdmissionGate({ ...DEFAULT_SEND_LIMITS, ...options.sendLimits });
  app.get("/widget/ws", { websocket: true }, (socket: WebSocket) => {
    const send = (message: WidgetServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    let conversation: ConversationRow | null = null;
    let unsubscribe: (() => void) | null = null;
    let sends: number[] = [];
    const helloTimer = setTimeout(() => socket.close(4000, "hello expected"), HELLO_TIMEOUT_MS);

    socket.on("close", () => {
      clearTimeout(helloTimer);
      unsubscribe?.();
    });
    // Frames are handled one after another, so two quick sends keep their order.
    let chain: Promise<unknown> = Promise.resolve();
    let waitingFrames = 0;
    socket.on("message", (raw: Buffer) => {
      // A client writing faster than it is served must not grow this socket's backlog for ever.
      if (waitingFrames >= MAX_WAITING_FRAMES) {
        return send({ type: "error", code: "rate_limited", message: TOO_MANY_FRAMES_MESSAGE, ...clientMessageIdOf(raw) });
      }
      waitingFrames++;
      chain = chain
        .then(() => handle(raw))
        .catch((err: unknown) => app.log.error({ err }, "widget frame failed"))
        .finally(() => waitingFrames--);
    });
    const handle = async (raw: Buffer) => {
      let parsed;
      try {
        parsed = widgetClientMessage.safeParse(JSON.parse(raw.toString("utf8")));
      } catch {
        return send({ type: "error", code: "bad_request", message: "Messages are JSON" });
      }
      if (!parsed.success) return send({ type: "error", code: "bad_request", message: parsed.error.issues[0]?.message ?? "Invalid message" });
      const message = parsed.data;
      try {
        if (message.type === "ping") return send({ type: "pong" });
        if (message.type === "hello") {
          if (conversation) return send({ type: "error", code: "bad_request", message: "Already said hello" });
          const opened = await runtime.openWebchat(message.projectId, { conversationId: message.conversationId, token: message.token });
          if (!opened) {
            send({ type: "error", code: "not_found", message: "This chat is not available" });
            return socket.close(4004, "unknown project");
          }
          clearTimeout(helloTimer);
          conversation = opened.conversation;
          unsubscribe = bus.subscribe(conversationTopic(conversation.id), (event) => send(event as WidgetServerMessage));
          // Live before reading the backlog: nothing can fall between the two.
          await bus.whenSubscribed();
          const state = await runtime.stateOf(conversation.id);
          send({ type: "welcome", conversationId: conversation.id, token: opened.token, state: state.state, agentName: state.agentName });
          const afterSeq = opened.created ? 0 : (message.afterSeq ?? 0);
          for (const m of await runtime.messagesAfter(conversation.id, afterSeq)) send({ type: "message", message: toMessageView(m) });
          return;
        }
        if (!conversation) return send({ type: "error", code: "bad_request", message: "Say hello first" });
        const now = Date.now();
        sends = sends.filter((t) => now - t < SEND_LIMIT.windowMs);
        if (sends.length >= SEND_LIMIT.count) {
          return send({ type: "error", code: "rate_limited", message: "You're sending messages too fast. Wait a moment.", clientMessageId: message.clientMessageId });
        }
        sends.push(now);
        const from = conversation;
        const stored = await sendGate.run(() => runtime.receiveFromEndUser(from, { text: message.text, clientMessageId: message.clientMessageId }));
        if (!stored.admitted) return send({ type: "error", code: "unavailable", message: BUSY_MESSAGE, clientMessageId: message.clientMessageId });
        send({ type: "ack", clientMessageId: message.clientMessageId, seq: stored.value.seq });
      } catch (err) {
        app.log.error({ err }, "widget socket message failed");
        if (message.type === "send") {
          send({ type: "error", code: "unavailable", message: "Something went wrong. Your message was not sent; try again.", clientMessageId: message.clientMessageId });
        } else {
          // A failed hello leaves the socket useless: close it so the widget reconnects.
          send({ type: "error", code: "unavailable", message: "The chat is briefly unavailable." });
          socket.close(1011, "try again");
        }
      }
    };
  });
}

/** The id a refused frame names, when it has one, so the widget knows which message to retry. */
function clientMessageIdOf(raw: Buffer): { clientMessageId?: string } {
  try {
    const id = (JSON.parse(raw.toString("utf8")) as { clientMessageId?: unknown }).clientMessageId;
    return typeof id === "string" && id.length > 0 && id.length <= 64 ? { clientMessageId: id } : {};
  } catch {
    return {};
  }
}
