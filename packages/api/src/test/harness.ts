import { randomBytes } from "node:crypto";
import { HandoffLogs, keyringOf, ProjectSettings, SecretStore, SmsConnections, Topics, ZendeskConnections } from "@zm/db";
import { openTestDatabase } from "@zm/db/testing";
import { hashPassword } from "../auth/password.ts";
import type { Context, SessionUser } from "../context.ts";
import { createCaller } from "../router.ts";
import { MemoryRateLimiter, type Services } from "../services.ts";

export const PROJECT = "PROJECT-0a1b2c3d";
export const OTHER_PROJECT = "PROJECT-99998888";

export interface Harness {
  services: Services;
  users: Record<"admin" | "designer" | "outsider", SessionUser>;
  /** Calls made on the session transport (cookie set/clear), newest last. */
  transportLog: string[];
  callerFor(user: SessionUser | null, sessionTokenHash?: string): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

/** A migrated database with one project, an admin, a designer and a member of another project. */
export async function createHarness(): Promise<Harness> {
  const db = await openTestDatabase();
  const keyring = keyringOf(randomBytes(32));
  const secrets = new SecretStore(db.prisma, () => keyring);
  const services: Services = {
    db,
    secrets,
    keyring: () => keyring,
    zendeskConnections: new ZendeskConnections(db.prisma, secrets),
    smsConnections: new SmsConnections(db.prisma, secrets),
    topics: new Topics(db.prisma),
    projectSettings: new ProjectSettings(db.prisma),
    handoffLogs: new HandoffLogs(db.prisma),
    publicBaseUrl: "https://studio.example.test",
    // A closed loopback port: Test connection fails fast and never leaves the machine.
    zendeskApiBaseUrl: "http://127.0.0.1:9/sc",
    rateLimiter: new MemoryRateLimiter(),
  };
  const passwordHash = await hashPassword("correct horse battery staple");
  const mk = (id: string, name: string) => ({ id, email: `${id}@example.test`, name });
  const users = { admin: mk("u-admin", "Ada Admin"), designer: mk("u-designer", "Dee Designer"), outsider: mk("u-out", "Otto Outsider") };
  await db.prisma.project.createMany({ data: [{ id: PROJECT, name: "Demo" }, { id: OTHER_PROJECT, name: "Other" }] });
  await db.prisma.user.createMany({ data: Object.values(users).map((u) => ({ ...u, passwordHash })) });
  await db.prisma.membership.createMany({
    data: [
      { userId: users.admin.id, projectId: PROJECT, role: "admin" },
      { userId: users.designer.id, projectId: PROJECT, role: "designer" },
      { userId: users.outsider.id, projectId: OTHER_PROJECT, role: "admin" },
    ],
  });
  const transportLog: string[] = [];
  return {
    services,
    users,
    transportLog,
    callerFor(user, sessionTokenHash) {
      const ctx: Context = {
        services,
        user,
        sessionTokenHash: sessionTokenHash ?? null,
        transport: {
          clientIp: "127.0.0.1",
          setSessionToken: (token) => transportLog.push(`set:${token.length}`),
          clearSessionToken: () => transportLog.push("clear"),
        },
      };
      return createCaller(ctx);
    },
    close: () => db.close(),
  };
}

export const validConnection = {
  projectId: PROJECT,
  appId: "5ebee0975ac5304b664a12fa",
  integrationId: "5f4eaef81e3dcc117c7ba48b",
  webhookId: "5f4eaef81e3dcc117c7ba48a",
  apiKeyId: "int_5f4eaef81e3dcc117c7ba48c",
  subdomain: "https://acme.zendesk.com/",
  sharedSecret: "shared-SECRET-value-1",
  apiKeySecret: "api-key-SECRET-value-2",
  webhookSecretKey: "status-webhook-SECRET-3",
  signingSecret: "",
};
export const SECRET_VALUES = [validConnection.sharedSecret, validConnection.apiKeySecret, validConnection.webhookSecretKey];
