import { randomBytes } from "node:crypto";
import { waitForQuiet } from "./lib/http-load.ts";
import { ProcSampler } from "./lib/proc.ts";
import { openLoop } from "./lib/schedule.ts";
import { MODE_LABEL, Stack, type Mode } from "./lib/stack.ts";
import { monoMs, round, sleep } from "./lib/stats.ts";

/**
 * 3. Concurrent sessions: RSS and CPU of the server process with N widget sockets open, each
 * in a hand-off (asked for a human; the ticket is in the sandbox), first idle, then with every
 * widget sending one message a second.
 */
export interface SessionsLevel {
  sockets: number;
  handoffsInZendesk: number;
  setupSeconds: number;
  idle: { cpuPercent: number; rssMiB: number };
  active: { cpuPercent: number; rssMiB: number; sent: number; acked: number; refused: number; ackedPerSecond: number };
}

export interface SessionsResult {
  mode: Mode;
  label: string;
  seconds: number;
  levels: SessionsLevel[];
  serverCommand: string;
}

export async function runSessionsLevel(mode: Mode, sockets: number, opts: { seconds: number; setupTimeoutMs: number; log: (s: string) => void }): Promise<SessionsLevel & { serverCommand: string }> {
  const { log } = opts;
  const stack = await new Stack(mode).start();
  try {
    log(`sessions/${mode}: opening ${sockets} widget sockets in hand-off`);
    const t0 = monoMs();
    let handoffs = sockets;
    let opened;
    try {
      opened = await stack.openHandoffs(sockets, { concurrency: 100, timeoutMs: opts.setupTimeoutMs, log });
    } catch (err) {
      log(`sessions/${mode}: ${String(err)}; measuring with what there is`);
      opened = null;
    }
    const setupSeconds = round((monoMs() - t0) / 1000, 1);
    if (!opened) throw new Error("hand-offs did not reach Zendesk in time");
    handoffs = opened.tickets.length;
    const { widgets } = opened;
    await waitForQuiet(stack.server.pid, { maxMs: 60_000 });

    log(`sessions/${mode}: ${sockets} idle for ${opts.seconds} s`);
    let sampler = new ProcSampler(stack.server.pid, 1000).start();
    await sleep(opts.seconds * 1000);
    const idle = sampler.stop();

    let acked = 0;
    let refused = 0;
    for (const w of widgets) {
      w.onAck = () => acked++;
      w.onError = () => refused++;
    }
    log(`sessions/${mode}: ${sockets} sending one message a second each for ${opts.seconds} s`);
    sampler = new ProcSampler(stack.server.pid, 1000).start();
    const load = await openLoop({ rate: sockets, seconds: opts.seconds }, (i) => {
      widgets[i % widgets.length]!.send(`hello ${i}`, randomBytes(8).toString("hex"));
    });
    await sleep(1000);
    const active = sampler.stop();
    const ackedInWindow = acked;
    for (const w of widgets) w.close();
    const level: SessionsLevel = {
      sockets,
      handoffsInZendesk: handoffs,
      setupSeconds,
      idle: { cpuPercent: idle.cpuPercentOfOneCore, rssMiB: idle.rssMiB.peak },
      active: { cpuPercent: active.cpuPercentOfOneCore, rssMiB: active.rssMiB.peak, sent: load.fired, acked: ackedInWindow, refused, ackedPerSecond: round(ackedInWindow / (opts.seconds + 1), 0) },
    };
    log(`sessions/${mode}: ${JSON.stringify(level)}`);
    return { ...level, serverCommand: stack.server.command };
  } finally {
    await stack.stop();
  }
}

export async function runSessions(mode: Mode, opts: { levels: number[]; seconds: number; setupTimeoutMs: number; log: (s: string) => void }): Promise<SessionsResult> {
  const levels: SessionsLevel[] = [];
  let serverCommand = "";
  for (const n of opts.levels) {
    const { serverCommand: cmd, ...level } = await runSessionsLevel(mode, n, opts);
    serverCommand = cmd;
    levels.push(level);
  }
  return { mode, label: MODE_LABEL[mode], seconds: opts.seconds, levels, serverCommand };
}
