import type { AddressInfo } from "node:net";
import type { ChatMessageView, WidgetClientMessage, WidgetServerMessage } from "@zm/contracts";
import { WebSocketServer, type WebSocket } from "ws";
import type { ChatClient, ChatSnapshot } from "../chat-client.ts";

/** A real WebSocket server on 127.0.0.1 that a test scripts frame by frame. */
export class FakeWidgetServer {
  private readonly pending: FakeConnection[] = [];
  private readonly waiting: Array<(connection: FakeConnection) => void> = [];
  readonly connections: FakeConnection[] = [];

  private constructor(private readonly server: WebSocketServer) {
    server.on("connection", (socket) => {
      const connection = new FakeConnection(socket);
      this.connections.push(connection);
      const waiter = this.waiting.shift();
      if (waiter) waiter(connection);
      else this.pending.push(connection);
    });
  }

  static async start(): Promise<FakeWidgetServer> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/widget/ws" });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    return new FakeWidgetServer(server);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/widget/ws`;
  }

  nextConnection(timeoutMs = 5_000): Promise<FakeConnection> {
    const ready = this.pending.shift();
    if (ready) return Promise.resolve(ready);
    return waitInLine(this.waiting, timeoutMs, "no connection arrived");
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class FakeConnection {
  /** Every frame the client sent, parsed. */
  readonly received: WidgetClientMessage[] = [];
  private readonly unread: WidgetClientMessage[] = [];
  private readonly waiting: Array<(message: WidgetClientMessage) => void> = [];

  constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as WidgetClientMessage;
      this.received.push(message);
      const waiter = this.waiting.shift();
      if (waiter) waiter(message);
      else this.unread.push(message);
    });
  }

  /** The next frame the client sends that this test has not read yet. */
  nextMessage(timeoutMs = 5_000): Promise<WidgetClientMessage> {
    const ready = this.unread.shift();
    if (ready) return Promise.resolve(ready);
    return waitInLine(this.waiting, timeoutMs, "the client sent nothing");
  }

  async nextOfType<T extends WidgetClientMessage["type"]>(type: T): Promise<Extract<WidgetClientMessage, { type: T }>> {
    for (;;) {
      const message = await this.nextMessage();
      if (message.type === type) return message as Extract<WidgetClientMessage, { type: T }>;
    }
  }

  send(message: WidgetServerMessage | Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Cuts the connection without a closing handshake, as a network failure would. */
  drop(): void {
    this.socket.terminate();
  }
}

export function chatMessage(fields: Partial<ChatMessageView> & Pick<ChatMessageView, "seq">): ChatMessageView {
  return {
    id: `msg-${fields.seq}`,
    role: "bot",
    text: `Message ${fields.seq}`,
    authorName: null,
    mediaUrl: null,
    sentAt: new Date(Date.UTC(2026, 0, 1, 10, 0, fields.seq)).toISOString(),
    clientMessageId: null,
    ...fields,
  };
}

/** Resolves with the first snapshot that satisfies `predicate`. */
export function snapshotWhere(client: ChatClient, predicate: (snapshot: ChatSnapshot) => boolean, timeoutMs = 5_000): Promise<ChatSnapshot> {
  const current = client.getSnapshot();
  if (predicate(current)) return Promise.resolve(current);
  let unsubscribe = () => {};
  const found = new Promise<ChatSnapshot>((resolve) => {
    unsubscribe = client.subscribe(() => {
      const snapshot = client.getSnapshot();
      if (predicate(snapshot)) resolve(snapshot);
    });
  });
  return withTimeout(found, timeoutMs, "the snapshot never matched").finally(unsubscribe);
}

/** A `Storage` in memory, to see what the client persists. */
export class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** Queues a resolver in `line`; on timeout takes it out again so it cannot swallow a later item. */
function waitInLine<T>(line: Array<(item: T) => void>, ms: number, what: string): Promise<T> {
  let resolver: (item: T) => void = () => {};
  const arrival = new Promise<T>((resolve) => {
    resolver = resolve;
    line.push(resolve);
  });
  return withTimeout(arrival, ms, what).catch((error: unknown) => {
    const index = line.indexOf(resolver);
    if (index >= 0) line.splice(index, 1);
    throw error;
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
