import { randomUUID } from "node:crypto";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { SecretStore } from "./secrets.ts";

export interface ZendeskConnectionSettings {
  appId: string;
  integrationId: string;
  webhookId: string;
  apiKeyId: string;
  subdomain: string;
  statusAuthHeaderName: string;
  switchboardTarget: string;
}

export const ZENDESK_SECRET_NAMES = ["sharedSecret", "apiKeySecret", "webhookSecretKey", "signingSecret"] as const;
export type ZendeskSecretName = (typeof ZENDESK_SECRET_NAMES)[number];
export type ZendeskSecrets = Partial<Record<ZendeskSecretName, string>>;

export interface StoredZendeskConnection {
  settings: ZendeskConnectionSettings;
  secretNames: ZendeskSecretName[];
  connectedAt: Date;
  connectedBy: { name: string; email: string } | null;
}

/** Everything the runtime needs to talk to Zendesk and to verify its webhooks. */
export interface ZendeskCredentials extends ZendeskConnectionSettings {
  sharedSecret: string;
  apiKeySecret: string;
  webhookSecretKey: string;
  signingSecret: string | null;
}

const SETTINGS_SELECT = {
  appId: true,
  integrationId: true,
  webhookId: true,
  apiKeyId: true,
  subdomain: true,
  statusAuthHeaderName: true,
  switchboardTarget: true,
} as const;

/** A project's Zendesk Messaging connection: settings in clear, secrets sealed, changes audited. */
export class ZendeskConnections {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretStore,
  ) {}

  async get(projectId: string): Promise<StoredZendeskConnection | null> {
    const row = await this.prisma.zendeskConnection.findUnique({
      where: { projectId },
      select: { ...SETTINGS_SELECT, connectedAt: true, connectedByUserId: true },
    });
    if (!row) return null;
    const { connectedAt, connectedByUserId, ...settings } = row;
    const [names, by] = await Promise.all([
      this.secrets.names(projectId, "zendesk"),
      this.prisma.user.findUnique({ where: { id: connectedByUserId }, select: { name: true, email: true } }),
    ]);
    return {
      settings,
      secretNames: names.filter((n): n is ZendeskSecretName => (ZENDESK_SECRET_NAMES as readonly string[]).includes(n)),
      connectedAt,
      connectedBy: by,
    };
  }

  /**
   * Creates or updates the connection. Blank or absent secrets keep the stored value.
   * Returns the names of the fields whose value changed.
   */
  async save(
    projectId: string,
    actorUserId: string,
    settings: ZendeskConnectionSettings,
    secrets: ZendeskSecrets,
    action: "zendesk.connect" | "zendesk.update",
  ): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.zendeskConnection.findUnique({ where: { projectId }, select: SETTINGS_SELECT });
      const changed: string[] = (Object.keys(settings) as (keyof ZendeskConnectionSettings)[]).filter(
        (k) => !before || before[k] !== settings[k],
      );
      if (before) {
        await tx.zendeskConnection.update({ where: { projectId }, data: settings, select: { projectId: true } });
      } else {
        await tx.zendeskConnection.create({
          data: { projectId, ...settings, connectedByUserId: actorUserId },
          select: { projectId: true },
        });
      }
      const stored = before ? await this.secrets.read(projectId, "zendesk", tx) : {};
      for (const name of ZENDESK_SECRET_NAMES) {
        const value = secrets[name];
        if (value && value !== stored[name]) {
          await this.secrets.put(projectId, "zendesk", name, value, tx);
          changed.push(name);
        }
      }
      await tx.auditLog.create({
        data: { id: randomUUID(), projectId, actorUserId, action, fields: changed },
        select: { id: true },
      });
      return changed;
    });
  }

  async remove(projectId: string, actorUserId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.zendeskConnection.deleteMany({ where: { projectId } });
      if (count === 0) return false;
      await this.secrets.remove(projectId, "zendesk", tx);
      await tx.auditLog.create({
        data: { id: randomUUID(), projectId, actorUserId, action: "zendesk.disconnect", fields: [] },
        select: { id: true },
      });
      return true;
    });
  }

  /** Decrypted credentials for the runtime; null when the project is not connected. */
  async credentials(projectId: string): Promise<ZendeskCredentials | null> {
    const row = await this.prisma.zendeskConnection.findUnique({ where: { projectId }, select: SETTINGS_SELECT });
    if (!row) return null;
    const s = await this.secrets.read(projectId, "zendesk");
    if (!s.sharedSecret || !s.apiKeySecret || !s.webhookSecretKey) return null;
    return {
      ...row,
      sharedSecret: s.sharedSecret,
      apiKeySecret: s.apiKeySecret,
      webhookSecretKey: s.webhookSecretKey,
      signingSecret: s.signingSecret ?? null,
    };
  }
}
