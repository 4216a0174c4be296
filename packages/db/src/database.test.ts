import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyringOf } from "./crypto.ts";
import { deployMigrations, readMigrations } from "./migrate.ts";
import { MIGRATIONS_DIR } from "./client.ts";
import { SecretStore } from "./secrets.ts";
import { openTestDatabase } from "./testing.ts";

describe(`database (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it("records applied migrations the way Prisma does and applies nothing twice", async () => {
    const rows = await db.sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const files = await readMigrations(MIGRATIONS_DIR);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(await deployMigrations(db.sql, files)).toEqual([]);
  });

  it("lets timers and sockets run while a chain of queries and transactions goes on", async () => {
    await db.prisma.project.count();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      for (let i = 0; i < 40; i++) {
        await db.prisma.project.count();
        await db.prisma.$transaction(async (tx) => tx.project.count());
      }
    } finally {
      clearInterval(timer);
    }
    // Without a return to the event loop between queries (PGlite in-process) this stays at 0.
    expect(ticks).toBeGreaterThanOrEqual(20);
  });

  it("refuses to start on a database from a newer build", async () => {
    const files = await readMigrations(MIGRATIONS_DIR);
    await expect(deployMigrations(db.sql, files.slice(0, -1))).rejects.toThrow(/does not know/);
  });

  it("stores secrets sealed and re-seals them under a new key", async () => {
    const oldKey = randomBytes(32);
    let keyring = keyringOf(oldKey);
    const store = new SecretStore(db.prisma, () => keyring);
    await db.prisma.project.create({ data: { id: "PROJECT-0000abcd", name: "t" } });
    await store.put("PROJECT-0000abcd", "zendesk", "sharedSecret", "plain-shared-secret");
    const raw = await db.sql.query<{ ciphertext: Uint8Array }>(`SELECT ciphertext FROM "Secret"`);
    expect(Buffer.from(raw[0]!.ciphertext).includes(Buffer.from("plain-shared-secret"))).toBe(false);

    keyring = keyringOf(randomBytes(32), [oldKey]);
    expect(await store.read("PROJECT-0000abcd", "zendesk")).toEqual({ sharedSecret: "plain-shared-secret" });
    const result = await store.reencryptAll();
    expect(result).toEqual({ resealed: 1, remainingOldKeyIds: [] });
    keyring = keyringOf(keyring.keys.get(keyring.currentKeyId)!);
    expect(await store.read("PROJECT-0000abcd", "zendesk")).toEqual({ sharedSecret: "plain-shared-secret" });
  });
});
