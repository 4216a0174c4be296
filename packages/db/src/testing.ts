import { randomBytes } from "node:crypto";
import { isPostgresUrl, openDatabase, type Database } from "./client.ts";

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or, when
 * TEST_DATABASE_URL names a PostgreSQL server, a new throw-away database on it.
 */
export async function openTestDatabase(): Promise<Database & { url: string }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base || !isPostgresUrl(base)) {
    const url = "pglite:memory://";
    return { ...(await openDatabase({ url, migrate: true })), url };
  }
  const { default: pg } = await import("pg");
  const name = `zm_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = await openDatabase({ url, migrate: true, poolSize: 4 });
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}
