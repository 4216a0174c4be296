import { randomUUID } from "node:crypto";
import { DEFAULT_HANDOFF_SETTINGS, HANDOFF_SETTINGS_FIELDS, type HandoffSettings } from "@zm/contracts";
import type { PrismaClient } from "./generated/prisma/client.ts";

export type HandoffSettingsField = (typeof HANDOFF_SETTINGS_FIELDS)[number];

const HANDOFF_SELECT = { closingMessage: true, waitNoticeAfterSeconds: true, waitNoticeMessage: true, idleTimeoutMinutes: true } as const;

type StoredColumns = { [K in HandoffSettingsField]: HandoffSettings[K] | null };

/** A null column means "never set": the project follows the current default. */
function withDefaults(row: StoredColumns): HandoffSettings {
  return {
    closingMessage: row.closingMessage ?? DEFAULT_HANDOFF_SETTINGS.closingMessage,
    waitNoticeAfterSeconds: row.waitNoticeAfterSeconds ?? DEFAULT_HANDOFF_SETTINGS.waitNoticeAfterSeconds,
    waitNoticeMessage: row.waitNoticeMessage ?? DEFAULT_HANDOFF_SETTINGS.waitNoticeMessage,
    idleTimeoutMinutes: row.idleTimeoutMinutes ?? DEFAULT_HANDOFF_SETTINGS.idleTimeoutMinutes,
  };
}

/** Per-project settings kept on the Project row. Changes are audited by field name, never by value. */
export class ProjectSettings {
  constructor(private readonly prisma: PrismaClient) {}

  /** The project's hand-off settings with defaults filled in; null when the project does not exist. */
  async getHandoff(projectId: string): Promise<HandoffSettings | null> {
    const row = await this.prisma.project.findUnique({ where: { id: projectId }, select: HANDOFF_SELECT });
    return row ? withDefaults(row) : null;
  }

  /** Stores every setting as given. Returns null when the project does not exist. */
  async updateHandoff(
    projectId: string,
    actorUserId: string,
    settings: HandoffSettings,
  ): Promise<{ settings: HandoffSettings; changed: HandoffSettingsField[] } | null> {
    return this.prisma.$transaction(async (tx) => {
      // Serialises concurrent saves so each audit row names what that save really changed.
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Project" WHERE "id" = ${projectId} FOR UPDATE`;
      if (locked.length === 0) return null;
      const row = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: HANDOFF_SELECT });
      const before = withDefaults(row);
      const changed = HANDOFF_SETTINGS_FIELDS.filter((f) => before[f] !== settings[f]);
      // Writing all four pins the values the admin saw, so a later change of a default does not alter them.
      const updated = await tx.project.update({
        where: { id: projectId },
        data: {
          closingMessage: settings.closingMessage,
          waitNoticeAfterSeconds: settings.waitNoticeAfterSeconds,
          waitNoticeMessage: settings.waitNoticeMessage,
          idleTimeoutMinutes: settings.idleTimeoutMinutes,
        },
        select: HANDOFF_SELECT,
      });
      await tx.auditLog.create({
        data: { id: randomUUID(), projectId, actorUserId, action: "handoff_settings.update", fields: changed },
        select: { id: true },
      });
      return { settings: withDefaults(updated), changed };
    });
  }
}
