import { Redis } from "ioredis";
import type { Logger } from "./types.ts";

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL. */
  redisUrl: string;
  /** Shown by CLIENT LIST, so an operator can tell which instance and role a connection belongs to. */
  connectionName: string;
  log: Logger;
  /**
   * BullMQ workers need `null` (a command waits for the reconnect instead of failing), while
   * a producer should fail a kick after a bounded number of retries so the caller hears about
   * an outage instead of hanging on it.
   */
  maxRetriesPerRequest: number | null;
}

/** Reconnect delays grow to 2 s: quick after a blip, without hammering a Redis that is down. */
function reconnectDelayMs(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2000);
}

/**
 * Opens an ioredis connection with the error handler attached, so a Redis outage is logged
 * (once per outage) instead of crashing the process with an unhandled `error` event.
 */
export function openRedisConnection(options: RedisConnectionOptions): Redis {
  const redis = new Redis(options.redisUrl, {
    connectionName: options.connectionName,
    maxRetriesPerRequest: options.maxRetriesPerRequest,
    retryStrategy: reconnectDelayMs,
  });
  let reportedOutage = false;
  redis.on("error", (err: unknown) => {
    if (reportedOutage) return;
    reportedOutage = true;
    options.log.warn({ err, connection: options.connectionName }, "redis connection error; reconnecting");
  });
  redis.on("ready", () => {
    reportedOutage = false;
  });
  return redis;
}

/** Closes a connection politely (QUIT), falling back to a hard disconnect if Redis is unreachable. */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  // QUIT would wait in the offline queue for a Redis that is not there.
  if (redis.status !== "ready") {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
