import { EventEmitter } from "node:events";
import type { EventBus, KeyedJobQueue, KeyHandler, Logger, Scheduler } from "./types.ts";

interface KeyState {
  running: boolean;
  again: boolean;
  timer: NodeJS.Timeout | null;
  dueAt: number;
}

const HANDLER_CRASH_RETRY_MS = 1000;

/** The embedded default: one process, keys serialised in memory, bounded concurrency. */
export class InProcessQueue implements KeyedJobQueue {
  private readonly handlers = new Map<string, KeyHandler>();
  private readonly keys = new Map<string, KeyState>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private closed = false;

  constructor(
    private readonly log: Logger,
    private readonly maxConcurrency = 8,
  ) {}

  get closing() {
    return this.closed;
  }

  register(queue: string, handler: KeyHandler) {
    this.handlers.set(queue, handler);
  }

  async kick(queue: string, key: string, delayMs = 0) {
    if (this.closed) return;
    const id = `${queue}\u0000${key}`;
    let state = this.keys.get(id);
    if (!state) {
      state = { running: false, again: false, timer: null, dueAt: 0 };
      this.keys.set(id, state);
    }
    if (delayMs > 0) {
      const dueAt = Date.now() + delayMs;
      if (state.timer && state.dueAt <= dueAt) return;
      if (state.timer) clearTimeout(state.timer);
      state.dueAt = dueAt;
      state.timer = setTimeout(() => {
        state.timer = null;
        void this.kick(queue, key);
      }, delayMs);
      return;
    }
    if (state.running) {
      state.again = true;
      return;
    }
    void this.run(queue, key, id, state);
  }

  private async run(queue: string, key: string, id: string, state: KeyState) {
    const handler = this.handlers.get(queue);
    if (!handler) throw new Error(`no handler registered for queue ${queue}`);
    state.running = true;
    await this.acquire();
    try {
      do {
        state.again = false;
        let retryInMs: number | undefined;
        try {
          const result = await handler(key);
          retryInMs = result ? result.retryInMs : undefined;
        } catch (err) {
          this.log.error({ err, queue, key }, "job handler failed; retrying");
          retryInMs = HANDLER_CRASH_RETRY_MS;
        }
        if (retryInMs !== undefined && !this.closed) void this.kick(queue, key, Math.max(1, retryInMs));
      } while (state.again && !this.closed);
    } finally {
      this.release();
      state.running = false;
      if (!state.timer) this.keys.delete(id);
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.maxConcurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }

  async idle(horizonMs = 0) {
    for (;;) {
      const busy = [...this.keys.values()].some((s) => s.running || (s.timer !== null && s.dueAt <= Date.now() + horizonMs));
      if (!busy) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close() {
    this.closed = true;
    for (const state of this.keys.values()) if (state.timer) clearTimeout(state.timer);
    while ([...this.keys.values()].some((s) => s.running)) await new Promise((r) => setTimeout(r, 10));
    this.keys.clear();
  }
}

export class InProcessBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open widget socket.
    this.emitter.setMaxListeners(0);
  }

  async publish(topic: string, payload: unknown) {
    this.emitter.emit(topic, payload);
  }

  subscribe(topic: string, handler: (payload: unknown) => void) {
    this.emitter.on(topic, handler);
    return () => {
      this.emitter.off(topic, handler);
    };
  }

  /** In-process subscriptions are live at once. */
  async whenSubscribed() {}

  async close() {
    this.emitter.removeAllListeners();
  }
}

export class IntervalScheduler implements Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<string>();

  constructor(private readonly log: Logger) {}

  every(name: string, intervalMs: number, task: () => Promise<void>) {
    const timer = setInterval(async () => {
      // A slow tick is skipped rather than overlapped.
      if (this.running.has(name)) return;
      this.running.add(name);
      try {
        await task();
      } catch (err) {
        this.log.error({ err, task: name }, "periodic task failed");
      } finally {
        this.running.delete(name);
      }
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  async close() {
    for (const t of this.timers) clearInterval(t);
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 10));
  }
}
