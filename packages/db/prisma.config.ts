import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Offline: `prisma generate` only checks that a schema-engine binary exists (it would
// otherwise download one). Any existing file satisfies the check; it is never executed.
// Migrations never go through the Prisma CLI here: see scripts/migrate.mjs.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, "package.json");

export default defineConfig({
  schema: path.join(root, "prisma/schema.prisma"),
  migrations: { path: path.join(root, "prisma/migrations") },
});
