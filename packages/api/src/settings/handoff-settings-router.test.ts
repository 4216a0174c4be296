import { TRPCError } from "@trpc/server";
import { DEFAULT_HANDOFF_SETTINGS } from "@zm/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHarness, OTHER_PROJECT, PROJECT, type Harness } from "../test/harness.ts";
import { validationErrorsOf } from "../validation-errors.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  const unset = { closingMessage: null, waitNoticeAfterSeconds: null, waitNoticeMessage: null, idleTimeoutMinutes: null };
  await h.services.db.prisma.project.updateMany({ data: unset });
  await h.services.db.prisma.auditLog.deleteMany({});
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

const changedSettings = {
  closingMessage: "Thanks! You're back with the assistant.",
  waitNoticeAfterSeconds: 90,
  waitNoticeMessage: "Still looking for an agent.",
  idleTimeoutMinutes: 45,
};

describe("authorisation matrix", () => {
  type Who = "admin" | "designer" | "outsider" | "signedOut";
  const userOf = (who: Who) => (who === "signedOut" ? null : h.users[who]);
  const procedures = {
    get: (who: Who) => h.callerFor(userOf(who)).handoffSettings.get({ projectId: PROJECT }),
    update: (who: Who) => h.callerFor(userOf(who)).handoffSettings.update({ projectId: PROJECT, ...changedSettings }),
  };
  const expected: Record<keyof typeof procedures, Record<Who, string>> = {
    get: { admin: "OK", designer: "OK", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" },
    update: { admin: "OK", designer: "FORBIDDEN", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" },
  };
  for (const [name, row] of Object.entries(expected)) {
    for (const [who, code] of Object.entries(row)) {
      it(`handoffSettings.${name} as ${who} → ${code}`, async () => {
        expect(await codeOf(procedures[name as keyof typeof procedures](who as Who))).toBe(code);
      });
    }
  }

  it("a refused change leaves the settings as they were and writes no audit row", async () => {
    for (const user of [h.users.designer, h.users.outsider, null]) {
      await codeOf(h.callerFor(user).handoffSettings.update({ projectId: PROJECT, ...changedSettings }));
    }
    expect(await h.callerFor(h.users.admin).handoffSettings.get({ projectId: PROJECT })).toEqual(DEFAULT_HANDOFF_SETTINGS);
    expect(await h.services.db.prisma.auditLog.count()).toBe(0);
  });
});

describe("hand-off settings", () => {
  it("reads the defaults for a project that never saved settings", async () => {
    expect(await h.callerFor(h.users.designer).handoffSettings.get({ projectId: PROJECT })).toEqual(DEFAULT_HANDOFF_SETTINGS);
  });

  it("saves an admin's settings for this project only and names the changed fields", async () => {
    const admin = h.callerFor(h.users.admin);
    const result = await admin.handoffSettings.update({ projectId: PROJECT, ...DEFAULT_HANDOFF_SETTINGS, idleTimeoutMinutes: 10 });
    expect(result).toEqual({ settings: { ...DEFAULT_HANDOFF_SETTINGS, idleTimeoutMinutes: 10 }, changed: ["idleTimeoutMinutes"] });
    expect(await h.callerFor(h.users.designer).handoffSettings.get({ projectId: PROJECT })).toMatchObject({ idleTimeoutMinutes: 10 });
    expect(await h.callerFor(h.users.outsider).handoffSettings.get({ projectId: OTHER_PROJECT })).toEqual(DEFAULT_HANDOFF_SETTINGS);
  });

  it("accepts numbers typed as text, as a form sends them", async () => {
    const result = await h.callerFor(h.users.admin).handoffSettings.update({
      projectId: PROJECT,
      ...changedSettings,
      waitNoticeAfterSeconds: "120",
      idleTimeoutMinutes: " 15 ",
    });
    expect(result.settings).toMatchObject({ waitNoticeAfterSeconds: 120, idleTimeoutMinutes: 15 });
  });

  it("refuses out-of-range and empty values, naming each field", async () => {
    const err = await h
      .callerFor(h.users.admin)
      .handoffSettings.update({ projectId: PROJECT, closingMessage: "  ", waitNoticeAfterSeconds: 5, waitNoticeMessage: "ok", idleTimeoutMinutes: 2000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect(validationErrorsOf((err as TRPCError).cause as z.ZodError).fieldErrors).toEqual({
      closingMessage: ["The closing message cannot be empty"],
      waitNoticeAfterSeconds: ["At least 10 seconds"],
      idleTimeoutMinutes: ["At most 24 hours"],
    });
  });

  it("audits who changed which settings, never the values", async () => {
    await h.callerFor(h.users.admin).handoffSettings.update({ projectId: PROJECT, ...changedSettings });
    const log = await h.services.db.prisma.auditLog.findMany({ where: { projectId: PROJECT } });
    expect(log.map((l) => [l.action, l.actorUserId, l.fields])).toEqual([
      ["handoff_settings.update", "u-admin", ["closingMessage", "waitNoticeAfterSeconds", "waitNoticeMessage", "idleTimeoutMinutes"]],
    ]);
    // The generated id and timestamp are left out: a random UUID may well contain "45".
    const text = JSON.stringify(log.map(({ id: _id, createdAt: _createdAt, ...row }) => row));
    for (const value of [changedSettings.closingMessage, changedSettings.waitNoticeMessage, "90", "45"]) expect(text).not.toContain(value);
  });
});
