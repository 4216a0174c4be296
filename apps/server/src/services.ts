import type { AgentTopic } from "@zm/agent";
import { MemoryRateLimiter, type Services } from "@zm/api";
import { DEFAULT_HANDOFF_SETTINGS, zendeskIntegrationOptions } from "@zm/contracts";
import { HandoffLogs, openDatabase, ProjectSettings, SecretStore, SmsConnections, Topics, ZendeskConnections, type Database, type Keyring, type PrismaClient } from "@zm/db";
import { createHandoffRuntime, storesFor, type HandoffRuntime, type RuntimeLogger, type Tuning } from "@zm/handoff";
import {
  createDistributedQueue,
  createDistributedScheduler,
  createRedisBus,
  DEFAULT_REDIS_PREFIX,
  InProcessBus,
  InProcessQueue,
  IntervalScheduler,
  type EventBus,
  type KeyedJobQueue,
  type Scheduler,
} from "@zm/queue";
import { RedisRateLimiter } from "./redis-rate-limiter.ts";
import type { ServerConfig } from "./config.ts";
import { keyringProvider } from "./keyring.ts";

export interface AppServices extends Services {
  runtime: HandoffRuntime;
  bus: EventBus;
  queue: KeyedJobQueue;
  scheduler: Scheduler;
  close(): Promise<void>;
}

async function topicsOf(prisma: PrismaClient, projectId: string): Promise<AgentTopic[]> {
  const rows = await prisma.topic.findMany({
    where: { projectId },
    select: { id: true, name: true, phrases: true, answer: true, actions: { orderBy: { position: "asc" }, select: { action: true, utterance: true, options: true } } },
  });
  return rows.map((t) => ({
    ...t,
    actions: t.actions.map((a) => ({ action: a.action, utterance: a.utterance, options: zendeskIntegrationOptions.catch({}).parse(a.options) })),
  }));
}

export interface ServiceOptions {
  log: RuntimeLogger;
  tuning?: Partial<Tuning>;
  /** Redis key prefix (tests isolate runs with it). */
  redisPrefix?: string;
}

/** Opens storage (migrating it) and wires the services every transport shares. */
export async function createServices(config: ServerConfig, options: ServiceOptions): Promise<AppServices> {
  const keyring = keyringProvider(config);
  const db = await openDatabase({ url: config.databaseUrl, migrate: true });
  return wireServices(db, keyring, config, options);
}

/** The services over an opened database (tests bring their own). */
export function wireServices(
  db: Database,
  keyring: () => Keyring,
  config: Pick<ServerConfig, "publicBaseUrl" | "zendeskApiBaseUrl"> & Partial<Pick<ServerConfig, "smsApiBaseUrl" | "redisUrl" | "redisPrefix">>,
  options: ServiceOptions,
): AppServices {
  const secrets = new SecretStore(db.prisma, keyring);
  const connections = new ZendeskConnections(db.prisma, secrets);
  const smsConnections = new SmsConnections(db.prisma, secrets);
  const projectSettings = new ProjectSettings(db.prisma);
  // With REDIS_URL, jobs run on BullMQ and live events fan out over Redis, so any instance can
  // take any webhook or socket; without it everything stays in this process.
  const redisUrl = config.redisUrl;
  const prefix = options.redisPrefix ?? config.redisPrefix ?? DEFAULT_REDIS_PREFIX;
  const queue: KeyedJobQueue = redisUrl
    ? createDistributedQueue({ redisUrl, prefix, log: options.log, concurrency: 16 })
    : new InProcessQueue(options.log, db.kind === "pglite" ? 4 : 16);
  const bus: EventBus = redisUrl ? createRedisBus({ redisUrl, prefix, log: options.log }) : new InProcessBus();
  const scheduler: Scheduler = redisUrl ? createDistributedScheduler({ redisUrl, prefix, log: options.log }) : new IntervalScheduler(options.log);
  const rateLimiter = redisUrl ? new RedisRateLimiter(redisUrl, prefix) : new MemoryRateLimiter();
  const runtime = createHandoffRuntime({
    ...storesFor(db.prisma, connections, smsConnections),
    topics: (projectId) => topicsOf(db.prisma, projectId),
    settings: async (projectId) => (await projectSettings.getHandoff(projectId)) ?? DEFAULT_HANDOFF_SETTINGS,
    queue,
    bus,
    log: options.log,
    zendeskApiBaseUrl: config.zendeskApiBaseUrl,
    smsApiBaseUrl: config.smsApiBaseUrl,
    tuning: options.tuning,
  });
  return {
    db,
    secrets,
    keyring,
    zendeskConnections: connections,
    smsConnections,
    topics: new Topics(db.prisma),
    projectSettings,
    handoffLogs: new HandoffLogs(db.prisma),
    publicBaseUrl: config.publicBaseUrl,
    rateLimiter,
    zendeskApiBaseUrl: config.zendeskApiBaseUrl,
    onZendeskConnectionChanged: (projectId) => runtime.forgetCredentials(projectId),
    runtime,
    bus,
    queue,
    scheduler,
    async close() {
      await scheduler.close();
      await queue.close();
      await bus.close();
      if (rateLimiter instanceof RedisRateLimiter) await rateLimiter.close();
      await db.close();
    },
  };
}
