import { randomUUID } from "node:crypto";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { SecretStore } from "./secrets.ts";

export interface SmsConnectionSettings {
  accountSid: string;
  phoneNumber: string;
}

export interface StoredSmsConnection {
  settings: SmsConnectionSettings;
  authTokenSet: boolean;
  connectedAt: Date;
}

export interface SmsCredentialsRow extends SmsConnectionSettings {
  authToken: string;
}

/** A project's SMS account: the sid and number in clear, the auth token sealed, changes audited. */
export class SmsConnections {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretStore,
  ) {}

  async get(projectId: string): Promise<StoredSmsConnection | null> {
    const row = await this.prisma.smsConnection.findUnique({ where: { projectId }, select: { accountSid: true, phoneNumber: true, connectedAt: true } });
    if (!row) return null;
    const names = await this.secrets.names(projectId, "sms");
    return { settings: { accountSid: row.accountSid, phoneNumber: row.phoneNumber }, authTokenSet: names.includes("authToken"), connectedAt: row.connectedAt };
  }

  /** Creates or updates; a blank token keeps the stored one. Returns the changed field names. */
  async save(projectId: string, actorUserId: string, settings: SmsConnectionSettings, authToken: string | undefined): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.smsConnection.findUnique({ where: { projectId }, select: { accountSid: true, phoneNumber: true } });
      const changed: string[] = (["accountSid", "phoneNumber"] as const).filter((k) => !before || before[k] !== settings[k]);
      if (before) await tx.smsConnection.update({ where: { projectId }, data: settings, select: { projectId: true } });
      else await tx.smsConnection.create({ data: { projectId, ...settings, connectedByUserId: actorUserId }, select: { projectId: true } });
      if (authToken) {
        const stored = before ? (await this.secrets.read(projectId, "sms", tx)).authToken : undefined;
        if (stored !== authToken) {
          await this.secrets.put(projectId, "sms", "authToken", authToken, tx);
          changed.push("authToken");
        }
      }
      await tx.auditLog.create({ data: { id: randomUUID(), projectId, actorUserId, action: before ? "sms.update" : "sms.connect", fields: changed }, select: { id: true } });
      return changed;
    });
  }

  async remove(projectId: string, actorUserId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.smsConnection.deleteMany({ where: { projectId } });
      if (count === 0) return false;
      await this.secrets.remove(projectId, "sms", tx);
      await tx.auditLog.create({ data: { id: randomUUID(), projectId, actorUserId, action: "sms.disconnect", fields: [] }, select: { id: true } });
      return true;
    });
  }

  async credentials(projectId: string): Promise<SmsCredentialsRow | null> {
    const row = await this.prisma.smsConnection.findUnique({ where: { projectId }, select: { accountSid: true, phoneNumber: true } });
    if (!row) return null;
    const { authToken } = await this.secrets.read(projectId, "sms");
    return authToken ? { ...row, authToken } : null;
  }
}
