import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, PROJECT, type Harness } from "../test/harness.ts";
import { createSession, hashSessionToken, userForSessionToken } from "./session-service.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("sign-in", () => {
  it("signs in with the right password and sets a session token", async () => {
    h.transportLog.length = 0;
    const out = await h.callerFor(null).auth.signIn({ email: " U-ADMIN@example.test ", password: "correct horse battery staple" });
    expect(out.user.id).toBe("u-admin");
    expect(h.transportLog).toEqual(["set:43"]);
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const wrong = await h.callerFor(null).auth.signIn({ email: "u-admin@example.test", password: "nope" }).catch((e) => e);
    const unknown = await h.callerFor(null).auth.signIn({ email: "ghost@example.test", password: "nope" }).catch((e) => e);
    expect(wrong).toBeInstanceOf(TRPCError);
    expect([wrong.code, wrong.message]).toEqual([unknown.code, unknown.message]);
    expect(wrong.code).toBe("UNAUTHORIZED");
  });

  it("rate-limits repeated failures for one account", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const err = await h.callerFor(null).auth.signIn({ email: "u-designer@example.test", password: `bad-${i}` }).catch((e) => e);
      codes.push(err.code);
    }
    expect(codes.slice(0, 8).every((c) => c === "UNAUTHORIZED")).toBe(true);
    expect(codes.slice(8)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
  });

  it("lists the projects and roles of the signed-in user", async () => {
    expect(await h.callerFor(h.users.designer).auth.me()).toEqual({
      user: h.users.designer,
      projects: [{ id: PROJECT, name: "Demo", role: "designer" }],
    });
    expect(await h.callerFor(null).auth.me()).toEqual({ user: null, projects: [] });
  });
});

describe("sessions", () => {
  it("resolves a live token, not an expired one, and forgets it after sign-out", async () => {
    const prisma = h.services.db.prisma;
    const { token } = await createSession(prisma, "u-admin");
    expect((await userForSessionToken(prisma, token))?.user.id).toBe("u-admin");
    expect(await userForSessionToken(prisma, token, new Date(Date.now() + 8 * 86400_000))).toBeNull();
    h.transportLog.length = 0;
    await h.callerFor(h.users.admin, hashSessionToken(token)).auth.signOut();
    expect(h.transportLog).toEqual(["clear"]);
    expect(await userForSessionToken(prisma, token)).toBeNull();
  });
});
