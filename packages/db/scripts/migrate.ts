/**
 * Offline migration tool. Prisma 7's `migrate` needs a native schema engine that cannot be
 * downloaded here, so schema diffs run on @prisma/schema-engine-wasm over an in-memory PGlite,
 * and `deploy` uses our own runner (src/migrate.ts), which writes Prisma's own bookkeeping.
 *
 *   tsx scripts/migrate.ts create --name <name>   write prisma/migrations/<ts>_<name>/migration.sql
 *   tsx scripts/migrate.ts check                  exit 1 when schema.prisma has changes no migration holds
 *   tsx scripts/migrate.ts deploy                 apply pending migrations to DATABASE_URL
 */
import fs from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { MIGRATIONS_DIR, openDatabase } from "../src/client.ts";
import { readMigrations } from "../src/migrate.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const schemaPath = path.join(root, "prisma/schema.prisma");
const require = createRequire(import.meta.url);

type WasmApi = {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
};

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>;
  free(): void;
};

async function loadEngineClass(): Promise<{ new: (...a: unknown[]) => Promise<Engine> }> {
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => console.error("schema engine panic:", m) };
  const glue = await import(pathToFileURL(path.join(dir, "schema_engine_bg.js")).href);
  const imports: Record<string, unknown> = { ...glue };
  // The engine arms long timers it never clears; unref them so the CLI can exit.
  for (const key of Object.keys(imports)) {
    if (key.startsWith("__wbg_setTimeout_")) {
      imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
  }
  // Node cannot import the package's .wasm as an ES module, so instantiate it by hand.
  const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const wasm = new Wasm.Module(await fs.readFile(path.join(dir, "schema_engine_bg.wasm")));
  const instance = new Wasm.Instance(wasm, { "./schema_engine_bg.js": imports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue.SchemaEngine;
}

/** pglite-prisma-adapter does not await executeScript, which would hide a failing migration. */
class AwaitingPGlite extends PrismaPGlite {
  private patch<T extends { executeScript(s: string): Promise<void>; client: PGlite }>(conn: T): T {
    conn.executeScript = async (script: string) => {
      await conn.client.exec(script);
    };
    return conn;
  }
  override async connect() {
    return this.patch((await super.connect()) as never);
  }
  override async connectToShadowDb() {
    return this.patch((await super.connectToShadowDb()) as never);
  }
}

async function schemaDiff(): Promise<string | null> {
  const SchemaEngine = await loadEngineClass();
  const schema = await fs.readFile(schemaPath, "utf8");
  const pglite = new PGlite("memory://");
  const adapter = bindMigrationAwareSqlAdapterFactory(new AwaitingPGlite(pglite) as never);
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
  try {
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const lock = await fs.readFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), "utf8").catch(() => null);
    const from =
      migrations.length === 0
        ? { tag: "empty" }
        : {
            tag: "migrations",
            baseDir: MIGRATIONS_DIR,
            lockfile: { path: "migration_lock.toml", content: lock },
            migrationDirectories: migrations.map((m) => ({
              path: m.name,
              migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
            })),
            shadowDbInitScript: "",
          };
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.exitCode === 2 ? result.stdout : null;
  } finally {
    engine.free();
    await pglite.close();
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (command === "create") {
    const name = option("--name");
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("create needs --name <lower_snake_case>");
    const sql = await schemaDiff();
    if (!sql) return console.log("No schema changes.");
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "migration.sql"), sql);
    await fs.writeFile(
      path.join(MIGRATIONS_DIR, "migration_lock.toml"),
      '# Managed by packages/db/scripts/migrate.ts; keep it in version control.\nprovider = "postgresql"\n',
    );
    console.log(`Created ${path.relative(root, dir)}/migration.sql`);
  } else if (command === "check") {
    const sql = await schemaDiff();
    if (sql) {
      console.error(`prisma/schema.prisma has changes that no migration holds:\n${sql}`);
      console.error("Run: pnpm db:migrate:create --name <what_changed>");
      process.exitCode = 1;
    } else {
      console.log("Migrations match prisma/schema.prisma.");
    }
  } else if (command === "deploy") {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    const db = await openDatabase({ url, migrate: false });
    try {
      const { deployMigrations } = await import("../src/migrate.ts");
      const applied = await deployMigrations(db.sql, await readMigrations(MIGRATIONS_DIR));
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations.");
    } finally {
      await db.close();
    }
  } else {
    throw new Error(`Unknown command "${command ?? ""}". Use create, check or deploy.`);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
