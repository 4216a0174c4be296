import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisKeyLock } from "./redis-key-lock.ts";
import { sleep } from "./testing/contract.ts";
import { assertRedisReachable, deleteKeysWithPrefix, inspectionConnection, SKIP_REDIS_TESTS, uniquePrefix } from "./testing/redis-test-env.ts";

describe.skipIf(SKIP_REDIS_TESTS)("RedisKeyLock", () => {
  const prefix = uniquePrefix("lock");
  let testNumber = 0;
  const nextKey = () => `${prefix}:${++testNumber}`;
  let redis: Redis | undefined;

  beforeAll(async () => {
    await assertRedisReachable();
    redis = inspectionConnection();
  });

  afterAll(async () => {
    if (!redis) return;
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it("admits one holder at a time", async () => {
    const lock = new RedisKeyLock(redis!, 5000);
    const key = nextKey();
    const first = await lock.tryAcquire(key);
    expect(first).not.toBeNull();
    expect(await lock.tryAcquire(key)).toBeNull();
    expect(await lock.release(first!)).toBe(true);
    expect(await lock.tryAcquire(key)).not.toBeNull();
  });

  it("frees the key when its holder stops renewing, and the late holder can neither extend nor release its successor's lock", async () => {
    const shortLived = new RedisKeyLock(redis!, 50);
    const longLived = new RedisKeyLock(redis!, 10_000);
    const key = nextKey();
    const stalled = await shortLived.tryAcquire(key);
    await sleep(80);
    const successor = await longLived.tryAcquire(key);
    expect(successor).not.toBeNull();
    expect(await shortLived.extend(stalled!)).toBe(false);
    expect(await shortLived.release(stalled!)).toBe(false);
    expect(await longLived.tryAcquire(key)).toBeNull();
    expect(await longLived.release(successor!)).toBe(true);
  });

  it("keeps the lock past its TTL while the work runs, then releases it", async () => {
    // Renewed every 100 ms, so only a process stalled for 200 ms would lose it.
    const lock = new RedisKeyLock(redis!, 300);
    const key = nextKey();
    const held = await lock.tryAcquire(key);
    const lost: unknown[] = [];
    let contenderGotIt = false;
    await lock.runExclusive(
      held!,
      async () => {
        for (let i = 0; i < 6; i++) {
          await sleep(150);
          if (await lock.tryAcquire(key)) contenderGotIt = true;
        }
      },
      (err) => lost.push(err),
    );
    expect(contenderGotIt).toBe(false);
    expect(lost).toEqual([]);
    expect(await redis!.exists(key)).toBe(0);
  });

  it("reports a lock that vanished during the work", async () => {
    const lock = new RedisKeyLock(redis!, 60);
    const key = nextKey();
    const held = await lock.tryAcquire(key);
    const lost: unknown[] = [];
    await lock.runExclusive(
      held!,
      async () => {
        await redis!.del(key);
        await sleep(100);
      },
      (err) => lost.push(err),
    );
    expect(lost).toHaveLength(1);
  });
});

describe("the Redis test environment", () => {
  it("fails with a message naming SKIP_REDIS_TESTS when Redis cannot be reached", async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(assertRedisReachable("redis://127.0.0.1:1")).rejects.toThrow(/not reachable at redis:\/\/127\.0\.0\.1:1 .*SKIP_REDIS_TESTS=1/);
  });
});
