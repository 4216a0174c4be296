import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { hashPassword, verifyPassword, type Services } from "@zm/api";
import { DEFAULT_TRANSFER_UTTERANCE, smsInboundUrl, zendeskWebhookUrls } from "@zm/contracts";
import { newId } from "@zm/db";
import type { ServerConfig } from "./config.ts";

export interface DemoSignIn {
  projectId: string;
  admin: { email: string; password: string };
  designer: { email: string; password: string };
  zendesk: "connected to the sandbox" | "already connected" | "not connected";
  /** The project's SMS number, when SMS is connected. */
  smsNumber: string | null;
}

interface DemoFile {
  adminPassword: string;
  designerPassword: string;
}

const DEMO_DESIGNER_EMAIL = "designer@demo.local";
const DEFAULT_ADMIN_EMAIL = "admin@demo.local";

/** Generated once per data folder and kept owner-readable only; printed at every start. */
function demoPasswords(dataDir: string): DemoFile {
  const file = path.join(dataDir, "demo-sign-in.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as DemoFile;
  const words = () => randomBytes(9).toString("base64url");
  const content = { adminPassword: `admin-${words()}`, designerPassword: `designer-${words()}` };
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify(content, null, 2), { mode: 0o600 });
  return content;
}

async function upsertUser(services: Services, email: string, name: string, password: string) {
  const prisma = services.db.prisma;
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  if (existing) {
    // Hashing is deliberately slow; only redo it when the configured password changed.
    if (!(await verifyPassword(password, existing.passwordHash))) {
      await prisma.user.update({ where: { id: existing.id }, data: { passwordHash: await hashPassword(password) }, select: { id: true } });
    }
    return existing.id;
  }
  const id = randomUUID();
  await prisma.user.create({ data: { id, email, name, passwordHash: await hashPassword(password) }, select: { id: true } });
  return id;
}

/**
 * The demo project a new user signs in to: one admin, one designer, and, when a local
 * Zendesk sandbox runs, a connection to it so the whole hand-off can be tried at once.
 */
export async function seedDemo(services: Services, config: ServerConfig): Promise<DemoSignIn> {
  const prisma = services.db.prisma;
  const files = demoPasswords(config.dataDir);
  const adminEmail = config.demo.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  const adminPassword = config.demo.adminPassword ?? files.adminPassword;
  const adminId = await upsertUser(services, adminEmail, "Demo Admin", adminPassword);
  const designerId = await upsertUser(services, DEMO_DESIGNER_EMAIL, "Demo Designer", files.designerPassword);

  const existing = await prisma.membership.findFirst({
    where: { userId: adminId, role: "admin", ...(config.demo.projectId ? { projectId: config.demo.projectId } : {}) },
    select: { projectId: true },
  });
  const projectId = existing?.projectId ?? config.demo.projectId ?? `PROJECT-${randomBytes(4).toString("hex")}`;
  await prisma.project.upsert({ where: { id: projectId }, create: { id: projectId, name: "Demo project" }, update: {}, select: { id: true } });
  for (const [userId, role] of [
    [adminId, "admin"],
    [designerId, "designer"],
  ] as const) {
    await prisma.membership.upsert({
      where: { userId_projectId: { userId, projectId } },
      create: { userId, projectId, role },
      update: { role },
      select: { role: true },
    });
  }

  await seedDemoTopics(services, projectId);

  let zendesk: DemoSignIn["zendesk"] = "not connected";
  if (await services.zendeskConnections.get(projectId)) {
    zendesk = "already connected";
  } else if (config.demo.sandboxUrl) {
    await connectToSandbox(services, config.demo.sandboxUrl, projectId, adminId);
    zendesk = "connected to the sandbox";
  }
  let smsNumber = (await services.smsConnections.get(projectId))?.settings.phoneNumber ?? null;
  if (!smsNumber && config.demo.sandboxUrl) smsNumber = await connectSmsToSandbox(services, config.demo.sandboxUrl, projectId, adminId);
  return {
    projectId,
    admin: { email: adminEmail, password: adminPassword },
    designer: { email: DEMO_DESIGNER_EMAIL, password: files.designerPassword },
    zendesk,
    smsNumber,
  };
}

/** What the sandbox's POST /_sandbox/setup returns (the values an admin copies from Zendesk). */
/** A project that can be tried at once: one topic answers, one hands off to Zendesk. */
async function seedDemoTopics(services: Services, projectId: string) {
  const prisma = services.db.prisma;
  if ((await prisma.topic.count({ where: { projectId } })) > 0) return;
  await prisma.topic.create({
    data: {
      id: newId("topic"),
      projectId,
      name: "Opening hours",
      phrases: ["opening hours", "when are you open", "are you open"],
      answer: "We're open Monday to Friday, 9:00 to 17:00.",
    },
    select: { id: true },
  });
  await prisma.topic.create({
    data: {
      id: newId("topic"),
      projectId,
      name: "Talk to a human",
      phrases: ["talk to a human", "speak to an agent", "real person", "customer service"],
      answer: "",
      actions: {
        create: [{ id: newId("ta"), position: 0, action: "transfer_to_zendesk", utterance: DEFAULT_TRANSFER_UTTERANCE, options: { tags: ["demo"], priority: "normal" } }],
      },
    },
    select: { id: true },
  });
}

interface SandboxSetup {
  subdomain: string;
  appId: string;
  integrationId: string;
  webhookId: string;
  webhookSecret: string;
  apiKeyId: string;
  apiKeySecret: string;
  statusHeaderName: string;
  statusHeaderValue: string;
  signingSecret: string | null;
}

async function connectToSandbox(services: Services, sandboxUrl: string, projectId: string, adminId: string) {
  const urls = zendeskWebhookUrls(services.publicBaseUrl, projectId);
  const res = await fetch(`${sandboxUrl.replace(/\/+$/, "")}/_sandbox/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ eventsUrl: urls.events, statusUrl: urls.status, signing: true }),
  });
  if (!res.ok) throw new Error(`The Zendesk sandbox at ${sandboxUrl} refused the demo set-up (HTTP ${res.status})`);
  const setup = (await res.json()) as SandboxSetup;
  await services.zendeskConnections.save(
    projectId,
    adminId,
    {
      subdomain: setup.subdomain,
      appId: setup.appId,
      integrationId: setup.integrationId,
      webhookId: setup.webhookId,
      apiKeyId: setup.apiKeyId,
      statusAuthHeaderName: setup.statusHeaderName,
      switchboardTarget: "zd-agentWorkspace",
    },
    {
      sharedSecret: setup.webhookSecret,
      apiKeySecret: setup.apiKeySecret,
      webhookSecretKey: setup.statusHeaderValue,
      signingSecret: setup.signingSecret ?? undefined,
    },
    "zendesk.connect",
  );
}

/** The sandbox's SMS provider: an account and a number whose incoming texts come to this project. */
async function connectSmsToSandbox(services: Services, sandboxUrl: string, projectId: string, adminId: string): Promise<string> {
  const res = await fetch(`${sandboxUrl.replace(/\/+$/, "")}/_sandbox/sms/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ smsUrl: smsInboundUrl(services.publicBaseUrl, projectId) }),
  });
  if (!res.ok) throw new Error(`The sandbox's SMS provider refused the demo set-up (HTTP ${res.status})`);
  const setup = (await res.json()) as { accountSid: string; authToken: string; phoneNumber: string };
  await services.smsConnections.save(projectId, adminId, { accountSid: setup.accountSid, phoneNumber: setup.phoneNumber }, setup.authToken);
  return setup.phoneNumber;
}
