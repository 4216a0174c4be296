import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { closeRedisConnection, openRedisConnection } from "./redis-connection.ts";
import { RedisKeyLock } from "./redis-key-lock.ts";
import { assertRedisSafeName, assertValidPrefix } from "./redis-names.ts";
import type { Logger, Scheduler } from "./types.ts";

export interface BullMQSchedulerOptions {
  redisUrl: string;
  /** Namespaces every Redis key, so several deployments or test runs can share one Redis. */
  prefix: string;
  log: Logger;
  /** The BullMQ queue the ticks travel on. */
  queueName?: string;
  /** TTL of the lock a running task holds (renewed while it runs). */
  taskLockTtlMs?: number;
}

type Task = () => Promise<void>;

/**
 * `Scheduler` on BullMQ job schedulers: Redis holds one scheduler per task name, which produces
 * one delayed job per tick, and a job is processed by exactly one worker in the cluster.
 *
 * BullMQ schedules the next tick when the current one starts, so a task slower than its
 * interval would overlap itself on another instance. Like `IntervalScheduler`, a tick that
 * finds the task still running is skipped instead; a lock per task name enforces that across
 * instances.
 */
export class BullMQScheduler implements Scheduler {
  private readonly tasks = new Map<string, Task>();
  private readonly redis: Redis;
  private readonly queue: Queue<Record<string, never>, void, string>;
  private readonly taskLock: RedisKeyLock;
  private readonly queueName: string;
  private worker: Worker<Record<string, never>, void, string> | null = null;
  private readonly registrations: Promise<void>[] = [];
  private closed = false;

  constructor(private readonly options: BullMQSchedulerOptions) {
    assertValidPrefix(options.prefix);
    this.queueName = options.queueName ?? "scheduler";
    assertRedisSafeName("scheduler queue name", this.queueName);
    // Workers need commands to wait out a reconnect rather than fail (BullMQ requires it).
    this.redis = openRedisConnection({
      redisUrl: options.redisUrl,
      connectionName: `${options.prefix}:scheduler`,
      log: options.log,
      maxRetriesPerRequest: null,
    });
    this.queue = new Queue(this.queueName, { connection: this.redis, prefix: options.prefix });
    this.queue.on("error", (err) => options.log.warn({ err }, "scheduler queue error"));
    this.taskLock = new RedisKeyLock(this.redis, options.taskLockTtlMs ?? 30_000);
  }

  every(name: string, intervalMs: number, task: Task): void {
    if (this.closed) throw new Error("scheduler is closed");
    if (this.tasks.has(name)) throw new Error(`a task named ${name} is already scheduled`);
    if (!Number.isInteger(intervalMs) || intervalMs <= 0) throw new Error(`interval of ${name} must be a positive integer of ms, got ${intervalMs}`);
    this.tasks.set(name, task);
    this.worker ??= this.startWorker();
    // Every instance upserts the same scheduler id, so the cluster keeps one scheduler per task.
    const registration = this.queue
      .upsertJobScheduler(name, { every: intervalMs }, { name, data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } })
      .then(
        () => undefined,
        (err: unknown) => this.options.log.error({ err, task: name }, "could not register the periodic task"),
      );
    this.registrations.push(registration);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.registrations);
    // Waits for a tick in progress on this instance. The schedulers stay in Redis: the other
    // instances keep ticking, and a restart upserts the same ids.
    await this.worker?.close();
    await this.queue.close();
    await closeRedisConnection(this.redis);
  }

  private startWorker() {
    const worker = new Worker<Record<string, never>, void, string>(this.queueName, (job) => this.runTick(job), {
      connection: this.redis,
      prefix: this.options.prefix,
      // Different tasks tick independently; one slow task must not hold up the others.
      concurrency: 8,
    });
    worker.on("error", (err) => this.options.log.warn({ err }, "scheduler worker error"));
    return worker;
  }

  private async runTick(job: Job<Record<string, never>, void, string>) {
    const task = this.tasks.get(job.name);
    if (!task) {
      // A scheduler left in Redis by a deployment that had a task this one lacks.
      this.options.log.warn({ task: job.name }, "tick for a task this instance does not have; skipped");
      return;
    }
    const lock = await this.taskLock.tryAcquire(`${this.options.prefix}:${this.queueName}:zm-task-lock:${job.name}`);
    if (!lock) return;
    await this.taskLock.runExclusive(
      lock,
      async () => {
        try {
          await task();
        } catch (err) {
          // Not rethrown: BullMQ would retry the tick, and the next tick is the retry.
          this.options.log.error({ err, task: job.name }, "periodic task failed");
        }
      },
      (err) => this.options.log.error({ err, task: job.name }, "task lock lost; the next tick may overlap this one"),
    );
  }
}
