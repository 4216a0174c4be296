import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type ConsoleMessage, type Page } from "@playwright/test";
import { WebSocketServer, type WebSocket } from "ws";
import { ROOT } from "../support/stack.ts";
import { seriousA11yViolations } from "../support/studio.ts";

/*
 * The built chat widget (apps/studio/dist) against a scripted stand-in for the server's
 * `/widget/ws`: this spec is about what the end user sees, so the test decides frame by frame
 * what the "server" says, including cutting the connection.
 */

const DIST = path.join(ROOT, "apps/studio/dist");
const PROJECT_ID = "PROJECT-0e2e0e2e";
/** The project embed-demo.html names in its script tag. */
const DEMO_PROJECT_ID = "PROJECT-f07a975e";

// The headers apps/server/src/security.ts sends, so the widget is tested under the real policy.
const STUDIO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const WIDGET_CSP = STUDIO_CSP.replace("frame-ancestors 'none'", "frame-ancestors *");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

type ClientFrame = { type: string } & Record<string, unknown>;

/** One widget connection, driven by the test. */
class ScriptedSocket {
  readonly received: ClientFrame[] = [];
  private readonly unread: ClientFrame[] = [];
  private readonly waiting: Array<(frame: ClientFrame) => void> = [];

  constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as ClientFrame;
      this.received.push(frame);
      const waiter = this.waiting.shift();
      if (waiter) waiter(frame);
      else this.unread.push(frame);
    });
  }

  /** The next frame of `type` the widget sends (pings in between are skipped). */
  async next(type: string): Promise<ClientFrame> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const frame = this.unread.shift() ?? (await this.arrival(deadline - Date.now()));
      if (frame.type === type) return frame;
    }
  }

  private arrival(ms: number): Promise<ClientFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error("the widget sent nothing"));
      }, Math.max(ms, 0));
      const waiter = (frame: ClientFrame) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.waiting.push(waiter);
    });
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Cuts the connection without a closing handshake, like a network failure. */
  drop(): void {
    this.socket.terminate();
  }
}

interface WidgetTestServer {
  url: string;
  /** When set, every connection is welcomed with this greeting instead of being queued for the test. */
  greeting: string | null;
  nextConnection(): Promise<ScriptedSocket>;
  close(): Promise<void>;
}

/** Serves the built Studio dist like apps/server does for /chat/* and static files, plus the scripted socket. */
async function startWidgetTestServer(): Promise<WidgetTestServer> {
  const chatHtml = fs.readFileSync(path.join(DIST, "chat.html"));
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const embeddable = pathname.startsWith("/chat/") || pathname.startsWith("/widget");
    res.setHeader("Content-Security-Policy", embeddable ? WIDGET_CSP : STUDIO_CSP);
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (pathname.startsWith("/chat/")) {
      res.writeHead(200, { "Content-Type": CONTENT_TYPES[".html"]! }).end(chatHtml);
      return;
    }
    const file = path.normalize(path.join(DIST, pathname));
    if (!file.startsWith(DIST + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end("Not found");
      return;
    }
    res.writeHead(200, { "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" }).end(fs.readFileSync(file));
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    if (req.url !== "/widget/ws") return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit("connection", ws));
  });

  const queued: ScriptedSocket[] = [];
  const waiting: Array<(connection: ScriptedSocket) => void> = [];
  const testServer: WidgetTestServer = {
    url: "",
    greeting: null,
    nextConnection() {
      const ready = queued.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the widget did not connect")), 15_000);
        waiting.push((connection) => {
          clearTimeout(timer);
          resolve(connection);
        });
      });
    },
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  sockets.on("connection", (ws) => {
    const connection = new ScriptedSocket(ws);
    const greeting = testServer.greeting;
    if (greeting !== null) {
      void connection.next("hello").then(() => {
        connection.send({ type: "welcome", conversationId: "conv-auto", token: "token-auto", state: "bot", agentName: null });
        connection.send({ type: "message", message: chatMessage(1, "bot", greeting) });
      });
      return;
    }
    const waiter = waiting.shift();
    if (waiter) waiter(connection);
    else queued.push(connection);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  testServer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return testServer;
}

const T0 = Date.UTC(2026, 2, 3, 9, 30, 0);
function chatMessage(seq: number, role: "user" | "bot" | "agent" | "system", text: string, extra: Record<string, unknown> = {}) {
  return {
    id: `msg-${seq}`,
    seq,
    role,
    text,
    authorName: role === "agent" ? "Jane Agent" : null,
    mediaUrl: null,
    sentAt: new Date(T0 + seq * 5_000).toISOString(),
    clientMessageId: null,
    ...extra,
  };
}

const GREETING = "Hi! I'm the virtual assistant. Our help centre is at https://help.example.com/start.";
const ASK_FOR_HUMAN = "I'd like to talk to a person";
const QUEUED = "You're in the queue. An agent will be with you shortly.";
const JANE_HELLO = "Hi, I'm Jane. Let me look into your order.";
const ORDER_NUMBER = "My order number is 1042";
const JANE_FOUND_IT = "Found it: it ships tomorrow.";
const CLOSING = "Jane Agent has left the conversation. The virtual assistant is back to help.";

function transcript(page: Page) {
  return page.getByRole("log", { name: "Conversation" });
}

/** The text of every message in the transcript, in order. */
async function transcriptTexts(page: Page): Promise<string[]> {
  return (await transcript(page).getByRole("listitem").allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
}

let server: WidgetTestServer;
test.beforeEach(async () => {
  server = await startWidgetTestServer();
});
test.afterEach(async () => {
  await server?.close();
});

test.describe("the chat page", () => {
  test.use({ bypassCSP: true });

  test("the end user is handed from the assistant to an agent and back, across a dropped connection", async ({ page }) => {
    await page.goto(`${server.url}/chat/${PROJECT_ID}`);
    const first = await server.nextConnection();
    expect(await first.next("hello")).toEqual({ type: "hello", projectId: PROJECT_ID, afterSeq: 0 });
    await expect(page.getByRole("status").filter({ hasText: "Connecting…" })).toBeVisible();

    // Talking to the AI agent.
    first.send({ type: "welcome", conversationId: "conv-e2e", token: "token-e2e", state: "bot", agentName: null });
    first.send({ type: "message", message: chatMessage(1, "bot", GREETING) });
    await expect(page.getByRole("heading", { name: "Virtual assistant" })).toBeVisible();
    await expect(transcript(page).getByText("Our help centre")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Connecting…" })).toHaveCount(0);
    const helpLink = transcript(page).getByRole("link", { name: "https://help.example.com/start" });
    await expect(helpLink).toHaveAttribute("href", "https://help.example.com/start");
    await expect(helpLink).toHaveAttribute("target", "_blank");
    await expect(helpLink).toHaveAttribute("rel", "noopener noreferrer");
    expect(await transcriptTexts(page)).toEqual([`Assistant ${GREETING}`]);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Asking for a human: the message shows at once, "sending" until acknowledged.
    const messageBox = page.getByRole("textbox", { name: "Message" });
    const sendButton = page.getByRole("button", { name: "Send" });
    await expect(messageBox).toBeFocused();
    await expect(sendButton).toBeDisabled();
    await messageBox.fill("   ");
    await expect(sendButton).toBeDisabled();
    await messageBox.fill(ASK_FOR_HUMAN);
    await expect(sendButton).toBeEnabled();
    await messageBox.press("Enter");
    await expect(messageBox).toHaveValue("");
    const asked = await first.next("send");
    expect(asked).toMatchObject({ type: "send", text: ASK_FOR_HUMAN });
    expect(asked.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(transcript(page).getByText("Sending…")).toBeVisible();
    first.send({ type: "ack", clientMessageId: asked.clientMessageId, seq: 2 });
    first.send({ type: "message", message: chatMessage(2, "user", ASK_FOR_HUMAN, { clientMessageId: asked.clientMessageId }) });
    await expect(transcript(page).getByText("Sending…")).toHaveCount(0);
    await expect(transcript(page).getByText(ASK_FOR_HUMAN)).toHaveCount(1);

    // Connecting to an agent.
    first.send({ type: "state", state: "connecting", agentName: null });
    first.send({ type: "message", message: chatMessage(3, "system", QUEUED) });
    await expect(page.getByRole("status").filter({ hasText: "Connecting you to an agent..." })).toBeVisible();
    await expect(transcript(page).getByText(QUEUED)).toHaveCSS("text-align", "center");

    // The agent joins, types, and writes.
    first.send({ type: "state", state: "with_agent", agentName: "Jane Agent" });
    await expect(page.getByRole("heading", { name: "Jane Agent" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Connecting you to an agent..." })).toHaveCount(0);
    first.send({ type: "typing", active: true, authorName: "Jane Agent" });
    const typing = page.getByRole("status").filter({ hasText: "Jane Agent is typing…" });
    await expect(typing).toBeVisible();
    first.send({ type: "message", message: chatMessage(4, "agent", JANE_HELLO) });
    await expect(transcript(page).getByText(JANE_HELLO)).toBeVisible();
    await expect(typing).toHaveCount(0);
    expect((await transcriptTexts(page)).at(-1)).toBe(`Jane Agent ${JANE_HELLO}`);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The connection drops. While it is down, Jane writes again (the server stores it) and the
    // end user types a message, which waits as "sending".
    first.drop();
    await expect(page.getByRole("status").filter({ hasText: "Reconnecting…" })).toBeVisible();
    await messageBox.fill(ORDER_NUMBER);
    await sendButton.click();
    await expect(transcript(page).getByText("Sending…")).toBeVisible();

    const second = await server.nextConnection();
    expect(await second.next("hello")).toEqual({ type: "hello", projectId: PROJECT_ID, conversationId: "conv-e2e", token: "token-e2e", afterSeq: 4 });
    second.send({ type: "welcome", conversationId: "conv-e2e", token: "token-e2e", state: "with_agent", agentName: "Jane Agent" });
    // The catch-up overlaps what the widget already has.
    second.send({ type: "message", message: chatMessage(4, "agent", JANE_HELLO) });
    second.send({ type: "message", message: chatMessage(5, "agent", JANE_FOUND_IT) });
    const resent = await second.next("send");
    expect(resent).toMatchObject({ type: "send", text: ORDER_NUMBER });
    second.send({ type: "ack", clientMessageId: resent.clientMessageId, seq: 6 });
    second.send({ type: "message", message: chatMessage(6, "user", ORDER_NUMBER, { clientMessageId: resent.clientMessageId }) });
    await expect(page.getByRole("status").filter({ hasText: "Reconnecting…" })).toHaveCount(0);
    await expect(transcript(page).getByText("Sending…")).toHaveCount(0);
    await expect(transcript(page).getByText(JANE_FOUND_IT)).toBeVisible();

    // The agent solves the ticket; the AI agent takes over again.
    second.send({ type: "state", state: "bot", agentName: null });
    second.send({ type: "message", message: chatMessage(7, "system", CLOSING) });
    await expect(page.getByRole("heading", { name: "Virtual assistant" })).toBeVisible();
    await expect(transcript(page).getByText(CLOSING)).toBeVisible();

    const expected = [
      `Assistant ${GREETING}`,
      `You ${ASK_FOR_HUMAN}`,
      QUEUED,
      `Jane Agent ${JANE_HELLO}`,
      // Its visible name is not repeated under Jane's previous message; screen readers still hear it.
      `Jane Agent ${JANE_FOUND_IT}`,
      `You ${ORDER_NUMBER}`,
      CLOSING,
    ];
    expect(await transcriptTexts(page)).toEqual(expected);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A reload continues the same conversation and shows it once more, not twice.
    await page.reload();
    const third = await server.nextConnection();
    expect(await third.next("hello")).toEqual({ type: "hello", projectId: PROJECT_ID, conversationId: "conv-e2e", token: "token-e2e", afterSeq: 0 });
    third.send({ type: "welcome", conversationId: "conv-e2e", token: "token-e2e", state: "bot", agentName: null });
    const replay = [
      chatMessage(1, "bot", GREETING),
      chatMessage(2, "user", ASK_FOR_HUMAN, { clientMessageId: asked.clientMessageId }),
      chatMessage(3, "system", QUEUED),
      chatMessage(4, "agent", JANE_HELLO),
      chatMessage(5, "agent", JANE_FOUND_IT),
      chatMessage(6, "user", ORDER_NUMBER, { clientMessageId: resent.clientMessageId }),
      chatMessage(7, "system", CLOSING),
    ];
    for (const message of [...replay, ...replay]) third.send({ type: "message", message });
    await expect(transcript(page).getByText(CLOSING)).toBeVisible();
    await expect(transcript(page).getByRole("listitem")).toHaveCount(7);
    expect(await transcriptTexts(page)).toEqual(expected);
  });

  test("in embed mode, messages show as text, only http(s) URLs are linked, and media shows as a link or image", async ({ page }) => {
    // Served locally so the page makes no request off this machine.
    await page.route("https://cdn.example.com/**", (route) =>
      route.fulfill({ contentType: "image/png", body: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64") }),
    );
    await page.goto(`${server.url}/chat/${PROJECT_ID}?embed=1`);
    const connection = await server.nextConnection();
    await connection.next("hello");
    connection.send({ type: "welcome", conversationId: "conv-html", token: "t", state: "with_agent", agentName: "Jane Agent" });
    connection.send({ type: "message", message: chatMessage(1, "agent", '<img src=x onerror="alert(1)"> <b>bold</b> javascript:alert(1)') });
    connection.send({
      type: "message",
      message: chatMessage(2, "agent", "Here is the label", { mediaUrl: "https://cdn.example.com/labels/return-label.pdf" }),
    });
    await expect(transcript(page).getByText('<img src=x onerror="alert(1)"> <b>bold</b> javascript:alert(1)')).toBeVisible();
    await expect(transcript(page).locator("b, img")).toHaveCount(0);
    await expect(transcript(page).getByRole("link")).toHaveCount(1);
    await expect(transcript(page).getByRole("link", { name: "Attachment: return-label.pdf" })).toHaveAttribute(
      "href",
      "https://cdn.example.com/labels/return-label.pdf",
    );

    connection.send({ type: "message", message: chatMessage(3, "agent", "", { mediaUrl: "https://cdn.example.com/photos/parcel.png" }) });
    connection.send({ type: "message", message: chatMessage(4, "agent", "Not a link: javascript:alert(1)", { mediaUrl: "javascript:alert(1)" }) });
    await expect(transcript(page).getByRole("img", { name: "Image shared by Jane Agent" })).toHaveAttribute("src", "https://cdn.example.com/photos/parcel.png");
    await expect(transcript(page).getByText("Not a link: javascript:alert(1)")).toBeVisible();
    await expect(transcript(page).getByRole("link")).toHaveCount(2);

    // Embedded: the frame is the card, with its own close button.
    await expect(page.getByRole("button", { name: "Close chat" })).toBeVisible();
    await expect(page.getByRole("main")).toHaveCSS("border-radius", "0px");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

test.describe("widget.js on a host page", () => {
  test.use({ bypassCSP: true });

  test("opens and closes the chat by keyboard, and the host page's styles do not reach it", async ({ page }) => {
    server.greeting = "Hello from the demo!";
    await page.goto(`${server.url}/embed-demo.html`);
    const launcher = page.getByRole("button", { name: "Open chat" });
    await expect(launcher).toBeVisible();
    // embed-demo.css pads, borders and rotates every button and fades every iframe.
    await expect(launcher).toHaveCSS("transform", "none");
    await expect(launcher).toHaveCSS("padding-top", "0px");
    const box = (await launcher.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.width).toBe(56);
    expect(box.height).toBe(56);
    expect(viewport.width - (box.x + box.width)).toBe(20);
    expect(viewport.height - (box.y + box.height)).toBe(20);
    await expect(page.getByTitle("Chat")).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Keyboard only: Tab to the launcher, Enter opens, the keyboard lands in the message box.
    await page.keyboard.press("Tab");
    await expect(launcher).toBeFocused();
    await expect(launcher).toHaveAttribute("aria-expanded", "false");
    await page.keyboard.press("Enter");
    const frameElement = page.getByTitle("Chat");
    await expect(frameElement).toBeVisible();
    await expect(frameElement).toHaveAttribute("src", `${server.url}/chat/${DEMO_PROJECT_ID}?embed=1`);
    await expect(frameElement).toHaveCSS("opacity", "1");
    await expect(frameElement).toHaveCSS("border-top-width", "0px");
    await expect(launcher).toHaveAttribute("aria-expanded", "true");
    const chat = page.frameLocator('iframe[title="Chat"]');
    await expect(chat.getByText("Hello from the demo!")).toBeVisible();
    await expect(chat.getByRole("heading", { name: "Virtual assistant" })).toBeVisible();
    await expect(chat.getByRole("textbox", { name: "Message" })).toBeFocused();
    await page.keyboard.type("typed in the widget");
    await expect(chat.getByRole("textbox", { name: "Message" })).toHaveValue("typed in the widget");

    // Escape inside the chat closes it and gives the keyboard back to the launcher.
    await page.keyboard.press("Escape");
    await expect(frameElement).toBeHidden();
    await expect(launcher).toBeFocused();
    await expect(launcher).toHaveAttribute("aria-expanded", "false");

    // Space reopens it; the conversation (and the draft) are still there.
    await page.keyboard.press("Space");
    await expect(frameElement).toBeVisible();
    await expect(chat.getByRole("textbox", { name: "Message" })).toBeFocused();
    await expect(chat.getByRole("textbox", { name: "Message" })).toHaveValue("typed in the widget");
    await expect(chat.getByText("Hello from the demo!")).toHaveCount(1);

    // The chat's own close button, reached with Shift+Tab from the message box.
    const closeButton = chat.getByRole("button", { name: "Close chat" });
    for (let i = 0; i < 6; i += 1) {
      if (await closeButton.evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press("Shift+Tab");
    }
    await expect(closeButton).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(frameElement).toBeHidden();
    await expect(launcher).toBeFocused();

    // Escape with the keyboard still on the launcher also closes.
    await page.keyboard.press("Enter");
    await expect(frameElement).toBeVisible();
    await launcher.focus();
    await page.keyboard.press("Escape");
    await expect(frameElement).toBeHidden();
    await expect(launcher).toBeFocused();
  });
});

test.describe("under the server's Content-Security-Policy", () => {
  test("the chat page and the embed run without inline scripts or styles", async ({ page }) => {
    server.greeting = "Policy-proof hello";
    const violations: string[] = [];
    const recordViolation = (message: ConsoleMessage) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    };
    page.on("console", recordViolation);

    await page.goto(`${server.url}/chat/${PROJECT_ID}?embed=1`);
    await expect(page.getByText("Policy-proof hello")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Virtual assistant" })).toBeVisible();

    await page.goto(`${server.url}/embed-demo.html`);
    await page.getByRole("button", { name: "Open chat" }).click();
    await expect(page.frameLocator('iframe[title="Chat"]').getByText("Policy-proof hello")).toBeVisible();
    expect(violations).toEqual([]);
  });
});
