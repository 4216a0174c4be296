import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BullMQQueue, keyLockKeyOf } from "./bullmq-queue.ts";
import { RedisKeyLock } from "./redis-key-lock.ts";
import type { Logger } from "./types.ts";
import { describeQueueContract, eventually, recordingLogger, RunRecorder, sleep } from "./testing/contract.ts";
import {
  assertRedisReachable,
  deleteKeysWithPrefix,
  inspectionConnection,
  keysWithPrefix,
  SKIP_REDIS_TESTS,
  TEST_REDIS_URL,
  uniquePrefix,
} from "./testing/redis-test-env.ts";

describe.skipIf(SKIP_REDIS_TESTS)("BullMQQueue on Redis", () => {
  const runPrefix = uniquePrefix("queue");
  let testNumber = 0;
  const nextPrefix = () => `${runPrefix}-${++testNumber}`;
  let redis: Redis | undefined;
  const opened: BullMQQueue[] = [];

  function open(prefix: string, log: Logger = recordingLogger()) {
    const queue = new BullMQQueue({ redisUrl: TEST_REDIS_URL, prefix, log });
    opened.push(queue);
    return queue;
  }

  beforeAll(async () => {
    await assertRedisReachable();
    redis = inspectionConnection();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.close()));
  });

  afterAll(async () => {
    if (!redis) return;
    await deleteKeysWithPrefix(redis, runPrefix);
    expect(await keysWithPrefix(redis, runPrefix)).toEqual([]);
    await redis.quit();
  });

  describeQueueContract("BullMQQueue", (log) => open(nextPrefix(), log));

  describe("across instances", () => {
    it("never runs one key on two instances at once, and every kick from either instance leads to a later run", async () => {
      const prefix = nextPrefix();
      const a = open(prefix);
      const b = open(prefix);
      const recorder = new RunRecorder();
      const runsOn = { a: 0, b: 0 };
      a.register(
        "jobs",
        recorder.handler(async () => {
          runsOn.a += 1;
          await sleep(3 + Math.random() * 12);
        }),
      );
      b.register(
        "jobs",
        recorder.handler(async () => {
          runsOn.b += 1;
          await sleep(3 + Math.random() * 12);
        }),
      );
      const keys = ["k0", "k1", "k2", "k3", "k4"];
      const lastKickIssuedAt = new Map<string, number>();
      const kicks: Promise<void>[] = [];
      for (let i = 0; i < 200; i++) {
        const key = keys[Math.floor(Math.random() * keys.length)]!;
        lastKickIssuedAt.set(key, Date.now());
        kicks.push((i % 2 === 0 ? a : b).kick("jobs", key));
        if (i % 10 === 9) await sleep(4);
      }
      await Promise.all(kicks);
      await eventually(() => {
        for (const [key, kickedAt] of lastKickIssuedAt) expect(recorder.lastStartOf(key), key).toBeGreaterThanOrEqual(kickedAt);
      }, 10_000);
      await a.idle();
      expect(recorder.maxActiveOfOneKey).toBe(1);
      // The test means something only if runs really were spread out and concurrent.
      expect(runsOn.a).toBeGreaterThan(0);
      expect(runsOn.b).toBeGreaterThan(0);
      expect(recorder.maxActiveTotal).toBeGreaterThan(1);
    });

    it("keeps a key exclusive through its lock even when BullMQ hands out a second job for it (a stalled worker's job)", async () => {
      const prefix = nextPrefix();
      const a = open(prefix);
      const b = open(prefix);
      const recorder = new RunRecorder();
      // Whichever instance takes the first run holds the key for a while.
      const handler = recorder.handler((_key, index) => sleep(index === 0 ? 400 : 10));
      a.register("jobs", handler);
      b.register("jobs", handler);
      await a.kick("jobs", "k1");
      await eventually(() => expect(recorder.runsOf("k1")).toHaveLength(1));
      // What BullMQ does when it decides a worker stalled: the key's job is no longer the one
      // deduplication points at, so a new kick creates a second job while the first still runs.
      const bullQueue = new Queue("jobs", { connection: redis!, prefix });
      await bullQueue.removeDeduplicationKey("k1");
      await bullQueue.close();
      await b.kick("jobs", "k1");
      await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(2), 3000);
      const [first, second] = recorder.runsOf("k1");
      expect(recorder.maxActiveOfOneKey).toBe(1);
      expect(second!.startedAt).toBeGreaterThanOrEqual(first!.endedAt!);
    });
  });

  it("re-delays a run whose key is locked and runs it once the lock is free", async () => {
    const prefix = nextPrefix();
    const queue = open(prefix);
    const recorder = new RunRecorder();
    queue.register("jobs", recorder.handler());
    const lock = new RedisKeyLock(redis!, 10_000);
    const held = await lock.tryAcquire(keyLockKeyOf(prefix, "jobs", "k1"));
    expect(held).not.toBeNull();
    await queue.kick("jobs", "k1");
    await sleep(500);
    expect(recorder.runs).toHaveLength(0);
    expect(await lock.release(held!)).toBe(true);
    const releasedAt = Date.now();
    await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(1));
    expect(recorder.runs[0]!.startedAt - releasedAt).toBeLessThan(1000);
  });

  it("drops a handler's retry once a later run of the key has started", async () => {
    const queue = open(nextPrefix());
    const recorder = new RunRecorder();
    queue.register(
      "jobs",
      recorder.handler((_key, index) => (index === 0 ? { retryInMs: 300 } : undefined)),
    );
    await queue.kick("jobs", "k1");
    await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(1));
    await queue.kick("jobs", "k1");
    await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(2));
    await queue.idle(1000);
    await sleep(100);
    expect(recorder.runsOf("k1")).toHaveLength(2);
  });

  it("still runs a caller's delayed kick after an immediate run (only a handler's own retries are superseded)", async () => {
    const queue = open(nextPrefix());
    const recorder = new RunRecorder();
    queue.register("jobs", recorder.handler());
    await queue.kick("jobs", "k1", 200);
    await queue.kick("jobs", "k1");
    await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(1));
    await eventually(() => expect(recorder.finishedRunsOf("k1")).toHaveLength(2));
  });

  it("adds one job for kicks of one key made in the same turn, and runs after all of them", async () => {
    const queue = open(nextPrefix());
    const recorder = new RunRecorder();
    queue.register("jobs", recorder.handler());
    const bull = (queue as unknown as { queueNamed(name: string): Queue }).queueNamed("jobs");
    const add = bull.add.bind(bull);
    let adds = 0;
    bull.add = ((...args: Parameters<Queue["add"]>) => {
      adds++;
      return add(...args);
    }) as Queue["add"];
    await Promise.all(Array.from({ length: 50 }, () => queue.kick("jobs", "k1")));
    await Promise.all([queue.kick("jobs", "k2"), queue.kick("jobs", "k2")]);
    expect(adds).toBe(2);
    await eventually(() => expect(recorder.finishedRunsOf("k1").length + recorder.finishedRunsOf("k2").length).toBeGreaterThanOrEqual(2));
    // A kick after the shared job was added gets a job of its own.
    await queue.kick("jobs", "k1");
    expect(adds).toBe(3);
  });

  it("leaves no finished jobs behind", async () => {
    const prefix = nextPrefix();
    const queue = open(prefix);
    const recorder = new RunRecorder();
    queue.register("jobs", recorder.handler((_key, index) => (index === 0 ? { retryInMs: 20 } : undefined)));
    for (let i = 0; i < 20; i++) await queue.kick("jobs", `k${i % 4}`);
    await queue.idle(1000);
    const bullQueue = new Queue("jobs", { connection: redis!, prefix });
    const counts = await bullQueue.getJobCounts();
    await bullQueue.close();
    expect(counts).toMatchObject({ active: 0, waiting: 0, delayed: 0, completed: 0, failed: 0 });
    const jobHashes = (await keysWithPrefix(redis!, `${prefix}:jobs:`)).filter((k) => /^[^:]+:jobs:\d+$/.test(k));
    expect(jobHashes).toEqual([]);
  });

  it("refuses a queue name BullMQ cannot key", () => {
    const queue = open(nextPrefix());
    expect(() => queue.register("out:box", async () => undefined)).toThrow(/no ":"/);
  });
});
