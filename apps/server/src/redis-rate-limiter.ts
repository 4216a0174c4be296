import type { RateLimiter, RateLimitResult } from "@zm/api";
import { Redis } from "ioredis";

/** Fixed-window counters in Redis, so every instance sees the same attempts. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(redisUrl: string, private readonly prefix: string) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.redis.on("error", () => {});
  }

  private key(key: string) {
    return `${this.prefix}:ratelimit:${key}`;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const k = this.key(key);
    const [[, count], [, ttl]] = (await this.redis.multi().incr(k).pttl(k).exec()) as [[null, number], [null, number]];
    if (ttl < 0) await this.redis.pexpire(k, windowMs);
    return { allowed: count <= limit, retryAfterMs: count <= limit ? 0 : Math.max(0, ttl < 0 ? windowMs : ttl) };
  }

  async peek(key: string, limit: number, _windowMs: number): Promise<RateLimitResult> {
    const k = this.key(key);
    const [[, value], [, ttl]] = (await this.redis.multi().get(k).pttl(k).exec()) as [[null, string | null], [null, number]];
    const count = Number(value ?? 0);
    return count < limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: Math.max(0, ttl) };
  }

  async reset(key: string) {
    await this.redis.del(this.key(key));
  }

  async close() {
    await this.redis.quit().catch(() => {});
  }
}
