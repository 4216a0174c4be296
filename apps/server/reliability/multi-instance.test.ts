import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { startSandbox, type Sandbox } from "@zm/zendesk-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ResilientWidget, ServerProcess } from "./harness.ts";

/**
 * Production mode: two instances on different ports share PostgreSQL and Redis. The widget
 * talks to instance A; Zendesk's webhooks arrive at instance B; jobs run on BullMQ; live
 * events cross over Redis. Then A is killed mid-session and the widget moves to B.
 */
const POSTGRES = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const databaseName = `zm_multi_${randomBytes(4).toString("hex")}`;
const redisPrefix = `zm-multi-${randomBytes(4).toString("hex")}`;

let sandbox: Sandbox;
let a: ServerProcess;
let b: ServerProcess;

function databaseUrl() {
  const u = new URL(POSTGRES);
  u.pathname = `/${databaseName}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE "${databaseName}"`));
  sandbox = await startSandbox({ port: 0, log: false, delivery: { retryDelaysMs: [1_000, 3_000, 8_000, 20_000], timeoutMs: 5_000, batchWindowMs: 10 } });
  const [portA, portB] = [await freePort(), await freePort()];
  const shared = {
    DATABASE_URL: databaseUrl(),
    REDIS_URL: REDIS,
    // Its own namespace: state other runs left in Redis (jobs, locks of killed instances) stays out.
    REDIS_PREFIX: redisPrefix,
    MASTER_KEY: randomBytes(32).toString("base64"),
    ZENDESK_API_BASE_URL: sandbox.apiUrl,
    SMS_API_BASE_URL: sandbox.url,
    // Behind one load balancer both have the same public address: here, B's, so Zendesk calls B.
    PUBLIC_BASE_URL: `http://127.0.0.1:${portB}`,
  };
  b = new ServerProcess(portB, { ...shared, DEMO_SANDBOX_URL: sandbox.url });
  await b.start();
  a = new ServerProcess(portA, { ...shared, SEED_DEMO: "0" });
  await a.start();
}, 180_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await sandbox?.close();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)).catch(() => {});
  const redis = new Redis(REDIS);
  try {
    for (let cursor = "0"; ; ) {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      if (next === "0") break;
      cursor = next;
    }
  } finally {
    redis.disconnect();
  }
});

async function until<T>(probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("two instances sharing PostgreSQL and Redis", () => {
  it("hand off with the widget on A and Zendesk's webhooks on B, then survive losing A", async () => {
    const ws = (s: ServerProcess) => `${s.url.replace("http", "ws")}/widget/ws`;
    const widget = new ResilientWidget([ws(a), ws(b)], b.projectId);
    await widget.connect();
    expect(widget.currentUrl).toBe(ws(a));
    const agentTexts = () => widget.transcript().filter((m) => m.role === "agent").map((m) => m.text);

    widget.send("Can I talk to a human?", randomUUID());
    const ticket = await until(() => sandbox.listTickets()[0]);
    expect(sandbox.currentSetup()!.eventsUrl).toContain(b.url);

    sandbox.reply(ticket.id, { agentName: "Bea", text: "Hello from B's side" });
    await until(() => agentTexts().includes("Hello from B's side"));
    widget.send("Thanks, my order is late", randomUUID());
    const userTexts = () =>
      (sandbox.conversationMessages(ticket.conversationId) as Array<{ author?: { type?: string }; content?: { text?: string } }>)
        .filter((m) => m.author?.type === "user")
        .map((m) => m.content?.text);
    await until(() => userTexts().includes("Thanks, my order is late"));

    // A dies mid-session; messages keep flowing both ways.
    await a.crash();
    sandbox.reply(ticket.id, { agentName: "Bea", text: "Are you still there?" });
    widget.send("Yes, still here", randomUUID());
    await until(() => agentTexts().includes("Are you still there?"), 30_000);
    await until(() => userTexts().includes("Yes, still here"), 30_000);
    expect(widget.currentUrl).toBe(ws(b));

    sandbox.setStatus(ticket.id, "solved");
    await until(() => widget.transcript().some((m) => m.text.includes("virtual assistant again")), 30_000);

    // Nothing twice, on either side.
    expect(agentTexts().filter((t) => t === "Are you still there?")).toHaveLength(1);
    expect(userTexts().filter((t) => t === "Yes, still here")).toHaveLength(1);
    expect(sandbox.specViolations).toEqual([]);
    widget.close();
  }, 180_000);
});
