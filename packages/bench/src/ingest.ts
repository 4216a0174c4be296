import { randomBytes } from "node:crypto";
import { Poster, waitForQuiet, type PhaseResult } from "./lib/http-load.ts";
import { ProcSampler } from "./lib/proc.ts";
import { BareServer } from "./lib/processes.ts";
import { MODE_LABEL, Stack, type Mode } from "./lib/stack.ts";
import { round } from "./lib/stats.ts";

/**
 * 1. Webhook ingest. The events endpoint (X-API-Key and app/webhook checks, parsing, the
 * durable inbox write) against a bare node:http server answering 200, same generator, same run.
 * Each delivery is a valid v2 conversations webhook carrying one agent message for a live
 * hand-off, so the server also processes and relays it in the background, as in production.
 */
export interface IngestModeResult {
  mode: Mode;
  label: string;
  concurrency: number;
  seconds: number;
  bare: { throughput: PhaseResult; latency: PhaseResult; cpuPercent: number };
  server: { throughput: PhaseResult; latency: PhaseResult; cpuPercent: number; rssMiB: number };
  latencyRate: number;
  ratio: number;
  valid: boolean;
  serverCommand: string;
  bareCommand: string;
}

export async function runIngest(mode: Mode, opts: { seconds: number; concurrency: number; log: (s: string) => void }): Promise<IngestModeResult> {
  const { log } = opts;
  const stack = await new Stack(mode).start();
  const bare = new BareServer();
  await bare.start();
  try {
    log(`ingest/${mode}: opening one hand-off`);
    const { widgets, tickets } = await stack.openHandoffs(1);
    for (const w of widgets) w.close();
    const conversationId = tickets[0]!.conversationId;
    const setup = stack.setup;
    let n = 0;
    const body = () => {
      const now = new Date().toISOString();
      n++;
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
                author: { type: "business", displayName: "Bench Agent", avatarUrl: "https://example.com/a.png" },
                content: { type: "text", text: `ingest ${n}` },
                source: { type: "zd:agentWorkspace" },
              },
            },
          },
        ],
      });
    };
    const headers = { "content-type": "application/json", "x-api-key": setup.webhookSecret };
    const toServer = new Poster({ url: stack.eventsUrl, headers, body }, opts.concurrency);
    const toBare = new Poster({ url: `${bare.url}/handoff/webhooks/zendesk/PLATFORM/x/live/events`, headers, body }, opts.concurrency);

    const phase = async (name: string, poster: Poster, pid: number, run: () => Promise<PhaseResult>) => {
      const sampler = new ProcSampler(pid).start();
      const r = await run();
      const s = sampler.stop();
      log(`ingest/${mode}: ${name}: ${r.perSecond}/s ok ${r.ok}/${r.requests} p50 ${r.latencyMs.p50} ms p99 ${r.latencyMs.p99} ms cpu ${s.cpuPercentOfOneCore}%`);
      return { r, s };
    };

    // Warm both up (JIT, connections, caches), then let the server finish what it queued.
    await toBare.closed(opts.concurrency, 2);
    await toServer.closed(opts.concurrency, 3);
    await waitForQuiet(stack.server.pid);

    const bareT = await phase("bare, closed loop", toBare, bare.pid, () => toBare.closed(opts.concurrency, opts.seconds));
    const serverT = await phase("server, closed loop", toServer, stack.server.pid, () => toServer.closed(opts.concurrency, opts.seconds));
    log(`ingest/${mode}: waiting for the server's background work to finish`);
    await waitForQuiet(stack.server.pid, { maxMs: 120_000 });

    // Latency at the same fixed rate for both: half what the server sustained.
    const rate = Math.max(10, Math.round(serverT.r.perSecond / 2));
    const bareL = await phase(`bare, open loop ${rate}/s`, toBare, bare.pid, () => toBare.open(rate, opts.seconds));
    const serverL = await phase(`server, open loop ${rate}/s`, toServer, stack.server.pid, () => toServer.open(rate, opts.seconds));
    await toServer.close();
    await toBare.close();

    const valid = [serverT.r, serverL.r, bareT.r, bareL.r].every((r) => r.okShare >= 0.99);
    return {
      mode,
      label: MODE_LABEL[mode],
      concurrency: opts.concurrency,
      seconds: opts.seconds,
      bare: { throughput: bareT.r, latency: bareL.r, cpuPercent: bareT.s.cpuPercentOfOneCore },
      server: { throughput: serverT.r, latency: serverL.r, cpuPercent: serverT.s.cpuPercentOfOneCore, rssMiB: serverT.s.rssMiB.peak },
      latencyRate: rate,
      ratio: round(serverT.r.perSecond / bareT.r.perSecond, 4),
      valid,
      serverCommand: stack.server.command,
      bareCommand: bare.command,
    };
  } finally {
    await bare.stop();
    await stack.stop();
  }
}
