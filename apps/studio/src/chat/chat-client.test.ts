import type { WidgetClientMessage } from "@zm/contracts";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { WebSocket } from "ws";
import { ChatClient, storageKeyFor, type ChatClientOptions, type ChatSnapshot, type WidgetSocket } from "./chat-client.ts";
import { chatMessage, FakeWidgetServer, MemoryStorage, snapshotWhere, type FakeConnection } from "./testing/fake-widget-server.ts";

const PROJECT_ID = "PROJECT-0a1b2c3d";

let server: FakeWidgetServer;
const clients: ChatClient[] = [];

beforeEach(async () => {
  server = await FakeWidgetServer.start();
});

afterEach(async () => {
  vi.useRealTimers();
  for (const client of clients.splice(0)) client.stop();
  await server.close();
});

function startClient(options: Partial<ChatClientOptions> = {}): ChatClient {
  let counter = 0;
  const client = new ChatClient({
    projectId: PROJECT_ID,
    url: server.url,
    WebSocket,
    storage: new MemoryStorage(),
    createClientMessageId: () => `client-msg-${++counter}`,
    // Reconnect within a few milliseconds so the tests stay fast.
    backoff: { initialMs: 10, maxMs: 40 },
    // Far away unless a test is about pings.
    pingIntervalMs: 60_000,
    ...options,
  });
  clients.push(client);
  client.start();
  return client;
}

/** Accepts the next connection, reads its hello, and welcomes it. */
async function welcomeNext(conversationId = "conv-1"): Promise<{ connection: FakeConnection; hello: Extract<WidgetClientMessage, { type: "hello" }> }> {
  const connection = await server.nextConnection();
  const hello = await connection.nextOfType("hello");
  connection.send({ type: "welcome", conversationId, token: `token-for-${conversationId}`, state: "bot", agentName: null });
  return { connection, hello };
}

const texts = (snapshot: ChatSnapshot) => snapshot.messages.map((m) => m.text);

describe("connecting", () => {
  test("says hello with the project and no conversation the first time, and is open after the welcome", async () => {
    const client = startClient();
    const { hello } = await welcomeNext();
    expect(hello).toEqual({ type: "hello", projectId: PROJECT_ID, afterSeq: 0 });
    const snapshot = await snapshotWhere(client, (s) => s.connection === "open");
    expect(snapshot.conversationId).toBe("conv-1");
    expect(snapshot.state).toBe("bot");
  });

  test("keeps the conversation and token in storage so a reload continues the same conversation", async () => {
    const storage = new MemoryStorage();
    const first = startClient({ storage });
    await welcomeNext("conv-42");
    await snapshotWhere(first, (s) => s.connection === "open");
    expect(JSON.parse(storage.getItem(storageKeyFor(PROJECT_ID))!)).toEqual({ conversationId: "conv-42", token: "token-for-conv-42" });
    first.stop();

    // A reload: a new client on the same storage. It starts from the beginning of the
    // transcript (nothing is on screen yet) but in the same conversation.
    startClient({ storage });
    const { hello } = await welcomeNext("conv-42");
    expect(hello).toEqual({ type: "hello", projectId: PROJECT_ID, conversationId: "conv-42", token: "token-for-conv-42", afterSeq: 0 });
  });

  test("keeps one conversation per project", async () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKeyFor("PROJECT-ffffffff"), JSON.stringify({ conversationId: "other", token: "t" }));
    startClient({ storage });
    const { hello } = await welcomeNext();
    expect(hello).not.toHaveProperty("conversationId");
  });

  test("starts a new conversation when the stored one is not found", async () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKeyFor(PROJECT_ID), JSON.stringify({ conversationId: "gone", token: "old" }));
    const client = startClient({ storage });
    const stale = await server.nextConnection();
    expect(await stale.nextOfType("hello")).toMatchObject({ conversationId: "gone" });
    stale.send({ type: "error", code: "not_found", message: "No such conversation" });

    const { hello } = await welcomeNext("conv-new");
    expect(hello).toEqual({ type: "hello", projectId: PROJECT_ID, afterSeq: 0 });
    await snapshotWhere(client, (s) => s.connection === "open" && s.conversationId === "conv-new");
    expect(JSON.parse(storage.getItem(storageKeyFor(PROJECT_ID))!)).toMatchObject({ conversationId: "conv-new" });
  });

  test("ignores unknown and malformed server messages and answers nothing", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    connection.send({ type: "confetti", amount: 3 });
    connection.send({ type: "message", message: { id: "x", seq: "not a number" } });
    connection.send(chatMessage({ seq: 1, text: "Still here" }) as unknown as Record<string, unknown>);
    connection.send({ type: "message", message: chatMessage({ seq: 1, text: "Hello!" }) });
    const snapshot = await snapshotWhere(client, (s) => s.messages.length > 0);
    expect(texts(snapshot)).toEqual(["Hello!"]);
    expect(connection.received.map((m) => m.type)).toEqual(["hello"]);
  });

  test("pings on the interval while connected", async () => {
    startClient({ pingIntervalMs: 30 });
    const { connection } = await welcomeNext();
    expect(await connection.nextMessage()).toEqual({ type: "ping" });
    connection.send({ type: "pong" });
    expect(await connection.nextMessage()).toEqual({ type: "ping" });
  });
});

describe("reconnecting", () => {
  test("backs off exponentially with jitter, up to a cap, while the server cannot be reached", async () => {
    vi.useFakeTimers();
    const attemptTimes: number[] = [];
    class UnreachableSocket implements WidgetSocket {
      readonly readyState = 3;
      private closeListener: (() => void) | null = null;
      constructor() {
        attemptTimes.push(Date.now());
        queueMicrotask(() => this.closeListener?.());
      }
      send(): void {}
      close(): void {}
      addEventListener(type: string, listener: (event: { data: unknown }) => void): void {
        if (type === "close") this.closeListener = () => listener({ data: undefined });
      }
    }
    const client = startClient({
      WebSocket: UnreachableSocket,
      backoff: { initialMs: 1_000, maxMs: 8_000 },
      // Jitter keeps half of each delay and draws the rest; 0.5 lands at three quarters.
      random: () => 0.5,
    });
    await vi.advanceTimersByTimeAsync(30_000);
    const gaps = attemptTimes.slice(1).map((time, index) => time - attemptTimes[index]!);
    expect(gaps.slice(0, 6)).toEqual([750, 1_500, 3_000, 6_000, 6_000, 6_000]);
    expect(client.getSnapshot().connection).toBe("reconnecting");
  });
});

describe("catching up", () => {
  test("after a dropped connection it asks for what came after the last seq and shows nothing twice", async () => {
    const client = startClient();
    const first = await welcomeNext();
    first.connection.send({ type: "message", message: chatMessage({ seq: 1, text: "Hi, how can I help?" }) });
    first.connection.send({ type: "message", message: chatMessage({ seq: 2, role: "user", text: "A human please", clientMessageId: "from-another-tab" }) });
    await snapshotWhere(client, (s) => s.messages.length === 2);

    first.connection.drop();
    await snapshotWhere(client, (s) => s.connection === "reconnecting");

    const second = await welcomeNext();
    expect(second.hello).toEqual({ type: "hello", projectId: PROJECT_ID, conversationId: "conv-1", token: "token-for-conv-1", afterSeq: 2 });
    // A catch-up that overlaps what the client already has, then what it missed.
    second.connection.send({ type: "message", message: chatMessage({ seq: 2, role: "user", text: "A human please", clientMessageId: "from-another-tab" }) });
    second.connection.send({ type: "message", message: chatMessage({ seq: 3, role: "system", text: "Connecting you to an agent" }) });
    second.connection.send({ type: "message", message: chatMessage({ seq: 3, id: "replayed-under-another-id", role: "system", text: "Connecting you to an agent" }) });
    second.connection.send({ type: "message", message: chatMessage({ seq: 4, id: "msg-2", text: "Same id as an earlier message" }) });
    second.connection.send({ type: "message", message: chatMessage({ seq: 5, text: "Last" }) });

    const snapshot = await snapshotWhere(client, (s) => s.messages.some((m) => m.text === "Last"));
    expect(snapshot.connection).toBe("open");
    expect(texts(snapshot)).toEqual(["Hi, how can I help?", "A human please", "Connecting you to an agent", "Last"]);

    // The next catch-up starts after the highest seq seen.
    second.connection.drop();
    const third = await welcomeNext();
    expect(third.hello.afterSeq).toBe(5);
  });

  test("keeps messages ordered by sentAt when one arrives late", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds)).toISOString();
    connection.send({ type: "message", message: chatMessage({ seq: 1, text: "first", sentAt: at(0) }) });
    connection.send({ type: "message", message: chatMessage({ seq: 2, text: "third", sentAt: at(20) }) });
    // Relayed late from Zendesk: a higher seq, but written before "third".
    connection.send({ type: "message", message: chatMessage({ seq: 3, role: "agent", authorName: "Jane Agent", text: "second", sentAt: at(10) }) });
    // Same instant as "third": the server's sequence decides.
    connection.send({ type: "message", message: chatMessage({ seq: 4, text: "fourth", sentAt: at(20) }) });
    const snapshot = await snapshotWhere(client, (s) => s.messages.length === 4);
    expect(texts(snapshot)).toEqual(["first", "second", "third", "fourth"]);
  });

  test("a welcome into a different conversation replaces the transcript and asks for it from the start", async () => {
    const client = startClient();
    const first = await welcomeNext("conv-old");
    first.connection.send({ type: "message", message: chatMessage({ seq: 1, text: "old conversation" }) });
    await snapshotWhere(client, (s) => s.messages.length === 1);
    first.connection.drop();

    const second = await welcomeNext("conv-fresh");
    expect(second.hello.afterSeq).toBe(1);
    const third = await welcomeNext("conv-fresh");
    expect(third.hello).toMatchObject({ conversationId: "conv-fresh", afterSeq: 0 });
    third.connection.send({ type: "message", message: chatMessage({ seq: 1, id: "fresh-1", text: "new conversation" }) });
    const snapshot = await snapshotWhere(client, (s) => s.messages.some((m) => m.text === "new conversation"));
    expect(texts(snapshot)).toEqual(["new conversation"]);
  });
});

describe("sending", () => {
  test("shows the message at once as sending, then sent on ack, and the echo does not duplicate it", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    await snapshotWhere(client, (s) => s.connection === "open");

    expect(client.send("  I need a human  ")).toBe("queued");
    expect(client.getSnapshot().messages).toMatchObject([{ role: "user", text: "I need a human", delivery: "sending" }]);
    const sent = await connection.nextOfType("send");
    expect(sent).toEqual({ type: "send", clientMessageId: "client-msg-1", text: "I need a human" });

    connection.send({ type: "ack", clientMessageId: "client-msg-1", seq: 1 });
    await snapshotWhere(client, (s) => s.messages[0]?.delivery === "sent");
    const key = client.getSnapshot().messages[0]!.key;
    connection.send({ type: "message", message: chatMessage({ seq: 1, role: "user", text: "I need a human", clientMessageId: "client-msg-1" }) });
    connection.send({ type: "message", message: chatMessage({ seq: 2, text: "Let me find someone." }) });
    const snapshot = await snapshotWhere(client, (s) => s.messages.length === 2);
    expect(snapshot.messages.map((m) => [m.role, m.text, m.delivery])).toEqual([
      ["user", "I need a human", "sent"],
      ["bot", "Let me find someone.", null],
    ]);
    // Same key before and after the echo: the bubble is updated, not replaced.
    expect(snapshot.messages[0]!.key).toBe(key);
  });

  test("re-sends an unacknowledged message after a reconnect, with the same clientMessageId, and shows it once", async () => {
    const client = startClient();
    const first = await welcomeNext();
    await snapshotWhere(client, (s) => s.connection === "open");
    client.send("Are you there?");
    expect(await first.connection.nextOfType("send")).toMatchObject({ clientMessageId: "client-msg-1" });
    // The server got it but the ack is lost with the connection.
    first.connection.drop();
    await snapshotWhere(client, (s) => s.connection === "reconnecting");
    expect(client.getSnapshot().messages).toMatchObject([{ text: "Are you there?", delivery: "sending" }]);

    // Typed while offline: queued, sent after the next welcome.
    client.send("Hello?");

    const second = await welcomeNext();
    // The server stored the first one before the drop, so the catch-up carries its echo…
    second.connection.send({ type: "message", message: chatMessage({ seq: 1, role: "user", text: "Are you there?", clientMessageId: "client-msg-1" }) });
    const resent = [await second.connection.nextOfType("send"), await second.connection.nextOfType("send")];
    expect(resent).toEqual([
      { type: "send", clientMessageId: "client-msg-1", text: "Are you there?" },
      { type: "send", clientMessageId: "client-msg-2", text: "Hello?" },
    ]);
    // …and de-duplicating by clientMessageId, it acks the re-send and echoes it again.
    second.connection.send({ type: "ack", clientMessageId: "client-msg-1", seq: 1 });
    second.connection.send({ type: "message", message: chatMessage({ seq: 1, id: "msg-1", role: "user", text: "Are you there?", clientMessageId: "client-msg-1" }) });
    second.connection.send({ type: "ack", clientMessageId: "client-msg-2", seq: 2 });
    second.connection.send({ type: "message", message: chatMessage({ seq: 2, role: "user", text: "Hello?", clientMessageId: "client-msg-2" }) });

    const snapshot = await snapshotWhere(client, (s) => s.messages.every((m) => m.delivery === "sent") && s.messages.length === 2);
    expect(snapshot.messages.map((m) => [m.text, m.clientMessageId])).toEqual([
      ["Are you there?", "client-msg-1"],
      ["Hello?", "client-msg-2"],
    ]);
  });

  test("an acknowledged message whose echo has not come yet sits where its seq puts it", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    connection.send({ type: "message", message: chatMessage({ seq: 1, text: "How can I help?" }) });
    await snapshotWhere(client, (s) => s.messages.length === 1);
    client.send("Where is my parcel?");
    client.send("Order 1042");
    const first = await connection.nextOfType("send");
    await connection.nextOfType("send");
    connection.send({ type: "ack", clientMessageId: first.clientMessageId, seq: 2 });
    // The reply overtakes the echo of the question.
    connection.send({ type: "message", message: chatMessage({ seq: 3, text: "Let me check." }) });
    const snapshot = await snapshotWhere(client, (s) => s.messages.length === 4);
    expect(snapshot.messages.map((m) => [m.text, m.delivery])).toEqual([
      ["How can I help?", null],
      ["Where is my parcel?", "sent"],
      ["Let me check.", null],
      ["Order 1042", "sending"],
    ]);
  });

  test("refuses empty and over-long messages without sending anything", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    await snapshotWhere(client, (s) => s.connection === "open");
    expect(client.send("   \n ")).toBe("empty");
    expect(client.send("x".repeat(4001))).toBe("too_long");
    expect(client.getSnapshot().messages).toEqual([]);
    connection.send({ type: "message", message: chatMessage({ seq: 1 }) });
    await snapshotWhere(client, (s) => s.messages.length === 1);
    expect(connection.received.map((m) => m.type)).toEqual(["hello"]);
  });

  test("a rate-limit error marks the unacknowledged message failed, and a retry sends it with the same id", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    await snapshotWhere(client, (s) => s.connection === "open");
    client.send("one more");
    await connection.nextOfType("send");
    connection.send({ type: "error", code: "rate_limited", message: "Slow down" });
    const failed = await snapshotWhere(client, (s) => s.messages[0]?.delivery === "failed");
    expect(failed.problem).toEqual({ code: "rate_limited", message: "Slow down" });

    client.retry("client-msg-1");
    expect(client.getSnapshot().messages[0]?.delivery).toBe("sending");
    expect(await connection.nextOfType("send")).toEqual({ type: "send", clientMessageId: "client-msg-1", text: "one more" });
    connection.send({ type: "ack", clientMessageId: "client-msg-1", seq: 1 });
    const sent = await snapshotWhere(client, (s) => s.messages[0]?.delivery === "sent");
    expect(sent.problem).toBeNull();
  });
});

describe("hand-off state and typing", () => {
  test("follows the state and the agent's name", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    connection.send({ type: "state", state: "connecting", agentName: null });
    await snapshotWhere(client, (s) => s.state === "connecting");
    connection.send({ type: "state", state: "with_agent", agentName: "Jane Agent" });
    const withAgent = await snapshotWhere(client, (s) => s.state === "with_agent");
    expect(withAgent.agentName).toBe("Jane Agent");
    connection.send({ type: "state", state: "bot", agentName: null });
    const back = await snapshotWhere(client, (s) => s.state === "bot");
    expect(back.agentName).toBeNull();
  });

  test("clears the typing indicator on typing:false and on the agent's next message", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    connection.send({ type: "typing", active: true, authorName: "Jane Agent" });
    expect((await snapshotWhere(client, (s) => s.typing !== null)).typing).toEqual({ authorName: "Jane Agent" });
    connection.send({ type: "typing", active: false, authorName: "Jane Agent" });
    await snapshotWhere(client, (s) => s.typing === null);

    connection.send({ type: "typing", active: true, authorName: "Jane Agent" });
    await snapshotWhere(client, (s) => s.typing !== null);
    connection.send({ type: "message", message: chatMessage({ seq: 1, role: "agent", authorName: "Jane Agent", text: "Hi, Jane here." }) });
    const snapshot = await snapshotWhere(client, (s) => s.messages.length === 1);
    expect(snapshot.typing).toBeNull();
  });

  test("clears the typing indicator by itself after 12 seconds without news", async () => {
    const client = startClient();
    const { connection } = await welcomeNext();
    await snapshotWhere(client, (s) => s.connection === "open");
    // Fake only the timers the client arms from here on; the sockets keep real I/O.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    connection.send({ type: "typing", active: true, authorName: "Jane Agent" });
    await snapshotWhere(client, (s) => s.typing !== null);

    vi.advanceTimersByTime(11_999);
    expect(client.getSnapshot().typing).toEqual({ authorName: "Jane Agent" });
    // News restarts the 12 seconds.
    connection.send({ type: "typing", active: true, authorName: "Jane Agent" });
    await new Promise<void>((resolve) => {
      const unsubscribe = client.subscribe(() => {
        unsubscribe();
        resolve();
      });
    });
    vi.advanceTimersByTime(11_999);
    expect(client.getSnapshot().typing).not.toBeNull();
    vi.advanceTimersByTime(1);
    expect(client.getSnapshot().typing).toBeNull();
  });
});
