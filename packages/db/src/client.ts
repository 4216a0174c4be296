import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "./generated/prisma/client.ts";
import { fairPglite } from "./fair-pglite.ts";
import { deployMigrations, readMigrations, type SqlDriver, type SqlSession } from "./migrate.ts";

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Raw SQL for the few things Prisma cannot express (migrations, locks, bulk claims). */
  sql: SqlDriver;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgresql://… | pglite:<dir> | pglite:memory:// */
  url: string;
  migrate?: boolean;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const db = isPostgresUrl(opts.url)
    ? await openPostgres(opts.url, opts.poolSize ?? 10)
    : opts.url.startsWith("pglite:")
      ? await openPglite(opts.url.slice("pglite:".length))
      : null;
  if (!db) throw new Error(`DATABASE_URL must start with postgresql:// or pglite: (got "${opts.url.split(":")[0]}:…")`);
  if (opts.migrate) {
    try {
      await deployMigrations(db.sql, await readMigrations(MIGRATIONS_DIR));
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const { default: pg } = await import("pg");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  type Runner = Pick<import("pg").Pool, "query">;
  const sessionOver = (runner: Runner): SqlSession => ({
    query: async (text, params) => (await runner.query(text, params)).rows,
    exec: async (text) => {
      await runner.query(text);
    },
  });
  const driverOver = (runner: Runner, connect: () => Promise<import("pg").PoolClient>): SqlDriver => ({
    ...sessionOver(runner),
    transaction: async (fn) => {
      const client = await connect();
      try {
        await client.query("BEGIN");
        const result = await fn(sessionOver(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      } finally {
        if (client !== runner) client.release();
      }
    },
    pinned: async (fn) => {
      const client = await pool.connect();
      try {
        // On a pinned connection, transactions reuse that same connection.
        return await fn(driverOver(client, async () => client));
      } finally {
        client.release();
      }
    },
  });
  return {
    prisma,
    kind: "postgres",
    sql: driverOver(pool, () => pool.connect()),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(location: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  let dataDir = location;
  if (!location.startsWith("memory://")) {
    dataDir = path.resolve(location);
    // PGlite creates only the last path segment itself.
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }
  const pglite: PGlite = await PGlite.create(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(fairPglite(pglite)) });
  const sql: SqlDriver = {
    query: async (text, params) => (await pglite.query(text, params)).rows as never[],
    exec: async (text) => {
      await pglite.exec(text);
    },
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: async (text, params) => (await tx.query(text, params)).rows as never[],
          exec: async (text) => {
            await tx.exec(text);
          },
        }),
      ),
    // PGlite is a single connection already.
    pinned: (fn) => fn(sql),
  };
  return {
    prisma,
    kind: "pglite",
    sql,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
