import type { ChatMessageView, ChatRole, WidgetClientMessage, WidgetServerMessage, WidgetState } from "@zm/contracts";
import { parseServerMessage } from "./server-message.ts";

/*
 * The widget's real-time client: one WebSocket to `/widget/ws`, kept alive across drops.
 *
 * The server numbers every stored message per conversation (`seq`). The client remembers the
 * highest number it has seen and, after any reconnect, says `hello` with it so the server
 * sends only what was missed. Because a catch-up can overlap what already arrived, messages
 * are de-duplicated by id, seq and clientMessageId. Messages the end user types get a
 * clientMessageId, show at once as "sending", and are re-sent with the same id until the
 * server acknowledges them; the server de-duplicates by that id, so re-sending is safe.
 *
 * Framework-free: React (or a test) reads `getSnapshot()` and listens with `subscribe()`.
 */

export const MAX_MESSAGE_LENGTH = 4000;
export const DEFAULT_PING_INTERVAL_MS = 25_000;
export const DEFAULT_TYPING_TIMEOUT_MS = 12_000;
export const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 30_000 };

const SOCKET_OPEN = 1;
const NORMAL_CLOSURE = 1000;

/** What the client needs of a WebSocket; both the browser's and the `ws` package's fit. */
export interface WidgetSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close" | "error", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}
export type WidgetSocketConstructor = new (url: string) => WidgetSocket;

/** The part of `localStorage` the client uses, so tests can hand in their own. */
export type SessionStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export interface StoredSession {
  conversationId: string;
  token: string;
}

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";
/** Only for the end user's own messages: null on everyone else's. */
export type DeliveryStatus = "sending" | "sent" | "failed";

export interface DisplayedMessage {
  /** Stable across the "sending" → echoed transition, so the bubble is not re-created. */
  key: string;
  role: ChatRole;
  text: string;
  authorName: string | null;
  mediaUrl: string | null;
  sentAt: string;
  clientMessageId: string | null;
  delivery: DeliveryStatus | null;
}

export interface ChatProblem {
  code: "bad_request" | "rate_limited" | "unavailable" | "not_found";
  message: string;
}

export interface ChatSnapshot {
  connection: ConnectionStatus;
  state: WidgetState;
  agentName: string | null;
  conversationId: string | null;
  messages: readonly DisplayedMessage[];
  /** Someone on the other side is typing; cleared by the server, their next message, or a timeout. */
  typing: { authorName: string | null } | null;
  /** The server's last complaint, until the next welcome or acknowledgement. */
  problem: ChatProblem | null;
}

export type SendResult = "queued" | "empty" | "too_long";

export interface ChatClientOptions {
  projectId: string;
  /** ws(s)://…/widget/ws; see `widgetSocketUrl`. */
  url: string;
  /** Defaults to the browser's WebSocket; tests pass the `ws` package's. */
  WebSocket?: WidgetSocketConstructor;
  /** Where the conversation id and token survive reloads; null keeps them in memory only. */
  storage?: SessionStorage | null;
  createClientMessageId?: () => string;
  /** In [0, 1), for reconnect jitter. */
  random?: () => number;
  now?: () => number;
  backoff?: { initialMs?: number; maxMs?: number };
  pingIntervalMs?: number;
  typingTimeoutMs?: number;
}

interface OutgoingMessage {
  clientMessageId: string;
  text: string;
  sentAt: string;
  delivery: DeliveryStatus;
  /** The socket it was last written to; an error on that socket can only concern those. */
  writtenOn: WidgetSocket | null;
  /** The server's seq for it, from the ack: places it in the transcript even if no echo comes. */
  ackedSeq: number | null;
}

export function widgetSocketUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/widget/ws`;
}

export function storageKeyFor(projectId: string): string {
  return `zm-chat:${projectId}`;
}

/**
 * `localStorage`, or null where the browser refuses it (third-party iframes with storage
 * partitioning off, some private modes throw on access): the chat then still works, it just
 * starts afresh on reload.
 */
export function browserStorage(): SessionStorage | null {
  try {
    const storage = globalThis.localStorage;
    const probe = "zm-chat:probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

/** Transcript order: by server time, then by the server's sequence for messages in the same instant. */
export function compareMessages(a: Pick<ChatMessageView, "sentAt" | "seq">, b: Pick<ChatMessageView, "sentAt" | "seq">): number {
  const byTime = Date.parse(a.sentAt) - Date.parse(b.sentAt);
  return Number.isNaN(byTime) || byTime === 0 ? a.seq - b.seq : byTime;
}

export class ChatClient {
  private readonly projectId: string;
  private readonly url: string;
  private readonly SocketClass: WidgetSocketConstructor;
  private readonly storage: SessionStorage | null;
  private readonly createClientMessageId: () => string;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly pingIntervalMs: number;
  private readonly typingTimeoutMs: number;

  private socket: WidgetSocket | null = null;
  /** True once the current socket has been welcomed; before that the server takes only `hello`. */
  private welcomed = false;
  private started = false;
  private failedAttempts = 0;
  private lastInboundAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;

  private session: StoredSession | null;
  private highestSeq = 0;
  private transcript: ChatMessageView[] = [];
  private readonly seenIds = new Set<string>();
  private readonly seenSeqs = new Set<number>();
  private readonly seenClientMessageIds = new Set<string>();
  private outbox: OutgoingMessage[] = [];

  private snapshot: ChatSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(options: ChatClientOptions) {
    this.projectId = options.projectId;
    this.url = options.url;
    const SocketClass = options.WebSocket ?? (globalThis.WebSocket as WidgetSocketConstructor | undefined);
    if (!SocketClass) throw new Error("No WebSocket implementation: pass one in ChatClientOptions.WebSocket");
    this.SocketClass = SocketClass;
    this.storage = options.storage === undefined ? browserStorage() : options.storage;
    this.createClientMessageId = options.createClientMessageId ?? (() => crypto.randomUUID());
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.backoffInitialMs = options.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs;
    this.backoffMaxMs = options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs;
    this.pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.typingTimeoutMs = options.typingTimeoutMs ?? DEFAULT_TYPING_TIMEOUT_MS;
    this.session = this.readSession();
    this.snapshot = {
      connection: "connecting",
      state: "bot",
      agentName: null,
      conversationId: this.session?.conversationId ?? null,
      messages: [],
      typing: null,
      problem: null,
    };
  }

  getSnapshot = (): ChatSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.started) return;
    this.started = true;
    this.update({ connection: "connecting" });
    this.connect();
  }

  /** Closes the socket for good (until `start` again); what was typed but not acknowledged stays queued. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.clearTimer("reconnectTimer");
    this.clearTimer("typingTimer");
    const socket = this.detachSocket();
    socket?.close(NORMAL_CLOSURE, "widget closed");
    this.update({ connection: "closed", typing: null });
  }

  /** Skips the rest of the back-off, e.g. when the browser says it is online again. */
  reconnectNow(): void {
    if (!this.started || this.socket) return;
    this.clearTimer("reconnectTimer");
    this.connect();
  }

  send(text: string): SendResult {
    const trimmed = text.trim();
    if (trimmed.length === 0) return "empty";
    if (trimmed.length > MAX_MESSAGE_LENGTH) return "too_long";
    const message: OutgoingMessage = {
      clientMessageId: this.createClientMessageId(),
      text: trimmed,
      sentAt: new Date(this.now()).toISOString(),
      delivery: "sending",
      writtenOn: null,
      ackedSeq: null,
    };
    this.outbox = [...this.outbox, message];
    if (this.welcomed) this.write(message);
    this.emit();
    return "queued";
  }

  /** Sends a message that failed again, with the same clientMessageId so the server cannot double it. */
  retry(clientMessageId: string): void {
    const message = this.outbox.find((m) => m.clientMessageId === clientMessageId);
    if (!message || message.delivery !== "failed") return;
    message.delivery = "sending";
    message.writtenOn = null;
    message.ackedSeq = null;
    if (this.welcomed) this.write(message);
    this.update({ problem: null });
  }

  // ---- connection ----

  private connect(): void {
    this.reconnectTimer = null;
    let socket: WidgetSocket;
    try {
      socket = new this.SocketClass(this.url);
    } catch {
      // A malformed URL or a blocked scheme throws synchronously; treat it like a failed attempt.
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    socket.addEventListener("open", () => {
      if (socket !== this.socket) return;
      this.lastInboundAt = this.now();
      const hello: WidgetClientMessage = {
        type: "hello",
        projectId: this.projectId,
        ...(this.session ? { conversationId: this.session.conversationId, token: this.session.token } : {}),
        afterSeq: this.highestSeq,
      };
      this.transmit(hello);
      this.startPinging();
    });
    socket.addEventListener("message", (event) => {
      if (socket !== this.socket) return;
      this.lastInboundAt = this.now();
      const message = parseServerMessage(event.data);
      if (message) this.handle(message);
    });
    // `error` is always followed by `close`; acting on both would reconnect twice.
    socket.addEventListener("close", () => {
      if (socket !== this.socket) return;
      this.handleDrop();
    });
  }

  private handleDrop(): void {
    this.detachSocket();
    if (!this.started) return;
    this.update({ connection: "reconnecting" });
    this.scheduleReconnect();
  }

  /** Forgets the current socket so its late events are ignored, and returns it. */
  private detachSocket(): WidgetSocket | null {
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    this.clearTimer("pingTimer");
    return socket;
  }

  private scheduleReconnect(): void {
    if (!this.started || this.reconnectTimer) return;
    // Capped exponential back-off with "equal jitter": at least half the delay, so a flapping
    // server is not hammered, and a random rest, so many widgets do not return in lock-step.
    const ceiling = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** this.failedAttempts);
    const delay = ceiling / 2 + this.random() * (ceiling / 2);
    this.failedAttempts += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private restartNow(): void {
    const socket = this.detachSocket();
    socket?.close(NORMAL_CLOSURE, "restarting");
    if (this.started) this.connect();
  }

  private startPinging(): void {
    this.clearTimer("pingTimer");
    this.pingTimer = setInterval(() => {
      // A connection can die without a close event (a laptop lid, a NAT timeout). Two missed
      // pongs in a row mean nobody is listening; drop it and reconnect.
      if (this.now() - this.lastInboundAt > 2 * this.pingIntervalMs + 5_000) {
        const socket = this.socket;
        this.handleDrop();
        socket?.close();
        return;
      }
      this.transmit({ type: "ping" });
    }, this.pingIntervalMs);
  }

  private transmit(message: WidgetClientMessage): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  private write(message: OutgoingMessage): void {
    if (this.transmit({ type: "send", clientMessageId: message.clientMessageId, text: message.text })) {
      message.writtenOn = this.socket;
    }
  }

  // ---- server messages ----

  private handle(message: WidgetServerMessage): void {
    switch (message.type) {
      case "welcome":
        return this.handleWelcome(message);
      case "message":
        return this.handleMessage(message.message);
      case "state": {
        const agentGone = message.state === "bot" || message.state === "ended";
        if (agentGone) this.clearTimer("typingTimer");
        return this.update({ state: message.state, agentName: message.agentName, ...(agentGone ? { typing: null } : {}) });
      }
      case "typing":
        return this.handleTyping(message.active, message.authorName);
      case "ack":
        return this.handleAck(message.clientMessageId, message.seq);
      case "error":
        return this.handleError(message.code, message.message, message.clientMessageId);
      case "pong":
        return;
    }
  }

  private handleWelcome(welcome: Extract<WidgetServerMessage, { type: "welcome" }>): void {
    const previousConversation = this.session?.conversationId ?? null;
    this.session = { conversationId: welcome.conversationId, token: welcome.token };
    this.writeSession(this.session);
    if (previousConversation !== null && previousConversation !== welcome.conversationId) {
      // The server started a new conversation (the old one is gone or the token expired).
      // The transcript shown belongs to the old one; and since `hello` asked only for what
      // came after our old position, ask again from the start.
      const askedFromMiddle = this.highestSeq > 0;
      this.resetTranscript();
      if (askedFromMiddle) {
        this.emit();
        this.restartNow();
        return;
      }
    }
    this.welcomed = true;
    this.failedAttempts = 0;
    for (const pending of this.outbox) if (pending.delivery === "sending") this.write(pending);
    this.update({
      connection: "open",
      state: welcome.state,
      agentName: welcome.agentName,
      conversationId: welcome.conversationId,
      problem: null,
    });
  }

  private handleMessage(message: ChatMessageView): void {
    const { clientMessageId } = message;
    const echoesOurs = clientMessageId !== null && this.outbox.some((m) => m.clientMessageId === clientMessageId);
    if (echoesOurs) this.outbox = this.outbox.filter((m) => m.clientMessageId !== clientMessageId);
    const duplicate =
      this.seenIds.has(message.id) ||
      this.seenSeqs.has(message.seq) ||
      (clientMessageId !== null && this.seenClientMessageIds.has(clientMessageId));
    if (!duplicate) {
      this.seenIds.add(message.id);
      this.seenSeqs.add(message.seq);
      if (clientMessageId !== null) this.seenClientMessageIds.add(clientMessageId);
      this.transcript = insertSorted(this.transcript, message);
    }
    this.highestSeq = Math.max(this.highestSeq, message.seq);
    if (duplicate) {
      if (echoesOurs) this.emit();
      return;
    }
    if (message.role === "agent") {
      // Their message is what they were typing.
      this.clearTimer("typingTimer");
      this.update({ typing: null });
    } else {
      this.emit();
    }
  }

  private handleTyping(active: boolean, authorName: string | null): void {
    this.clearTimer("typingTimer");
    if (active) {
      // If the "stopped typing" never comes (their client crashed, a frame was lost), do not
      // leave "is typing…" up forever.
      this.typingTimer = setTimeout(() => {
        this.typingTimer = null;
        this.update({ typing: null });
      }, this.typingTimeoutMs);
    }
    this.update({ typing: active ? { authorName } : null });
  }

  private handleAck(clientMessageId: string, seq: number): void {
    const pending = this.outbox.find((m) => m.clientMessageId === clientMessageId);
    if (!pending) return;
    pending.delivery = "sent";
    pending.ackedSeq = seq;
    this.update({ problem: null });
  }

  private handleError(code: ChatProblem["code"], text: string, clientMessageId?: string): void {
    if (code === "not_found" && !this.welcomed && this.session) {
      // The stored conversation no longer exists for this project: start a new one.
      this.session = null;
      this.storage?.removeItem(storageKeyFor(this.projectId));
      this.resetTranscript();
      this.update({ conversationId: null });
      this.restartNow();
      return;
    }
    if ((code === "rate_limited" || code === "bad_request" || code === "unavailable") && this.welcomed) {
      // A send error names its message; older servers did not, and then any unacknowledged
      // message written on this socket may be the one. Marking it failed lets the end user
      // retry, and a retry of one that did get through is harmless: the server de-duplicates.
      for (const pending of this.outbox) {
        const concerned = clientMessageId ? pending.clientMessageId === clientMessageId : pending.writtenOn === this.socket;
        if (pending.delivery === "sending" && concerned) pending.delivery = "failed";
      }
    }
    this.update({ problem: { code, message: text } });
  }

  // ---- state ----

  private resetTranscript(): void {
    this.transcript = [];
    this.highestSeq = 0;
    this.seenIds.clear();
    this.seenSeqs.clear();
    this.seenClientMessageIds.clear();
  }

  private readSession(): StoredSession | null {
    try {
      const raw = this.storage?.getItem(storageKeyFor(this.projectId));
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== "object" || parsed === null) return null;
      const { conversationId, token } = parsed as Record<string, unknown>;
      return typeof conversationId === "string" && typeof token === "string" ? { conversationId, token } : null;
    } catch {
      return null;
    }
  }

  private writeSession(session: StoredSession): void {
    try {
      this.storage?.setItem(storageKeyFor(this.projectId), JSON.stringify(session));
    } catch {
      // Storage full or refused: the conversation goes on, only a reload will start afresh.
    }
  }

  private clearTimer(name: "reconnectTimer" | "pingTimer" | "typingTimer"): void {
    const timer = this[name];
    if (timer === null) return;
    if (name === "pingTimer") clearInterval(timer);
    else clearTimeout(timer);
    this[name] = null;
  }

  private update(changes: Partial<Omit<ChatSnapshot, "messages">>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    this.emit();
  }

  private emit(): void {
    this.snapshot = { ...this.snapshot, messages: this.displayedMessages() };
    for (const listener of this.listeners) listener();
  }

  private displayedMessages(): DisplayedMessage[] {
    const fromServer = (m: ChatMessageView): DisplayedMessage => ({
      key: m.role === "user" && m.clientMessageId ? `c:${m.clientMessageId}` : `m:${m.id}`,
      role: m.role,
      text: m.text,
      authorName: m.authorName,
      mediaUrl: m.mediaUrl,
      sentAt: m.sentAt,
      clientMessageId: m.clientMessageId,
      delivery: m.role === "user" ? "sent" : null,
    });
    const fromOutbox = (m: OutgoingMessage): DisplayedMessage => ({
      key: `c:${m.clientMessageId}`,
      role: "user",
      text: m.text,
      authorName: null,
      mediaUrl: null,
      sentAt: m.sentAt,
      clientMessageId: m.clientMessageId,
      delivery: m.delivery,
    });
    // Until its echo arrives, an acknowledged message goes where its seq says; one not yet
    // acknowledged has no server position and goes last, in the order typed.
    const acked = this.outbox.filter((m) => m.ackedSeq !== null).sort((a, b) => a.ackedSeq! - b.ackedSeq!);
    const unacked = this.outbox.filter((m) => m.ackedSeq === null);
    const displayed: DisplayedMessage[] = [];
    let next = 0;
    for (const message of this.transcript) {
      while (next < acked.length && acked[next]!.ackedSeq! < message.seq) displayed.push(fromOutbox(acked[next++]!));
      displayed.push(fromServer(message));
    }
    while (next < acked.length) displayed.push(fromOutbox(acked[next++]!));
    for (const message of unacked) displayed.push(fromOutbox(message));
    return displayed;
  }
}

function insertSorted(list: readonly ChatMessageView[], message: ChatMessageView): ChatMessageView[] {
  // Almost every message belongs at the end; scan from there.
  let index = list.length;
  while (index > 0 && compareMessages(list[index - 1]!, message) > 0) index -= 1;
  return [...list.slice(0, index), message, ...list.slice(index)];
}
