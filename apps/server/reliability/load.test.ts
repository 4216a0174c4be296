import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, type Sandbox } from "@zm/zendesk-sandbox";
import { Agent, request } from "undici";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort, ResilientWidget, ServerProcess } from "./harness.ts";

/**
 * Load: the events endpoint driven at a fixed rate (open loop: requests leave on schedule
 * whether or not earlier ones have answered) with real verification and durable storage of
 * agent messages for a live hand-off. Loopback only, bounded in time and count.
 */
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
// The embedded default (PGlite, one process) relays a few dozen agent messages per second on
// this 2-core machine; the rate sits below that so the run measures steady state, not a backlog.
const RATE = Number(process.env.LOAD_RATE ?? 30);

let sandbox: Sandbox;
let server: ServerProcess;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: false, delivery: { retryDelaysMs: [1_000, 3_000], timeoutMs: 5_000, batchWindowMs: 10 } });
  server = new ServerProcess(await freePort(), { DEMO_SANDBOX_URL: sandbox.url, ZENDESK_API_BASE_URL: sandbox.apiUrl, LOG_LEVEL: "error" });
  await server.start();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await sandbox?.close();
});

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

it(`accepts ${RATE} events/s for ${SECONDS} s with no errors`, async () => {
  const widget = new ResilientWidget(`${server.url.replace("http", "ws")}/widget/ws`, server.projectId);
  await widget.connect();
  widget.send("talk to a human", randomUUID());
  const deadline = Date.now() + 30_000;
  while (!sandbox.listTickets()[0] && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const conversationId = sandbox.listTickets()[0]!.conversationId;
  const setup = sandbox.currentSetup()!;
  const url = new URL(`${server.url}/handoff/webhooks/zendesk/PLATFORM/${server.projectId}/live/events`);
  const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

  const body = (i: number) => {
    const now = new Date().toISOString();
    return JSON.stringify({
      app: { id: setup.appId },
      webhook: { id: setup.webhookId, version: "v2" },
      events: [
        {
          id: randomBytes(12).toString("hex"),
          createdAt: now,
          type: "conversation:message",
          payload: {
            conversation: { id: conversationId, type: "personal" },
            message: {
              id: randomBytes(12).toString("hex"),
              received: now,
              author: { type: "business", displayName: "Load Agent" },
              content: { type: "text", text: `load ${i}` },
              source: { type: "zd:agentWorkspace" },
            },
          },
        },
      ],
    });
  };

  const pid = server.child!.pid!;
  const rssSamples: number[] = [rssMb(pid)];
  const sampler = setInterval(() => rssSamples.push(rssMb(pid)), 1000);
  const latencies: number[] = [];
  const errors: string[] = [];
  const total = RATE * SECONDS;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      (async () => {
        const t0 = performance.now();
        try {
          const res = await request(url, { method: "POST", dispatcher, headers: { "content-type": "application/json", "x-api-key": setup.webhookSecret }, body: body(i) });
          await res.body.dump();
          if (res.statusCode !== 200) errors.push(`HTTP ${res.statusCode}`);
          // Latency counts from when the request was due, so a backlog shows (no coordinated omission).
          latencies.push(performance.now() - Math.min(t0, due));
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      })(),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  // Every accepted event is also relayed: wait for the widget to have them all.
  const relayed = () => widget.transcript().filter((m) => m.role === "agent" && m.text.startsWith("load ")).length;
  const drainStart = performance.now();
  while (relayed() < total && performance.now() - drainStart < 120_000) await new Promise((r) => setTimeout(r, 100));
  const drainedAfterMs = Math.round(performance.now() - drainStart);
  clearInterval(sampler);
  rssSamples.push(rssMb(pid));
  await dispatcher.close();

  const sorted = [...latencies].sort((a, b) => a - b);
  const report = {
    targetRate: RATE,
    seconds: SECONDS,
    sent: total,
    accepted: total - errors.length,
    acceptedPerSecond: Math.round((total - errors.length) / elapsed),
    latencyMs: { p50: +percentile(sorted, 50).toFixed(2), p99: +percentile(sorted, 99).toFixed(2), max: +(sorted.at(-1) ?? 0).toFixed(2) },
    errors: errors.length,
    firstErrors: errors.slice(0, 5),
    relayedToWidget: relayed(),
    relayDrainedMsAfterLastRequest: drainedAfterMs,
    serverRssMb: { start: Math.round(rssSamples[0]!), peak: Math.round(Math.max(...rssSamples)), end: Math.round(rssSamples.at(-1)!) },
    database: "embedded PGlite",
  };
  const out = path.join(import.meta.dirname, "results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "load.json"), JSON.stringify(report, null, 2));
  console.log("load test:", JSON.stringify(report));
  widget.close();
  expect(report.errors).toBe(0);
  expect(report.accepted).toBe(total);
  expect(report.relayedToWidget).toBe(total);
}, 600_000);
