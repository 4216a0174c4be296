import { randomBytes } from "node:crypto";
import net from "node:net";
import { Writable } from "node:stream";
import { hashPassword } from "@zm/api";
import { zendeskWebhookUrls, type WidgetServerMessage } from "@zm/contracts";
import { keyringOf, newId } from "@zm/db";
import { openTestDatabase } from "@zm/db/testing";
import type { Tuning } from "@zm/handoff";
import { startSandbox, type Sandbox, type SandboxOptions } from "@zm/zendesk-sandbox";
import type { FastifyInstance } from "fastify";
import WebSocket from "ws";
import { buildApp } from "../app.ts";
import { createLogger } from "../logger.ts";
import { wireServices, type AppServices } from "../services.ts";
import { smsRoutes } from "../sms-routes.ts";
import { webhookRoutes } from "../webhooks.ts";
import { widgetSocket, type WidgetSocketOptions } from "../widget-socket.ts";

export const PROJECT = "PROJECT-0000beef";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const FAST_TUNING: Partial<Tuning> = { retryBaseMs: 50, retryMaxMs: 400, lateMessageGraceMs: 2_000, zendeskTimeoutMs: 2_000, sweepIntervalMs: 200 };

export interface HandoffStack {
  url: string;
  app: FastifyInstance;
  services: AppServices;
  sandbox: Sandbox;
  setup: ReturnType<Sandbox["setup"]>;
  sms: ReturnType<Sandbox["smsSetup"]>;
  logText(): string;
  openWidget(opts?: { conversationId?: string; token?: string; afterSeq?: number }): Promise<WidgetClient>;
  /** Waits until both sides have nothing left to do. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The product (server, runtime, in-process queue) on a fresh database, and a Zendesk sandbox
 * whose webhooks point at it; the project is connected and has a "Talk to a human" topic.
 */
export async function startHandoffStack(opts: { tuning?: Partial<Tuning>; sandbox?: SandboxOptions; connect?: boolean; signing?: boolean; widget?: WidgetSocketOptions } = {}): Promise<HandoffStack> {
  const sandbox = await startSandbox({
    port: 0,
    log: false,
    delivery: { retryDelaysMs: [100, 200, 400, 800], timeoutMs: 3_000, batchWindowMs: 5 },
    statusDelivery: { timeoutMs: 3_000, retryDelaysMs: [100, 200, 400], retryAfterUnitMs: 10 },
    ...opts.sandbox,
  });
  const db = await openTestDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const lines: string[] = [];
  const log = createLogger(
    "debug",
    new Writable({
      write(chunk, _e, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  );
  const keyring = keyringOf(randomBytes(32));
  // With TEST_REDIS_URL the same tests run on BullMQ and Redis pub/sub instead of in-process.
  const redisUrl = process.env.TEST_REDIS_URL;
  const services = wireServices(
    db,
    () => keyring,
    { publicBaseUrl: url, zendeskApiBaseUrl: sandbox.apiUrl, smsApiBaseUrl: sandbox.url, ...(redisUrl ? { redisUrl } : {}) },
    { log, tuning: { ...FAST_TUNING, ...opts.tuning }, redisPrefix: `zmtest-${randomBytes(4).toString("hex")}` },
  );
  const app = await buildApp({ services, logger: log, plugins: [
      (a) => webhookRoutes(a, services.runtime, services.rateLimiter),
      (a) => smsRoutes(a, services.runtime, url, services.rateLimiter),
      (a) => widgetSocket(a, services.runtime, services.bus, opts.widget),
    ],
  });
  await app.listen({ port, host: "127.0.0.1" });
  services.scheduler.every("sweep", 200, () => services.runtime.sweep());

  const prisma = db.prisma;
  await prisma.project.create({ data: { id: PROJECT, name: "Hand-off test" } });
  await prisma.user.create({ data: { id: "u-admin", email: "admin@test.local", name: "Admin", passwordHash: await hashPassword("x-password") } });
  await prisma.membership.create({ data: { userId: "u-admin", projectId: PROJECT, role: "admin" } });
  const hooks = zendeskWebhookUrls(url, PROJECT);
  const setup = sandbox.setup({ eventsUrl: hooks.events, statusUrl: hooks.status, signing: opts.signing ?? true });
  if (opts.connect !== false) {
    await services.zendeskConnections.save(
      PROJECT,
      "u-admin",
      {
        subdomain: setup.subdomain,
        appId: setup.appId,
        integrationId: setup.integrationId,
        webhookId: setup.webhookId,
        apiKeyId: setup.apiKeyId,
        statusAuthHeaderName: setup.statusHeaderName,
        switchboardTarget: "zd-agentWorkspace",
      },
      { sharedSecret: setup.webhookSecret, apiKeySecret: setup.apiKeySecret, webhookSecretKey: setup.statusHeaderValue, signingSecret: setup.signingSecret ?? undefined },
      "zendesk.connect",
    );
  }
  const sms = sandbox.smsSetup({ smsUrl: `${url}/channels/sms/twilio/${PROJECT}` });
  if (opts.connect !== false) {
    await services.smsConnections.save(PROJECT, "u-admin", { accountSid: sms.accountSid, phoneNumber: sms.phoneNumber }, sms.authToken);
  }
  await prisma.topic.create({
    data: {
      id: newId("topic"),
      projectId: PROJECT,
      name: "Talk to a human",
      phrases: ["talk to a human", "speak to an agent"],
      answer: "",
      actions: {
        create: [
          {
            id: newId("ta"),
            position: 0,
            action: "transfer_to_zendesk",
            utterance: "No problem, I'll transfer you to one of our agents now.",
            options: { tags: ["vip"], priority: "high", group_id: "360001234567", custom_fields: { "360023540498": "gold" }, requester_name: "Ada Lovelace", requester_email: "ada@example.com" },
          },
        ],
      },
    },
  });

  const sockets: WidgetClient[] = [];
  return {
    url,
    app,
    services,
    sandbox,
    setup,
    sms,
    logText: () => lines.join(""),
    async openWidget(resume = {}) {
      const client = await WidgetClient.open(url.replace("http", "ws") + "/widget/ws", { projectId: PROJECT, ...resume });
      sockets.push(client);
      return client;
    },
    async settle() {
      for (let i = 0; i < 3; i++) {
        await sandbox.idle();
        await services.runtime.sweep();
        await services.queue.idle(100);
      }
    },
    async close() {
      for (const s of sockets) s.close();
      await app.close();
      await services.close();
      await sandbox.close();
    },
  };
}

/** A scripted widget: records what the server sends and waits for it. */
export class WidgetClient {
  readonly events: WidgetServerMessage[] = [];
  private waiters: Array<() => void> = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (raw) => {
      this.events.push(JSON.parse(String(raw)) as WidgetServerMessage);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("close", () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string, hello: { projectId: string; conversationId?: string; token?: string; afterSeq?: number }) {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const client = new WidgetClient(ws);
    ws.send(JSON.stringify({ type: "hello", ...hello }));
    await client.waitFor((e) => e.type === "welcome" || e.type === "error");
    return client;
  }

  get welcome() {
    return this.events.find((e): e is Extract<WidgetServerMessage, { type: "welcome" }> => e.type === "welcome");
  }

  get messages() {
    return this.events.filter((e): e is Extract<WidgetServerMessage, { type: "message" }> => e.type === "message").map((e) => e.message);
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(text: string, clientMessageId = randomBytes(8).toString("hex")) {
    this.ws.send(JSON.stringify({ type: "send", clientMessageId, text }));
    return clientMessageId;
  }

  /** Sends and waits until the server has stored it. */
  async say(text: string) {
    const id = this.send(text);
    await this.waitFor((e) => e.type === "ack" && e.clientMessageId === id);
    return id;
  }

  raw(data: string) {
    this.ws.send(data);
  }

  async waitFor<T extends WidgetServerMessage>(predicate: (e: WidgetServerMessage) => e is T, timeoutMs?: number): Promise<T>;
  async waitFor(predicate: (e: WidgetServerMessage) => boolean, timeoutMs?: number): Promise<WidgetServerMessage>;
  async waitFor(predicate: (e: WidgetServerMessage) => boolean, timeoutMs = 10_000): Promise<WidgetServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out; got: ${JSON.stringify(this.events.map((e) => (e.type === "message" ? `${e.message.role}:${e.message.text}` : e.type)))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Waits for a transcript message whose text contains `text`. */
  waitForText(text: string, timeoutMs?: number) {
    return this.waitFor((e) => e.type === "message" && e.message.text.includes(text), timeoutMs);
  }

  close() {
    this.ws.close();
  }
}
