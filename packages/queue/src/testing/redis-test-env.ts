// Where the Redis-backed suites find Redis, and how they keep out of each other's keys.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** Loopback only: tests must not reach anything off this machine. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
{
  const host = new URL(TEST_REDIS_URL).hostname;
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host)) throw new Error(`TEST_REDIS_URL must point at a loopback address, got ${host}`);
}

/** The Redis suites run unless this is set; an unreachable Redis fails them instead of skipping. */
export const SKIP_REDIS_TESTS = process.env.SKIP_REDIS_TESTS === "1";

/** Throws an error that says what to do when Redis cannot be reached. */
export async function assertRedisReachable(url = TEST_REDIS_URL): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // ioredis reports the cause (ECONNREFUSED…) as an event; the rejected connect only says "closed".
  let cause: unknown = null;
  probe.on("error", (err: unknown) => {
    cause ??= err;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    const reason = cause ?? err;
    throw new Error(
      `Redis is not reachable at ${url} (${reason instanceof Error ? reason.message : String(reason)}). ` +
        "Start it (redis-server --port 6379), point TEST_REDIS_URL at one on loopback, or set SKIP_REDIS_TESTS=1 to skip the Redis suites.",
    );
  } finally {
    probe.disconnect();
  }
}

/** A key prefix no other test run uses. */
export function uniquePrefix(label: string): string {
  return `zmtest-${label}-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** An ioredis connection for a test's own inspection of Redis. */
export function inspectionConnection(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** Deletes every key that starts with `prefix`. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}

export async function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== "0");
  return found;
}
