import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

// The single-instance Redis lock pattern (SET NX PX + compare-and-act in Lua): only the holder
// of the random token may extend or delete the key, so a holder whose lock expired (a stalled
// process) can never extend or delete the lock its successor now holds.
const EXTEND_IF_HELD = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`;

const RELEASE_IF_HELD = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`;

export interface HeldLock {
  readonly key: string;
  readonly token: string;
}

/**
 * Mutual exclusion on a Redis key with a time-to-live. The TTL is what frees the key when its
 * holder dies; `runExclusive` renews it every third of the TTL while the work runs, so work
 * longer than the TTL keeps the lock as long as its process is alive and reaches Redis.
 */
export class RedisKeyLock {
  constructor(
    private readonly redis: Redis,
    readonly ttlMs: number,
  ) {
    if (!Number.isInteger(ttlMs) || ttlMs < 30) throw new Error(`lock TTL must be an integer of at least 30 ms, got ${ttlMs}`);
  }

  /** The lock, or null when someone else holds it. */
  async tryAcquire(key: string): Promise<HeldLock | null> {
    const token = randomUUID();
    const reply = await this.redis.set(key, token, "PX", this.ttlMs, "NX");
    return reply === "OK" ? { key, token } : null;
  }

  /** False when the lock expired and may now belong to someone else. */
  async extend(lock: HeldLock): Promise<boolean> {
    return (await this.redis.eval(EXTEND_IF_HELD, 1, lock.key, lock.token, this.ttlMs)) === 1;
  }

  /** False when the lock had already expired (and possibly been taken by someone else). */
  async release(lock: HeldLock): Promise<boolean> {
    return (await this.redis.eval(RELEASE_IF_HELD, 1, lock.key, lock.token)) === 1;
  }

  /**
   * Runs `work` while renewing `lock`, then releases it. `onLost` hears when a renewal finds
   * the lock gone (the process stalled past the TTL): the work cannot be stopped from here, so
   * the caller can only report that exclusion may have been broken.
   */
  async runExclusive<T>(lock: HeldLock, work: () => Promise<T>, onLost: (err: unknown) => void): Promise<T> {
    let lost = false;
    const renewal = setInterval(() => {
      if (lost) return;
      this.extend(lock).then(
        (held) => {
          if (!held) {
            lost = true;
            onLost(new Error(`lock ${lock.key} expired before its holder finished`));
          }
        },
        // A failed renewal is retried at the next interval; the TTL leaves two more tries.
        () => undefined,
      );
    }, Math.floor(this.ttlMs / 3));
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      // If Redis is unreachable now, the TTL frees the key; failing the finished work over it
      // would only run it again.
      await this.release(lock).catch(() => undefined);
    }
  }
}
