import { randomBytes } from "node:crypto";
import { waitForQuiet } from "./lib/http-load.ts";
import { ProcSampler } from "./lib/proc.ts";
import { openLoop } from "./lib/schedule.ts";
import { MODE_LABEL, Stack, type Mode } from "./lib/stack.ts";
import { monoMs, round, sleep, summarize } from "./lib/stats.ts";

/**
 * 2. Relay latency, both ways, on live hand-offs spread over `sessions` widgets:
 * agent → widget: from the webhook POST carrying the sandbox agent's message leaving the
 * sandbox (the product's share) and from the agent's reply (end to end, including the
 * sandbox's 5 ms batching window) to the frame arriving in the widget socket;
 * widget → Zendesk: from the widget sending the frame to the sandbox receiving the message
 * through the Sunshine API. Messages that never arrive within the drain window count as infinite.
 */
export interface RelayRun {
  direction: "agent_to_widget" | "widget_to_zendesk";
  rate: number;
  seconds: number;
  sent: number;
  arrived: number;
  rejected: number;
  latencyMs: { p50: number; p99: number; max: number };
  endToEndMs?: { p50: number; p99: number };
  serverCpuPercent: number;
  serverRssMiB: number;
  drainedMs: number;
}

export interface RelayResult {
  mode: Mode;
  label: string;
  sessions: number;
  handoffSetupSeconds: number;
  runs: RelayRun[];
  serverCommand: string;
}

function ms(values: number[]) {
  const s = summarize(values);
  return { p50: round(s.p50, 2), p99: round(s.p99, 2), max: round(s.max, 2) };
}

export async function runRelay(mode: Mode, opts: { rates: number[]; seconds: number; sessions: number; drainMs: number; log: (s: string) => void }): Promise<RelayResult> {
  const { log } = opts;
  const stack = await new Stack(mode).start();
  try {
    log(`relay/${mode}: opening ${opts.sessions} hand-offs`);
    const t0 = monoMs();
    const { widgets, tickets } = await stack.openHandoffs(opts.sessions, { log });
    const handoffSetupSeconds = round((monoMs() - t0) / 1000, 1);
    log(`relay/${mode}: ${opts.sessions} hand-offs in ${handoffSetupSeconds} s`);
    const ticketIds = tickets.map((t) => t.id);
    const arrivals = new Map<string, number>();
    let rejected = 0;
    for (const w of widgets) {
      w.onMessage = (text, _role, at) => {
        if (text.startsWith("bench:")) arrivals.set(text, at);
      };
      w.onError = () => rejected++;
    }
    const prefixCount = (tag: string) => {
      let n = 0;
      for (const k of arrivals.keys()) if (k.startsWith(`bench:${tag}:`)) n++;
      return n;
    };

    // Warm-up: every session gets its first agent reply ("… joined the chat"), caches fill.
    await stack.sandbox.call("agentLoad", { ticketIds, rate: Math.min(200, opts.sessions), seconds: opts.sessions / Math.min(200, opts.sessions), tag: "warm" });
    const warmDeadline = Date.now() + 120_000;
    while (prefixCount("warm") < opts.sessions && Date.now() < warmDeadline) await sleep(200);
    await waitForQuiet(stack.server.pid, { maxMs: 60_000 });

    const runs: RelayRun[] = [];
    for (const rate of opts.rates) {
      // Agent → widget.
      {
        const tag = `a${rate}`;
        const sampler = new ProcSampler(stack.server.pid).start();
        const load = await stack.sandbox.call<{ fired: number; sentAt: number[] }>("agentLoad", { ticketIds, rate, seconds: opts.seconds, tag });
        const drainStart = monoMs();
        while (prefixCount(tag) < load.fired && monoMs() - drainStart < opts.drainMs) await sleep(50);
        const drainedMs = round(monoMs() - drainStart, 0);
        const s = sampler.stop();
        const times = await stack.sandbox.call<{ posted: Record<string, number> }>("times", { tag });
        const added: number[] = [];
        const e2e: number[] = [];
        for (let i = 0; i < load.fired; i++) {
          const text = `bench:${tag}:${i}`;
          const at = arrivals.get(text);
          const posted = times.posted[text];
          added.push(at !== undefined && posted !== undefined ? at - posted : Infinity);
          e2e.push(at !== undefined ? at - load.sentAt[i]! : Infinity);
        }
        const e = ms(e2e);
        const run: RelayRun = {
          direction: "agent_to_widget",
          rate,
          seconds: opts.seconds,
          sent: load.fired,
          arrived: prefixCount(tag),
          rejected: 0,
          latencyMs: ms(added),
          endToEndMs: { p50: e.p50, p99: e.p99 },
          serverCpuPercent: s.cpuPercentOfOneCore,
          serverRssMiB: s.rssMiB.peak,
          drainedMs,
        };
        runs.push(run);
        log(`relay/${mode}: agent→widget ${rate}/s: ${run.arrived}/${run.sent} p50 ${run.latencyMs.p50} p99 ${run.latencyMs.p99} ms (e2e p99 ${e.p99}) cpu ${s.cpuPercentOfOneCore}%`);
        await waitForQuiet(stack.server.pid, { maxMs: 120_000 });
      }
      // Widget → Zendesk.
      {
        const tag = `w${rate}`;
        rejected = 0;
        const sentAt: number[] = [];
        const sampler = new ProcSampler(stack.server.pid).start();
        const load = await openLoop({ rate, seconds: opts.seconds }, (i) => {
          const w = widgets[i % widgets.length]!;
          sentAt[i] = monoMs();
          w.send(`bench:${tag}:${i}`, randomBytes(8).toString("hex"));
        });
        const drainStart = monoMs();
        while ((await stack.sandbox.call<number>("count", { tag })) < load.fired && monoMs() - drainStart < opts.drainMs) await sleep(100);
        const drainedMs = round(monoMs() - drainStart, 0);
        const s = sampler.stop();
        const times = await stack.sandbox.call<{ published: Record<string, number> }>("times", { tag });
        const lat: number[] = [];
        for (let i = 0; i < load.fired; i++) {
          const got = times.published[`bench:${tag}:${i}`];
          lat.push(got !== undefined ? got - sentAt[i]! : Infinity);
        }
        const run: RelayRun = {
          direction: "widget_to_zendesk",
          rate,
          seconds: opts.seconds,
          sent: load.fired,
          arrived: Object.keys(times.published).length,
          rejected,
          latencyMs: ms(lat),
          serverCpuPercent: s.cpuPercentOfOneCore,
          serverRssMiB: s.rssMiB.peak,
          drainedMs,
        };
        runs.push(run);
        log(`relay/${mode}: widget→Zendesk ${rate}/s: ${run.arrived}/${run.sent} p50 ${run.latencyMs.p50} p99 ${run.latencyMs.p99} ms, ${rejected} refused, cpu ${s.cpuPercentOfOneCore}%`);
        await waitForQuiet(stack.server.pid, { maxMs: 120_000 });
      }
    }
    for (const w of widgets) w.close();
    return { mode, label: MODE_LABEL[mode], sessions: opts.sessions, handoffSetupSeconds, runs, serverCommand: stack.server.command };
  } finally {
    await stack.stop();
  }
}
