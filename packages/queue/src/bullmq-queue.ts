import { DelayedError, Queue, Worker, type Job, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { closeRedisConnection, openRedisConnection } from "./redis-connection.ts";
import { RedisKeyLock } from "./redis-key-lock.ts";
import { assertRedisSafeName, assertValidPrefix } from "./redis-names.ts";
import type { KeyedJobQueue, KeyHandler, Logger } from "./types.ts";

export interface BullMQQueueOptions {
  redisUrl: string;
  /** Namespaces every Redis key, so several deployments or test runs can share one Redis. */
  prefix: string;
  log: Logger;
  /** Runs of different keys one instance performs at once, per queue. */
  concurrency?: number;
  /** TTL of the per-key lock; it is renewed every third of it while a handler runs. */
  keyLockTtlMs?: number;
  /** How long a job that found its key locked waits before it tries again. */
  lockBusyRetryMs?: number;
}

/**
 * Two kinds of job share each BullMQ queue:
 * - `run`: run the handler for `key` now. Deduplicated per key with `keepLastIfActive`, so a key
 *   has at most one run job waiting and, while one is active, at most one stored follow-up.
 * - `timer`: a delayed kick. When due it only adds a `run` job, so every handler run goes
 *   through the same deduplication. `requestedByRun` is set when a handler asked for the retry;
 *   a later run of the key supersedes it (that run decided afresh whether it needs another).
 */
type JobName = "run" | "timer";
interface KeyJobData {
  key: string;
  requestedByRun: string | null;
}

const HANDLER_CRASH_RETRY_MS = 1000;
/**
 * How long a run's marker outlives it. Longer than the retries handlers ask for (the outbox
 * backs off up to 30 s); a retry due after the marker expired simply runs.
 */
const LAST_RUN_MARKER_TTL_MS = 60 * 60 * 1000;
const IDLE_POLL_MS = 20;

// Retries of a job whose processing failed outside the handler (Redis errors while taking the
// lock or scheduling a retry): 1 s, 2 s, 4 s … about 2 minutes in all, after which the
// safety-net sweep of the durable rows re-kicks the key.
const INFRASTRUCTURE_RETRIES: Pick<JobsOptions, "attempts" | "backoff"> = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1000 },
};
// Finished jobs carry no information (the work lives in the database); a few failed ones are
// kept for inspection.
const CLEAN_UP: Pick<JobsOptions, "removeOnComplete" | "removeOnFail"> = {
  removeOnComplete: true,
  removeOnFail: { count: 100 },
};

/**
 * `KeyedJobQueue` on BullMQ for several instances sharing one Redis.
 *
 * Same-key exclusion has two layers. BullMQ's deduplication (`keepLastIfActive`) keeps at
 * most one run job per key in flight, cluster-wide, which also coalesces kicks. Under it, every
 * run takes a Redis lock on its key (`RedisKeyLock`, renewed while the handler runs), which is
 * what still holds when BullMQ hands a job to a second worker (it decided the first worker had
 * stalled past BullMQ's own job lock, and moved the job back to waiting while the first run
 * went on). A run that finds the lock taken moves its job back to delayed and tries again
 * shortly; it is never dropped.
 *
 * Why a kick is never lost: a kick adds a `run` job, and the deduplication only ever folds it
 * into a job that has not started yet (waiting or delayed: that job's run starts after the
 * kick) or, while the key's job is active, stores it as the follow-up job BullMQ creates when
 * the active one finishes.
 */
export class BullMQQueue implements KeyedJobQueue {
  private readonly handlers = new Map<string, KeyHandler>();
  private readonly queues = new Map<string, Queue<KeyJobData, void, JobName>>();
  private readonly workers = new Map<string, Worker<KeyJobData, void, JobName>>();
  /** Kicks fail fast during an outage (the caller hears about it; the durable row stays). */
  private readonly producerRedis: Redis;
  /** Workers and locks wait out an outage instead (BullMQ requires it for workers). */
  private readonly workerRedis: Redis;
  private readonly keyLock: RedisKeyLock;
  private readonly concurrency: number;
  private readonly lockBusyRetryMs: number;
  private closed = false;
  private readonly pendingRuns = new Map<string, { queue: string; key: string; promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void }>();
  private runFlushScheduled = false;

  constructor(private readonly options: BullMQQueueOptions) {
    assertValidPrefix(options.prefix);
    this.concurrency = options.concurrency ?? 16;
    this.lockBusyRetryMs = options.lockBusyRetryMs ?? 200;
    this.producerRedis = openRedisConnection({
      redisUrl: options.redisUrl,
      connectionName: `${options.prefix}:queue-producer`,
      log: options.log,
      maxRetriesPerRequest: 3,
    });
    this.workerRedis = openRedisConnection({
      redisUrl: options.redisUrl,
      connectionName: `${options.prefix}:queue-worker`,
      log: options.log,
      maxRetriesPerRequest: null,
    });
    this.keyLock = new RedisKeyLock(this.workerRedis, options.keyLockTtlMs ?? 10_000);
  }

  get closing(): boolean {
    return this.closed;
  }

  register(queue: string, handler: KeyHandler): void {
    if (this.closed) throw new Error("queue is closed");
    if (this.handlers.has(queue)) throw new Error(`a handler is already registered for queue ${queue}`);
    this.handlers.set(queue, handler);
    this.queueNamed(queue);
    const worker = new Worker<KeyJobData, void, JobName>(queue, (job, token) => this.process(queue, handler, job, token), {
      connection: this.workerRedis,
      prefix: this.options.prefix,
      concurrency: this.concurrency,
      // A job held by an instance that died is handed to another within about 15 s (lock
      // expiry plus the next stall check), instead of BullMQ's default of up to a minute.
      lockDuration: 10_000,
      stalledInterval: 5_000,
    });
    worker.on("error", (err) => this.options.log.warn({ err, queue }, "queue worker error"));
    worker.on("failed", (job, err) => {
      if (job) this.options.log.error({ err, queue, key: job.data.key, attemptsMade: job.attemptsMade }, "queue job failed outside its handler");
    });
    this.workers.set(queue, worker);
  }

  async kick(queue: string, key: string, delayMs = 0): Promise<void> {
    if (this.closed) return;
    if (delayMs > 0) return this.addTimer(queue, key, delayMs, null);
    // Kicks of one key made in the same event-loop turn share one job: it is added after all of
    // them were made, so its run starts after whatever each caller stored before kicking.
    const id = `${queue}\u0000${key}`;
    let pending = this.pendingRuns.get(id);
    if (!pending) {
      let settle!: { resolve: () => void; reject: (err: unknown) => void };
      const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      pending = { queue, key, promise, ...settle };
      this.pendingRuns.set(id, pending);
      if (!this.runFlushScheduled) {
        this.runFlushScheduled = true;
        setImmediate(() => this.flushRuns());
      }
    }
    return pending.promise;
  }

  private flushRuns() {
    this.runFlushScheduled = false;
    const runs = [...this.pendingRuns.values()];
    this.pendingRuns.clear();
    // Closed in between: like a kick after close, the stored work waits for the next sweep.
    if (this.closed) return runs.forEach((run) => run.resolve());
    for (const run of runs) this.addRun(run.queue, run.key).then(run.resolve, run.reject);
  }

  async idle(horizonMs = 0): Promise<void> {
    // Two quiet looks in a row: a run in one queue may kick another queue between the looks.
    let quietLooks = 0;
    while (quietLooks < 2) {
      quietLooks = (await this.isQuiet(horizonMs)) ? quietLooks + 1 : 0;
      if (quietLooks < 2) await sleep(IDLE_POLL_MS);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Workers finish their active runs first; those may still schedule retries through the
    // queues, which another instance will pick up.
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await Promise.all([closeRedisConnection(this.producerRedis), closeRedisConnection(this.workerRedis)]);
  }

  private async process(queue: string, handler: KeyHandler, job: Job<KeyJobData, void, JobName>, workerToken: string | undefined) {
    const { key } = job.data;
    if (job.name === "timer") {
      if (!(await this.isSupersededRetry(queue, job.data))) await this.addRun(queue, key);
      return;
    }
    const lock = await this.keyLock.tryAcquire(this.keyLockKey(queue, key));
    if (!lock) {
      // Another worker is still running this key: come back shortly, without using an attempt.
      await job.moveToDelayed(Date.now() + this.lockBusyRetryMs, workerToken);
      throw new DelayedError();
    }
    await this.keyLock.runExclusive(
      lock,
      async () => {
        await this.workerRedis.set(this.lastRunKey(queue, key), lock.token, "PX", LAST_RUN_MARKER_TTL_MS);
        let retryInMs: number | undefined;
        try {
          const result = await handler(key);
          retryInMs = result ? result.retryInMs : undefined;
        } catch (err) {
          this.options.log.error({ err, queue, key }, "job handler failed; retrying");
          retryInMs = HANDLER_CRASH_RETRY_MS;
        }
        if (retryInMs !== undefined) await this.addTimer(queue, key, Math.max(1, retryInMs), lock.token);
      },
      (err) => this.options.log.error({ err, queue, key }, "key lock lost during a run; another run of this key may overlap"),
    );
  }

  /** A handler's retry is moot once a later run of the key has started. */
  private async isSupersededRetry(queue: string, timer: KeyJobData): Promise<boolean> {
    if (timer.requestedByRun === null) return false;
    const lastRun = await this.workerRedis.get(this.lastRunKey(queue, timer.key));
    return lastRun !== null && lastRun !== timer.requestedByRun;
  }

  private async addRun(queue: string, key: string) {
    await this.queueNamed(queue).add(
      "run",
      { key, requestedByRun: null },
      { ...CLEAN_UP, ...INFRASTRUCTURE_RETRIES, deduplication: { id: key, keepLastIfActive: true } },
    );
  }

  private async addTimer(queue: string, key: string, delayMs: number, requestedByRun: string | null) {
    await this.queueNamed(queue).add("timer", { key, requestedByRun }, { ...CLEAN_UP, ...INFRASTRUCTURE_RETRIES, delay: delayMs });
  }

  private async isQuiet(horizonMs: number): Promise<boolean> {
    for (const queue of this.queues.values()) {
      const counts = await queue.getJobCounts("active", "waiting", "prioritized");
      if (Object.values(counts).some((n) => n > 0)) return false;
      if ((await queue.getDelayedCount(Date.now() + horizonMs + 1)) > 0) return false;
    }
    return true;
  }

  /** The BullMQ queue (producer side) for a name, created on first use: kicks may name a queue this instance does not work. */
  private queueNamed(queue: string): Queue<KeyJobData, void, JobName> {
    let bullQueue = this.queues.get(queue);
    if (!bullQueue) {
      assertRedisSafeName("queue name", queue);
      bullQueue = new Queue<KeyJobData, void, JobName>(queue, { connection: this.producerRedis, prefix: this.options.prefix });
      bullQueue.on("error", (err) => this.options.log.warn({ err, queue }, "queue producer error"));
      this.queues.set(queue, bullQueue);
    }
    return bullQueue;
  }

  private keyLockKey(queue: string, key: string) {
    return keyLockKeyOf(this.options.prefix, queue, key);
  }

  private lastRunKey(queue: string, key: string) {
    return `${this.options.prefix}:${queue}:zm-last-run:${key}`;
  }
}

// Under the queue's own namespace, in segments BullMQ never uses (its job ids are numbers).
/** The Redis key of the lock a run of `key` holds. */
export function keyLockKeyOf(prefix: string, queue: string, key: string): string {
  return `${prefix}:${queue}:zm-key-lock:${key}`;
}

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
