// Behaviour every implementation of the interfaces in types.ts must show, run by the test files
// of each implementation (in-process and Redis) so the two cannot drift apart.
import { afterEach, describe, expect, it } from "vitest";
import type { EventBus, KeyedJobQueue, KeyHandler, Logger, RunResult } from "../types.ts";

export interface RecordingLogger extends Logger {
  readonly errors: Array<{ obj: object; msg: string }>;
  readonly warnings: Array<{ obj: object; msg: string }>;
}

export function recordingLogger(): RecordingLogger {
  const errors: Array<{ obj: object; msg: string }> = [];
  const warnings: Array<{ obj: object; msg: string }> = [];
  return {
    errors,
    warnings,
    error: (obj, msg) => errors.push({ obj, msg }),
    warn: (obj, msg) => warnings.push({ obj, msg }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retries `check` until it stops throwing, then returns; rethrows its last failure at the deadline. */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(10);
    }
  }
}

interface RunRecord {
  key: string;
  startedAt: number;
  endedAt: number | null;
}

/**
 * Wraps a handler to record every run and the most runs of one key (and of all keys) that
 * were ever in progress at the same moment. Several queue instances may share one recorder:
 * that is how the cross-instance tests see overlap between instances.
 */
export class RunRecorder {
  readonly runs: RunRecord[] = [];
  private readonly activeByKey = new Map<string, number>();
  private activeTotal = 0;
  maxActiveOfOneKey = 0;
  maxActiveTotal = 0;

  handler(body: (key: string, runIndexOfKey: number) => Promise<RunResult> | RunResult = () => undefined): KeyHandler {
    return async (key) => {
      const record: RunRecord = { key, startedAt: Date.now(), endedAt: null };
      const runIndexOfKey = this.runsOf(key).length;
      this.runs.push(record);
      const active = (this.activeByKey.get(key) ?? 0) + 1;
      this.activeByKey.set(key, active);
      this.activeTotal += 1;
      this.maxActiveOfOneKey = Math.max(this.maxActiveOfOneKey, active);
      this.maxActiveTotal = Math.max(this.maxActiveTotal, this.activeTotal);
      try {
        return await body(key, runIndexOfKey);
      } finally {
        this.activeByKey.set(key, (this.activeByKey.get(key) ?? 1) - 1);
        this.activeTotal -= 1;
        record.endedAt = Date.now();
      }
    };
  }

  runsOf(key: string): RunRecord[] {
    return this.runs.filter((r) => r.key === key);
  }

  finishedRunsOf(key: string): RunRecord[] {
    return this.runsOf(key).filter((r) => r.endedAt !== null);
  }

  lastStartOf(key: string): number {
    return Math.max(-Infinity, ...this.runsOf(key).map((r) => r.startedAt));
  }
}

/** A promise with its resolver, to hold a handler inside its run until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

export type QueueFactory = (log: Logger) => KeyedJobQueue | Promise<KeyedJobQueue>;

export function describeQueueContract(name: string, createQueue: QueueFactory): void {
  describe(`${name} satisfies the KeyedJobQueue contract`, () => {
    const opened: KeyedJobQueue[] = [];
    let log: RecordingLogger;

    async function newQueue() {
      log = recordingLogger();
      const queue = await createQueue(log);
      opened.push(queue);
      return queue;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((q) => q.close()));
    });

    it("runs the handler for the kicked key", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      queue.register("jobs", recorder.handler());
      await queue.kick("jobs", "k1");
      await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(1));
      await queue.idle();
      expect(recorder.runs.map((r) => r.key)).toEqual(["k1"]);
    });

    it("runs exactly once more after kicks that arrive during a run, and not concurrently", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      const firstRunMayEnd = gate();
      queue.register(
        "jobs",
        recorder.handler(async (_key, index) => {
          if (index === 0) await firstRunMayEnd.opened;
        }),
      );
      await queue.kick("jobs", "k1");
      await eventually(() => expect(recorder.runsOf("k1")).toHaveLength(1));
      for (let i = 0; i < 5; i++) await queue.kick("jobs", "k1");
      await sleep(100);
      expect(recorder.runsOf("k1")).toHaveLength(1);
      firstRunMayEnd.open();
      await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(2));
      await queue.idle();
      await sleep(100);
      const [first, second] = recorder.runsOf("k1");
      expect(recorder.runsOf("k1")).toHaveLength(2);
      expect(second!.startedAt).toBeGreaterThanOrEqual(first!.endedAt!);
    });

    it("never overlaps two runs of one key under 50 rapid kicks, and runs after the last of them", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      queue.register("jobs", recorder.handler(() => sleep(5 + Math.random() * 10)));
      let lastKickIssuedAt = 0;
      const kicks: Promise<void>[] = [];
      for (let i = 0; i < 50; i++) {
        lastKickIssuedAt = Date.now();
        kicks.push(queue.kick("jobs", "k1"));
        if (i % 5 === 4) await sleep(3);
      }
      await Promise.all(kicks);
      await eventually(() => expect(recorder.lastStartOf("k1")).toBeGreaterThanOrEqual(lastKickIssuedAt));
      await queue.idle();
      expect(recorder.maxActiveOfOneKey).toBe(1);
      // Coalesced: far fewer runs than kicks.
      expect(recorder.runsOf("k1").length).toBeLessThan(50);
    });

    it("runs different keys in parallel", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      // Each run waits (up to 2 s) for the other key's run to be in progress too.
      queue.register(
        "jobs",
        recorder.handler(async () => {
          const deadline = Date.now() + 2000;
          while (recorder.maxActiveTotal < 2 && Date.now() < deadline) await sleep(5);
        }),
      );
      await Promise.all([queue.kick("jobs", "a"), queue.kick("jobs", "b")]);
      await eventually(() => expect(recorder.runs.filter((r) => r.endedAt !== null)).toHaveLength(2), 4000);
      expect(recorder.maxActiveTotal).toBe(2);
    });

    it("runs again after the retryInMs a handler asks for", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      queue.register(
        "jobs",
        recorder.handler((_key, index) => (index === 0 ? { retryInMs: 200 } : undefined)),
      );
      await queue.kick("jobs", "k1");
      await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(2));
      const [first, second] = recorder.runsOf("k1");
      // Measured from the recorded times, not by sampling, so a busy machine cannot fake it.
      expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(190);
      await queue.idle(1000);
      expect(recorder.runsOf("k1")).toHaveLength(2);
    });

    it("runs a delayed kick after its delay, not before", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      queue.register("jobs", recorder.handler());
      const kickedAt = Date.now();
      await queue.kick("jobs", "k1", 250);
      await sleep(120);
      expect(recorder.runs).toHaveLength(0);
      await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(1));
      expect(recorder.runs[0]!.startedAt - kickedAt).toBeGreaterThanOrEqual(240);
    });

    it("logs a handler's error and runs the key again about a second later", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      queue.register(
        "jobs",
        recorder.handler((_key, index) => {
          if (index === 0) throw new Error("database unavailable");
        }),
      );
      await queue.kick("jobs", "k1");
      await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(2));
      const [first, second] = recorder.runsOf("k1");
      expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(900);
      expect(log.errors.some((e) => e.msg.includes("handler failed"))).toBe(true);
    });

    it("idle() waits for runs in progress and for delayed work inside the horizon only", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      queue.register("jobs", recorder.handler(() => sleep(150)));
      await queue.kick("jobs", "now");
      await eventually(() => expect(recorder.runsOf("now")).toHaveLength(1));
      await queue.idle();
      expect(recorder.finishedRunsOf("now")).toHaveLength(1);

      await queue.kick("jobs", "later", 800);
      await queue.idle(0);
      expect(recorder.runsOf("later")).toHaveLength(0);
      await queue.idle(3000);
      expect(recorder.finishedRunsOf("later")).toHaveLength(1);
    });

    it("close() lets a run in progress finish", async () => {
      const queue = await newQueue();
      const recorder = new RunRecorder();
      queue.register("jobs", recorder.handler(() => sleep(200)));
      await queue.kick("jobs", "k1");
      await eventually(() => expect(recorder.runsOf("k1")).toHaveLength(1));
      await queue.close();
      expect(recorder.finishedRunsOf("k1")).toHaveLength(1);
    });

    it("tells a run in progress that the queue is closing, so a backlog stops between items", async () => {
      const queue = await newQueue();
      let handled = 0;
      queue.register("jobs", async () => {
        // A backlog of 50 items, 20 ms each: a full drain would hold close() for a second.
        for (let item = 0; item < 50 && !queue.closing; item++) {
          await sleep(20);
          handled++;
        }
      });
      expect(queue.closing).toBe(false);
      await queue.kick("jobs", "k1");
      await eventually(() => expect(handled).toBeGreaterThan(0));
      await queue.close();
      expect(queue.closing).toBe(true);
      expect(handled).toBeLessThan(50);
    });
  });
}

/** An implementation may expose `whenSubscribed` when its subscriptions take effect asynchronously. */
export type ContractBus = EventBus & { whenSubscribed?(): Promise<void> };
export type BusFactory = (log: Logger) => ContractBus | Promise<ContractBus>;

export function describeBusContract(name: string, createBus: BusFactory): void {
  describe(`${name} satisfies the EventBus contract`, () => {
    const opened: EventBus[] = [];

    async function newBus() {
      const bus = await createBus(recordingLogger());
      opened.push(bus);
      return bus;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((b) => b.close()));
    });

    it("delivers a published JSON payload to every subscriber of the topic and to no other topic", async () => {
      const bus = await newBus();
      const first: unknown[] = [];
      const second: unknown[] = [];
      const otherTopic: unknown[] = [];
      bus.subscribe("conversation:1", (p) => first.push(p));
      bus.subscribe("conversation:1", (p) => second.push(p));
      bus.subscribe("conversation:2", (p) => otherTopic.push(p));
      await bus.whenSubscribed?.();
      const event = { type: "message", message: { id: "m1", seq: 3, text: "héllo", mediaUrl: null } };
      await bus.publish("conversation:1", event);
      await bus.publish("conversation:2", { type: "sentinel" });
      await eventually(() => expect(otherTopic).toHaveLength(1));
      expect(first).toEqual([event]);
      expect(second).toEqual([event]);
    });

    it("stops delivering to a handler once it unsubscribes, and keeps delivering to the others", async () => {
      const bus = await newBus();
      const leaving: unknown[] = [];
      const staying: unknown[] = [];
      const unsubscribe = bus.subscribe("t", (p) => leaving.push(p));
      bus.subscribe("t", (p) => staying.push(p));
      await bus.whenSubscribed?.();
      await bus.publish("t", 1);
      await eventually(() => expect(leaving).toEqual([1]));
      unsubscribe();
      unsubscribe(); // idempotent
      await bus.publish("t", 2);
      await eventually(() => expect(staying).toEqual([1, 2]));
      expect(leaving).toEqual([1]);
    });

    it("delivers nothing on a topic whose last handler left", async () => {
      const bus = await newBus();
      const received: unknown[] = [];
      const sentinel: unknown[] = [];
      const unsubscribe = bus.subscribe("gone", (p) => received.push(p));
      bus.subscribe("still-here", (p) => sentinel.push(p));
      await bus.whenSubscribed?.();
      unsubscribe();
      await bus.whenSubscribed?.();
      await bus.publish("gone", "lost");
      await bus.publish("still-here", "done");
      await eventually(() => expect(sentinel).toEqual(["done"]));
      expect(received).toEqual([]);
    });

    it("keeps the publish order of one topic", async () => {
      const bus = await newBus();
      const received: unknown[] = [];
      bus.subscribe("ordered", (p) => received.push(p));
      await bus.whenSubscribed?.();
      const sent = Array.from({ length: 30 }, (_, i) => ({ seq: i }));
      for (const event of sent) await bus.publish("ordered", event);
      await eventually(() => expect(received).toHaveLength(30));
      expect(received).toEqual(sent);
    });
  });
}
