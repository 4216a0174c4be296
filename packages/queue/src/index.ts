export type { EventBus, KeyedJobQueue, KeyHandler, Logger, RunResult, Scheduler } from "./types.ts";
export { InProcessBus, InProcessQueue, IntervalScheduler } from "./in-process.ts";
export { BullMQQueue, type BullMQQueueOptions } from "./bullmq-queue.ts";
export { BullMQScheduler, type BullMQSchedulerOptions } from "./bullmq-scheduler.ts";
export { RedisBus, type RedisBusOptions } from "./redis-bus.ts";
export { RedisKeyLock, type HeldLock } from "./redis-key-lock.ts";
export { createDistributedQueue, createDistributedScheduler, createRedisBus, DEFAULT_REDIS_PREFIX, type DistributedOptions } from "./distributed.ts";
