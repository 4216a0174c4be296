import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, PROJECT, type Harness } from "../test/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.services.db.prisma.smsConnection.deleteMany({});
  await h.services.db.prisma.secret.deleteMany({});
});

const valid = { projectId: PROJECT, accountSid: `AC${"a1".repeat(16)}`, authToken: "sms-AUTH-token-secret", phoneNumber: "+1 (500) 555-0006" };

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

describe("SMS settings", () => {
  it("lets admins connect, designers read, others nothing", async () => {
    expect(await codeOf(h.callerFor(h.users.designer).sms.connect(valid))).toBe("FORBIDDEN");
    expect(await codeOf(h.callerFor(h.users.outsider).sms.getConnection({ projectId: PROJECT }))).toBe("NOT_FOUND");
    expect(await codeOf(h.callerFor(null).sms.getConnection({ projectId: PROJECT }))).toBe("UNAUTHORIZED");
    const view = await h.callerFor(h.users.admin).sms.connect(valid);
    expect(view).toMatchObject({ connected: true, phoneNumber: "+15005550006", authTokenSet: true, inboundUrl: `https://studio.example.test/channels/sms/twilio/${PROJECT}` });
    expect(JSON.stringify(view)).not.toContain(valid.authToken);
    expect((await h.callerFor(h.users.designer).sms.getConnection({ projectId: PROJECT })).connected).toBe(true);
    expect(await codeOf(h.callerFor(h.users.designer).sms.disconnect({ projectId: PROJECT }))).toBe("FORBIDDEN");
  });

  it("keeps the stored token when an update leaves it blank, and seals it", async () => {
    await h.callerFor(h.users.admin).sms.connect(valid);
    await h.callerFor(h.users.admin).sms.update({ ...valid, authToken: "", phoneNumber: "+15005550007" });
    expect(await h.services.smsConnections.credentials(PROJECT)).toEqual({ accountSid: valid.accountSid, phoneNumber: "+15005550007", authToken: valid.authToken });
    const raw = await h.services.db.sql.query<{ ciphertext: Uint8Array }>(`SELECT ciphertext FROM "Secret" WHERE scope = 'sms'`);
    expect(Buffer.from(raw[0]!.ciphertext).includes(Buffer.from(valid.authToken))).toBe(false);
  });

  it("refuses a bad Account SID and a bad number, naming the fields", async () => {
    const err = await h.callerFor(h.users.admin).sms.connect({ ...valid, accountSid: "XX1", phoneNumber: "call me" }).catch((e) => e);
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/Account SID/);
    expect(err.message).toMatch(/international format/);
  });
});
