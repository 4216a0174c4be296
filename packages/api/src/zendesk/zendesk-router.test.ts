import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, PROJECT, SECRET_VALUES, validConnection, type Harness } from "../test/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.services.db.prisma.zendeskConnection.deleteMany({});
  await h.services.db.prisma.secret.deleteMany({});
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

const connectAsAdmin = () => h.callerFor(h.users.admin).zendesk.connect(validConnection);

describe("authorisation matrix", () => {
  type Who = "admin" | "designer" | "outsider" | "signedOut";
  const userOf = (who: Who) => (who === "signedOut" ? null : h.users[who]);
  const procedures = {
    getConnection: (who: Who) => h.callerFor(userOf(who)).zendesk.getConnection({ projectId: PROJECT }),
    connect: (who: Who) => h.callerFor(userOf(who)).zendesk.connect(validConnection),
    update: async (who: Who) => {
      await connectAsAdmin();
      return h.callerFor(userOf(who)).zendesk.update({ ...validConnection, sharedSecret: "" });
    },
    disconnect: async (who: Who) => {
      await connectAsAdmin();
      return h.callerFor(userOf(who)).zendesk.disconnect({ projectId: PROJECT });
    },
    testConnection: async (who: Who) => {
      await connectAsAdmin();
      return h.callerFor(userOf(who)).zendesk.testConnection({ projectId: PROJECT });
    },
  };
  const expected: Record<keyof typeof procedures, Record<Who, string>> = {
    getConnection: { admin: "OK", designer: "OK", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" },
    connect: { admin: "OK", designer: "FORBIDDEN", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" },
    update: { admin: "OK", designer: "FORBIDDEN", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" },
    disconnect: { admin: "OK", designer: "FORBIDDEN", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" },
    testConnection: { admin: "OK", designer: "FORBIDDEN", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" },
  };
  for (const [name, row] of Object.entries(expected)) {
    for (const [who, code] of Object.entries(row)) {
      it(`${name} as ${who} → ${code}`, async () => {
        const call = procedures[name as keyof typeof procedures];
        expect(await codeOf(call(who as Who))).toBe(code);
      });
    }
  }

  it("refuses changes by a designer without touching the stored connection", async () => {
    await connectAsAdmin();
    await codeOf(h.callerFor(h.users.designer).zendesk.update({ ...validConnection, subdomain: "evil" }));
    const view = await h.callerFor(h.users.admin).zendesk.getConnection({ projectId: PROJECT });
    expect(view.settings?.subdomain).toBe("acme");
  });
});

describe("connect, update, disconnect", () => {
  it("normalises the subdomain and reports which secrets are set, never their values", async () => {
    const view = await connectAsAdmin();
    expect(view.connected).toBe(true);
    expect(view.settings).toMatchObject({ subdomain: "acme", statusAuthHeaderName: "X-API-Key", switchboardTarget: "zd-agentWorkspace" });
    expect(view.secretsSet).toEqual({ sharedSecret: true, apiKeySecret: true, webhookSecretKey: true, signingSecret: false });
    expect(view.connectedBy).toEqual({ name: "Ada Admin", email: "u-admin@example.test" });
    expect(view.webhookUrls).toEqual({
      events: `https://studio.example.test/handoff/webhooks/zendesk/PLATFORM/${PROJECT}/live/events`,
      status: `https://studio.example.test/handoff/webhooks/zendesk/PLATFORM/${PROJECT}/live/status`,
    });
  });

  it("keeps stored secrets when an update leaves them blank", async () => {
    await connectAsAdmin();
    const { changed } = await h.callerFor(h.users.admin).zendesk.update({
      ...validConnection,
      integrationId: "aaaaaaaaaaaaaaaaaaaaaaaa",
      sharedSecret: "",
      apiKeySecret: "",
      webhookSecretKey: "",
    });
    expect(changed).toEqual(["integrationId"]);
    const creds = await h.services.zendeskConnections.credentials(PROJECT);
    expect(creds).toMatchObject({
      integrationId: "aaaaaaaaaaaaaaaaaaaaaaaa",
      sharedSecret: validConnection.sharedSecret,
      apiKeySecret: validConnection.apiKeySecret,
      webhookSecretKey: validConnection.webhookSecretKey,
      signingSecret: null,
    });
  });

  it("replaces a secret that is given again", async () => {
    await connectAsAdmin();
    const { changed } = await h.callerFor(h.users.admin).zendesk.update({ ...validConnection, sharedSecret: " new-shared " });
    expect(changed).toContain("sharedSecret");
    expect((await h.services.zendeskConnections.credentials(PROJECT))?.sharedSecret).toBe("new-shared");
  });

  it("refuses a connect without secrets, naming each field", async () => {
    const err = await h
      .callerFor(h.users.admin)
      .zendesk.connect({ ...validConnection, sharedSecret: "", apiKeySecret: "  " })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect((err as TRPCError).message).toMatch(/Shared secret is required/);
    expect((err as TRPCError).message).toMatch(/API key secret is required/);
  });

  it("refuses a second connect and an update before connecting", async () => {
    expect(await codeOf(h.callerFor(h.users.admin).zendesk.update(validConnection))).toBe("PRECONDITION_FAILED");
    await connectAsAdmin();
    expect(await codeOf(connectAsAdmin())).toBe("CONFLICT");
  });

  it("Test connection reports an unreachable Zendesk as a failed check with a fix, and needs a connection", async () => {
    const admin = h.callerFor(h.users.admin);
    expect(await codeOf(admin.zendesk.testConnection({ projectId: PROJECT }))).toBe("PRECONDITION_FAILED");
    await connectAsAdmin();
    const report = await admin.zendesk.testConnection({ projectId: PROJECT });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: "credentials", ok: false, fix: expect.any(String) });
    expect(JSON.stringify(report)).not.toContain(validConnection.apiKeySecret);
  });

  it("disconnect removes settings and secrets", async () => {
    await connectAsAdmin();
    const view = await h.callerFor(h.users.admin).zendesk.disconnect({ projectId: PROJECT });
    expect(view.connected).toBe(false);
    expect(await h.services.db.prisma.secret.count()).toBe(0);
  });

  it("audits who changed which fields, never values", async () => {
    await connectAsAdmin();
    await h.callerFor(h.users.admin).zendesk.update({ ...validConnection, subdomain: "other", sharedSecret: "" });
    await h.callerFor(h.users.admin).zendesk.disconnect({ projectId: PROJECT });
    const log = await h.services.db.prisma.auditLog.findMany({ orderBy: { createdAt: "asc" } });
    expect(log.map((l) => [l.action, l.actorUserId])).toEqual([
      ["zendesk.connect", "u-admin"],
      ["zendesk.update", "u-admin"],
      ["zendesk.disconnect", "u-admin"],
    ]);
    expect(log[0]!.fields).toEqual(expect.arrayContaining(["appId", "subdomain", "sharedSecret", "apiKeySecret"]));
    expect(log[1]!.fields).toEqual(["subdomain"]);
    expect(JSON.stringify(log)).not.toMatch(/SECRET/);
  });

  it("never returns a secret or ciphertext from any procedure", async () => {
    const admin = h.callerFor(h.users.admin);
    const outputs = [
      await admin.zendesk.connect(validConnection),
      await admin.zendesk.getConnection({ projectId: PROJECT }),
      await admin.zendesk.update({ ...validConnection, sharedSecret: "" }),
      await h.callerFor(h.users.designer).zendesk.getConnection({ projectId: PROJECT }),
      await admin.auth.me(),
    ];
    const text = JSON.stringify(outputs);
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
    const cipher = await h.services.db.prisma.secret.findMany({ select: { ciphertext: true } });
    for (const c of cipher) expect(text).not.toContain(Buffer.from(c.ciphertext).toString("base64"));
    expect(text).not.toMatch(/ciphertext|keyId/);
  });

  it("leaves no plaintext secret in any database row", async () => {
    await connectAsAdmin();
    const tables = await h.services.db.sql.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`,
    );
    for (const { tablename } of tables) {
      const rows = await h.services.db.sql.query(`SELECT * FROM "${tablename}"`);
      const dump = JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v));
      for (const secret of SECRET_VALUES) expect(dump, `table ${tablename}`).not.toContain(secret);
    }
  });
});
