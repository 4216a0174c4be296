import { z } from "zod";
import { publicProcedure } from "../trpc.ts";
import { deleteSession } from "./session-service.ts";

export const signOut = publicProcedure
  .input(z.void())
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    if (ctx.sessionTokenHash) await deleteSession(ctx.services.db.prisma, ctx.sessionTokenHash);
    ctx.transport.clearSessionToken();
    return { ok: true as const };
  });
