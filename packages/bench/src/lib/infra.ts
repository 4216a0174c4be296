import { Redis } from "ioredis";
import pg from "pg";

const POSTGRES = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A throwaway PostgreSQL database `bench_<pid>` and an empty Redis database index for one
 * production-mode run. Nothing else in Redis is touched: the index is used only when it holds
 * no keys, and only the keys this run created there are deleted afterwards.
 */
export class ProductionInfra {
  readonly databaseName = `bench_${process.pid}`;
  redisDb = -1;

  get databaseUrl() {
    const u = new URL(POSTGRES);
    u.pathname = `/${this.databaseName}`;
    return u.toString();
  }
  get redisUrl() {
    return `${REDIS.replace(/\/\d*$/, "")}/${this.redisDb}`;
  }

  async create() {
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${this.databaseName}"`);
      await c.query(`CREATE DATABASE "${this.databaseName}"`);
    });
    const probe = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await probe.connect();
    try {
      const databases = Number(((await probe.config("GET", "databases")) as string[])[1] ?? 16);
      for (let db = databases - 1; db > 0; db--) {
        await probe.select(db);
        if ((await probe.dbsize()) === 0) {
          this.redisDb = db;
          break;
        }
      }
    } finally {
      probe.disconnect();
    }
    if (this.redisDb < 0) throw new Error("No empty Redis database index to run in; not touching the others");
  }

  async destroy() {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`)).catch((err: unknown) => {
      process.stderr.write(`could not drop ${this.databaseName}: ${String(err)}\n`);
    });
    if (this.redisDb < 0) return;
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      // The server's keys (default prefix "zm"); the index was empty when the run began.
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", "zm:*", "COUNT", 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== "0");
    } finally {
      redis.disconnect();
    }
  }
}
