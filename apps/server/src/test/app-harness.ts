import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { hashPassword, MemoryRateLimiter, type Services } from "@zm/api";
import { HandoffLogs, keyringOf, ProjectSettings, SecretStore, SmsConnections, Topics, ZendeskConnections } from "@zm/db";
import { openTestDatabase } from "@zm/db/testing";
import type { FastifyInstance } from "fastify";
import { buildApp, type AppOptions } from "../app.ts";

export const PROJECT = "PROJECT-00c0ffee";
export const ADMIN = { email: "admin@test.local", password: "admin password 1" };

/** A real server on a loopback port over a fresh database, with its log captured. */
export async function startTestApp(overrides: Partial<Services> = {}, appOptions: Pick<AppOptions, "studioDist"> = {}) {
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
    publicBaseUrl: "http://localhost:3000",
    rateLimiter: new MemoryRateLimiter(),
    ...overrides,
  };
  await db.prisma.project.create({ data: { id: PROJECT, name: "Test" } });
  await db.prisma.user.create({ data: { id: "u1", email: ADMIN.email, name: "Admin", passwordHash: await hashPassword(ADMIN.password) } });
  await db.prisma.membership.create({ data: { userId: "u1", projectId: PROJECT, role: "admin" } });
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const app: FastifyInstance = await buildApp({ services, logLevel: "debug", logStream, ...appOptions });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    app,
    url,
    services,
    logLines,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

export async function trpcPost(url: string, procedure: string, input: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(input),
  });
}

export function randomSecret() {
  return randomBytes(12).toString("hex");
}
