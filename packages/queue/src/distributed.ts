import { BullMQQueue, type BullMQQueueOptions } from "./bullmq-queue.ts";
import { BullMQScheduler, type BullMQSchedulerOptions } from "./bullmq-scheduler.ts";
import { RedisBus } from "./redis-bus.ts";
import type { Logger } from "./types.ts";

export interface DistributedOptions {
  /** `redis://` or `rediss://` URL shared by every instance. */
  redisUrl: string;
  /** Namespaces every key and channel; instances of one deployment must use the same. */
  prefix?: string;
  log: Logger;
}

export const DEFAULT_REDIS_PREFIX = "zm";

export function createDistributedQueue(options: DistributedOptions & Pick<BullMQQueueOptions, "concurrency" | "keyLockTtlMs">): BullMQQueue {
  return new BullMQQueue({ ...options, prefix: options.prefix ?? DEFAULT_REDIS_PREFIX });
}

export function createRedisBus(options: DistributedOptions): RedisBus {
  return new RedisBus({ ...options, prefix: options.prefix ?? DEFAULT_REDIS_PREFIX });
}

export function createDistributedScheduler(options: DistributedOptions & Pick<BullMQSchedulerOptions, "taskLockTtlMs">): BullMQScheduler {
  return new BullMQScheduler({ ...options, prefix: options.prefix ?? DEFAULT_REDIS_PREFIX });
}
