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
  active: { cpuPercent: number; rssMiB: number; sent: number; acked: number; refused: Record<string, number>; ackedPerSecond: number };
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
    // Past the time limit, measure with the hand-offs that reached Zendesk by then; the others
    // are still being started in the background (reported beside the figures).
    const opened = await stack.openHandoffs(sockets, { concurrency: 100, timeoutMs: opts.setupTimeoutMs, allowPartial: true, log });
    const setupSeconds = round((monoMs() - t0) / 1000, 1);
    const handoffs = opened.tickets.length;
    log(`sessions/${mode}: ${handoffs} of ${sockets} hand-offs in Zendesk after ${setupSeconds} s`);
    const { widgets } = opened;
    await waitForQuiet(stack.server.pid, { maxMs: 60_000 });

    log(`sessions/${mode}: ${sockets} idle for ${opts.seconds} s`);
    let sampler = new ProcSampler(stack.server.pid, 1000).start();
    await sleep(opts.seconds * 1000);
    const idle = sampler.stop();

    let acked = 0;
    const refused: Record<string, number> = {};
    for (const w of widgets) {
      w.onAck = () => acked++;
      w.onError = (_id, code) => {
        refused[code] = (refused[code] ?? 0) + 1;
      };
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
