import { MemoryRateLimiter, type Services } from "@zm/api";
import { openDatabase, ProjectSettings, SecretStore, Topics, ZendeskConnections } from "@zm/db";
import type { ServerConfig } from "./config.ts";
import { keyringProvider } from "./keyring.ts";

/** Opens storage (migrating it) and wires the services every transport shares. */
export async function createServices(config: ServerConfig): Promise<Services & { close(): Promise<void> }> {
  const keyring = keyringProvider(config);
  const db = await openDatabase({ url: config.databaseUrl, migrate: true });
  const secrets = new SecretStore(db.prisma, keyring);
  return {
    db,
    secrets,
    keyring,
    zendeskConnections: new ZendeskConnections(db.prisma, secrets),
    topics: new Topics(db.prisma),
    projectSettings: new ProjectSettings(db.prisma),
    publicBaseUrl: config.publicBaseUrl,
    rateLimiter: new MemoryRateLimiter(),
    zendeskApiBaseUrl: config.zendeskApiBaseUrl,
    close: () => db.close(),
  };
}
