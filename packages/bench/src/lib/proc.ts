import fs from "node:fs";
import os from "node:os";

const TICK_HZ = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // after the name: state(0) ... utime(11) stime(12)
  return (Number(fields[11]) + Number(fields[12])) / TICK_HZ;
}

export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Samples a process's RSS every `everyMs` and its CPU use between start and stop. */
export class ProcSampler {
  private timer: NodeJS.Timeout | null = null;
  private cpu0 = 0;
  private t0 = 0;
  readonly rss: number[] = [];

  constructor(
    private readonly pid: number,
    private readonly everyMs = 500,
  ) {}

  start(): this {
    this.cpu0 = cpuSeconds(this.pid);
    this.t0 = performance.now();
    this.rss.push(rssMiB(this.pid));
    this.timer = setInterval(() => {
      try {
        this.rss.push(rssMiB(this.pid));
      } catch {
        // exited
      }
    }, this.everyMs);
    return this;
  }

  /** CPU as a percentage of one core over the sampled period, and RSS figures in MiB. */
  stop(): { cpuPercentOfOneCore: number; rssMiB: { start: number; peak: number; end: number } } {
    if (this.timer) clearInterval(this.timer);
    const seconds = (performance.now() - this.t0) / 1000;
    let cpu = NaN;
    try {
      cpu = cpuSeconds(this.pid) - this.cpu0;
      this.rss.push(rssMiB(this.pid));
    } catch {
      // exited
    }
    return {
      cpuPercentOfOneCore: Math.round((cpu / seconds) * 1000) / 10,
      rssMiB: { start: Math.round(this.rss[0] ?? NaN), peak: Math.round(Math.max(...this.rss)), end: Math.round(this.rss.at(-1) ?? NaN) },
    };
  }
}

export function machine() {
  const cpus = os.cpus();
  let distro = "";
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(fs.readFileSync("/etc/os-release", "utf8"))?.[1] ?? "";
  } catch {
    // not Linux
  }
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${distro || os.type()} (${os.release()})`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
