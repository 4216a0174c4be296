import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, type Sandbox } from "@zm/zendesk-sandbox";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort, ResilientWidget, ServerProcess } from "./harness.ts";

/**
 * Crash test: steady traffic both ways while the server is killed with SIGKILL at random
 * moments and restarted. Every end-user message must reach Zendesk (no duplicate visible
 * there), every agent message must reach the end user exactly once, both in order.
 * Figures go to RELIABILITY.md; the run writes them to reliability/results/crash.json.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 10);
/** Each side sends one message every this many ms (plus jitter) for as long as the kills go on. */
const SEND_EVERY_MS = Number(process.env.CRASH_SEND_EVERY_MS ?? 800);
const SEED = Number(process.env.CRASH_SEED ?? 1125);

// A small deterministic generator, so a failing run can be repeated with the same kill times.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

let sandbox: Sandbox;
let server: ServerProcess;
let widget: ResilientWidget;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    log: false,
    // Sunshine tries 5 times with growing gaps over 15 minutes. Compressed here, but kept longer
    // than the whole run of kills: in production a restart takes seconds against a 15-minute
    // window, and a shorter window here would measure the compression, not the product.
    delivery: { retryDelaysMs: [2_000, 10_000, 40_000, 120_000], timeoutMs: 5_000, batchWindowMs: 10 },
    statusDelivery: { timeoutMs: 5_000, retryDelaysMs: [2_000, 10_000, 40_000, 120_000], retryAfterUnitMs: 10 },
  });
  server = new ServerProcess(await freePort(), { DEMO_SANDBOX_URL: sandbox.url, ZENDESK_API_BASE_URL: sandbox.apiUrl });
  await server.start();
}, 120_000);

afterAll(async () => {
  widget?.close();
  await server?.stop();
  await sandbox?.close();
});

it(`loses and duplicates nothing across ${KILLS} SIGKILLs`, async () => {
  const random = rng(SEED);
  widget = new ResilientWidget(`${server.url.replace("http", "ws")}/widget/ws`, server.projectId);
  await widget.connect();
  widget.send("I want to talk to a human", randomUUID());
  const ticketId = await waitFor(async () => sandbox.listTickets()[0]?.id, 30_000);
  const zendeskConversationId = sandbox.listTickets()[0]!.conversationId;

  const userTexts: string[] = [];
  const agentTexts: string[] = [];
  let agentSendErrors = 0;
  let chaosDone = false;

  const kills: number[] = [];
  const chaos = (async () => {
    for (let i = 0; i < KILLS; i++) {
      // Up for a while (traffic flows), then killed mid-flight.
      await sleep(4_000 + random() * 4_000);
      const t0 = Date.now();
      await server.crash();
      await server.start();
      kills.push(Date.now() - t0);
    }
    await sleep(1_000);
    chaosDone = true;
  })();
  const userTraffic = (async () => {
    while (!chaosDone) {
      const text = `U-${String(userTexts.length + 1).padStart(4, "0")}`;
      userTexts.push(text);
      widget.send(text, randomUUID());
      await sleep(SEND_EVERY_MS * (0.5 + random()));
    }
  })();
  const agentTraffic = (async () => {
    while (!chaosDone) {
      const text = `A-${String(agentTexts.length + 1).padStart(4, "0")}`;
      try {
        sandbox.reply(ticketId, { agentName: "Crash Agent", text });
        agentTexts.push(text);
      } catch {
        agentSendErrors += 1;
      }
      await sleep(SEND_EVERY_MS * (0.5 + random()));
    }
  })();
  await Promise.all([userTraffic, agentTraffic, chaos]);
  const USER_MESSAGES = userTexts.length;
  const AGENT_MESSAGES = agentTexts.length;

  // Let retries, redeliveries and sweeps finish.
  const zendeskTexts = () =>
    (sandbox.conversationMessages(zendeskConversationId) as Array<{ author?: { type?: string }; content?: { text?: string } }>)
      .filter((m) => m.author?.type === "user")
      .map((m) => m.content?.text ?? "")
      .filter((t) => /^U-\d+$/.test(t));
  const widgetAgentTexts = () => widget.transcript().filter((m) => m.role === "agent").map((m) => m.text);
  await waitFor(async () => (new Set(zendeskTexts()).size >= USER_MESSAGES && new Set(widgetAgentTexts()).size >= AGENT_MESSAGES && widget.pending === 0 ? true : undefined), 240_000).catch(() => undefined);
  await sandbox.idle();

  const atZendesk = zendeskTexts();
  const atWidget = widgetAgentTexts();
  const frames = widget.frames.filter((m) => m.role === "agent").map((m) => m.text);
  const report = {
    kills: kills.length,
    restartMs: { median: median(kills), max: Math.max(...kills) },
    widgetReconnects: widget.reconnects,
    endUserToZendesk: count(userTexts, atZendesk),
    zendeskToEndUser: count(agentTexts, atWidget),
    redeliveredFramesDroppedByWidget: frames.length - new Set(widget.frames.filter((m) => m.role === "agent").map((m) => m.id)).size,
    agentSendErrors,
    webhookAttempts: tally(sandbox.deliveries().map((d) => `${d.webhook}:${d.status ?? d.error ?? "?"}`)),
    /** Deliveries "Zendesk" gave up on after its last try: these events never reached us. */
    webhooksAbandonedByZendesk: sandbox.deliveries().filter((d) => d.outcome === "failed").length,
    seed: SEED,
  };
  const out = path.join(import.meta.dirname, "results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "crash.json"), JSON.stringify(report, null, 2));
  console.log("crash test:", JSON.stringify(report));

  expect(report.kills).toBe(KILLS);
  expect(report.endUserToZendesk).toMatchObject({ sent: USER_MESSAGES, received: USER_MESSAGES, lost: 0, duplicated: 0, inOrder: true });
  expect(report.zendeskToEndUser).toMatchObject({ sent: AGENT_MESSAGES, received: AGENT_MESSAGES, lost: 0, duplicated: 0, inOrder: true });
  expect(sandbox.specViolations).toEqual([]);
}, 600_000);

function count(sent: string[], received: string[]) {
  const distinct = new Set(received);
  const lost = sent.filter((t) => !distinct.has(t)).length;
  const firstIndex = sent.map((t) => received.indexOf(t)).filter((i) => i >= 0);
  return {
    sent: sent.length,
    received: distinct.size,
    duplicated: received.length - distinct.size,
    lost,
    inOrder: firstIndex.every((v, i) => i === 0 || v > firstIndex[i - 1]!),
  };
}

function tally(values: string[]) {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function median(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(100);
  }
}
