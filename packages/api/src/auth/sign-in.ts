import { TRPCError } from "@trpc/server";
import { emailSchema } from "@zm/contracts";
import { z } from "zod";
import { publicProcedure } from "../trpc.ts";
import { decoyHash, verifyPassword } from "./password.ts";
import { createSession } from "./session-service.ts";

export const signInInput = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200, "Password is too long"),
});
export const signInOutput = z.object({ user: z.object({ id: z.string(), email: z.string(), name: z.string() }) });

// Per address and per account, so one attacker can't lock out everyone and nobody can
// brute-force one account from many addresses.
const LIMITS = { perIp: { limit: 20, windowMs: 60_000 }, perEmail: { limit: 8, windowMs: 15 * 60_000 } };

export const signIn = publicProcedure
  .input(signInInput)
  .output(signInOutput)
  .mutation(async ({ ctx, input }) => {
    const { rateLimiter, db } = ctx.services;
    const byIp = await rateLimiter.hit(`signin:ip:${ctx.transport.clientIp}`, LIMITS.perIp.limit, LIMITS.perIp.windowMs);
    const byEmail = await rateLimiter.hit(`signin:email:${input.email}`, LIMITS.perEmail.limit, LIMITS.perEmail.windowMs);
    if (!byIp.allowed || !byEmail.allowed) {
      const seconds = Math.ceil(Math.max(byIp.retryAfterMs, byEmail.retryAfterMs) / 1000);
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many sign-in attempts. Try again in ${seconds} s.` });
    }
    const user = await db.prisma.user.findUnique({
      where: { email: input.email },
      select: { id: true, email: true, name: true, passwordHash: true },
    });
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) throw new TRPCError({ code: "UNAUTHORIZED", message: "Email or password is incorrect" });
    await rateLimiter.reset(`signin:email:${input.email}`);
    const session = await createSession(db.prisma, user.id, ctx.services.now?.());
    ctx.transport.setSessionToken(session.token, session.expiresAt);
    return { user: { id: user.id, email: user.email, name: user.name } };
  });
