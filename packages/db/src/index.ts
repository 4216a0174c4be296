export * from "./generated/prisma/client.ts";
export { openDatabase, isPostgresUrl, MIGRATIONS_DIR, type Database, type DatabaseKind } from "./client.ts";
export { deployMigrations, readMigrations, MigrationError, type SqlDriver, type SqlSession } from "./migrate.ts";
export * from "./crypto.ts";
export { SecretStore, type SecretScope } from "./secrets.ts";
export * from "./zendesk-connections.ts";
export * from "./topics.ts";
export * from "./project-settings.ts";
