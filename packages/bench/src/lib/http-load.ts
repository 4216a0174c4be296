import { Pool } from "undici";
import { cpuSeconds } from "./proc.ts";
import { closedLoop, openLoop } from "./schedule.ts";
import { monoMs, round, sleep, summarize, type Summary } from "./stats.ts";

export interface PostTarget {
  url: string;
  headers: Record<string, string>;
  body: () => string;
}

export interface PhaseResult {
  requests: number;
  ok: number;
  okShare: number;
  statuses: Record<string, number>;
  perSecond: number;
  latencyMs: Summary;
}

function statusKey(s: number | string) {
  return String(s);
}

/** POSTs with keep-alive connections from this process (undici). */
export class Poster {
  private readonly pool: Pool;
  private readonly path: string;
  readonly statuses: Record<string, number> = {};
  readonly latencies: number[] = [];

  constructor(
    private readonly target: PostTarget,
    connections: number,
  ) {
    const u = new URL(target.url);
    this.pool = new Pool(u.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.path = u.pathname;
  }

  reset() {
    for (const k of Object.keys(this.statuses)) delete this.statuses[k];
    this.latencies.length = 0;
  }

  /** One POST; latency counted from `fromMs` (the due time in an open loop). */
  async post(fromMs = monoMs()) {
    try {
      const res = await this.pool.request({ path: this.path, method: "POST", headers: this.target.headers, body: this.target.body() });
      await res.body.dump();
      this.latencies.push(monoMs() - fromMs);
      const k = statusKey(res.statusCode);
      this.statuses[k] = (this.statuses[k] ?? 0) + 1;
    } catch (err) {
      this.latencies.push(Infinity);
      const k = (err as { code?: string }).code ?? "error";
      this.statuses[k] = (this.statuses[k] ?? 0) + 1;
    }
  }

  result(seconds: number): PhaseResult {
    const requests = this.latencies.length;
    const ok = this.statuses["200"] ?? 0;
    const s = summarize(this.latencies);
    return {
      requests,
      ok,
      okShare: requests ? ok / requests : 0,
      statuses: { ...this.statuses },
      perSecond: round(ok / seconds, 0),
      latencyMs: { count: s.count, p50: round(s.p50, 2), p99: round(s.p99, 2), max: round(s.max, 2) },
    };
  }

  /** As many requests as `concurrency` connections can carry for `seconds`. */
  async closed(concurrency: number, seconds: number): Promise<PhaseResult> {
    this.reset();
    const r = await closedLoop({ concurrency, seconds }, () => this.post());
    return this.result(r.seconds);
  }

  /** A fixed rate for `seconds`, open loop; latency from each request's due time. */
  async open(rate: number, seconds: number): Promise<PhaseResult & { generatorLagMs: number }> {
    this.reset();
    const t0 = monoMs();
    // Latency from when each request actually left: timer slack in this process is reported as
    // generatorLagMs, not blamed on the server.
    const r = await openLoop({ rate, seconds }, () => this.post());
    await Promise.all(r.pending);
    return { ...this.result((monoMs() - t0) / 1000), generatorLagMs: round(r.lagMs, 1) };
  }

  close() {
    return this.pool.close();
  }
}

/** Waits until a process uses less than `belowPercent` of a core over a second (its backlog done). */
export async function waitForQuiet(pid: number, opts: { belowPercent?: number; maxMs?: number } = {}) {
  const deadline = Date.now() + (opts.maxMs ?? 60_000);
  while (Date.now() < deadline) {
    const c0 = cpuSeconds(pid);
    await sleep(1000);
    if ((cpuSeconds(pid) - c0) * 100 < (opts.belowPercent ?? 10)) return true;
  }
  return false;
}
