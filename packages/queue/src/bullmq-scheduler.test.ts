import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BullMQScheduler } from "./bullmq-scheduler.ts";
import { eventually, recordingLogger, sleep } from "./testing/contract.ts";
import { assertRedisReachable, deleteKeysWithPrefix, inspectionConnection, SKIP_REDIS_TESTS, TEST_REDIS_URL, uniquePrefix } from "./testing/redis-test-env.ts";
import type { Logger } from "./types.ts";

describe.skipIf(SKIP_REDIS_TESTS)("BullMQScheduler on Redis", () => {
  const runPrefix = uniquePrefix("scheduler");
  let testNumber = 0;
  const nextPrefix = () => `${runPrefix}-${++testNumber}`;
  let redis: Redis | undefined;
  const opened: BullMQScheduler[] = [];

  function open(prefix: string, log: Logger = recordingLogger()) {
    const scheduler = new BullMQScheduler({ redisUrl: TEST_REDIS_URL, prefix, log });
    opened.push(scheduler);
    return scheduler;
  }

  beforeAll(async () => {
    await assertRedisReachable();
    redis = inspectionConnection();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    if (!redis) return;
    await deleteKeysWithPrefix(redis, runPrefix);
    await redis.quit();
  });

  it("runs each tick on one of two instances, not on both", async () => {
    const prefix = nextPrefix();
    let ticks = 0;
    for (let instance = 0; instance < 2; instance++) {
      open(prefix).every("sweep", 100, async () => {
        ticks += 1;
      });
    }
    const started = Date.now();
    await sleep(1500);
    const slots = Math.ceil((Date.now() - started) / 100);
    // A busy machine can only make ticks late (and fewer); each tick run by both instances
    // would come close to doubling the count.
    expect(ticks).toBeGreaterThanOrEqual(4);
    expect(ticks).toBeLessThanOrEqual(slots + 2);
  });

  it("skips a tick while the task is still running on another instance, rather than overlapping it", async () => {
    const prefix = nextPrefix();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const slowTask = async () => {
      running += 1;
      runs += 1;
      maxRunning = Math.max(maxRunning, running);
      await sleep(350);
      running -= 1;
    };
    open(prefix).every("slow", 100, slowTask);
    open(prefix).every("slow", 100, slowTask);
    await eventually(() => expect(runs).toBeGreaterThanOrEqual(3), 4000);
    expect(maxRunning).toBe(1);
  });

  it("logs a failing task and keeps ticking", async () => {
    const log = recordingLogger();
    let calls = 0;
    open(nextPrefix(), log).every("fails", 100, async () => {
      calls += 1;
      throw new Error("database unavailable");
    });
    await eventually(() => expect(calls).toBeGreaterThanOrEqual(3), 3000);
    expect(log.errors.filter((e) => e.msg === "periodic task failed").length).toBeGreaterThanOrEqual(2);
  });

  it("stops ticking on an instance once it is closed", async () => {
    let calls = 0;
    const scheduler = open(nextPrefix());
    scheduler.every("tick", 50, async () => {
      calls += 1;
    });
    await eventually(() => expect(calls).toBeGreaterThanOrEqual(2), 3000);
    await scheduler.close();
    const callsAtClose = calls;
    await sleep(300);
    expect(calls).toBe(callsAtClose);
  });

  it("refuses a second task under the same name", () => {
    const scheduler = open(nextPrefix());
    scheduler.every("sweep", 1000, async () => undefined);
    expect(() => scheduler.every("sweep", 1000, async () => undefined)).toThrow(/already scheduled/);
  });
});
