import { roleSchema } from "@zm/contracts";
import { z } from "zod";
import { publicProcedure } from "../trpc.ts";

export const meOutput = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  projects: z.array(z.object({ id: z.string(), name: z.string(), role: roleSchema })),
});

export const me = publicProcedure
  .input(z.void())
  .output(meOutput)
  .query(async ({ ctx }) => {
    if (!ctx.user) return { user: null, projects: [] };
    const memberships = await ctx.services.db.prisma.membership.findMany({
      where: { userId: ctx.user.id },
      select: { role: true, project: { select: { id: true, name: true } } },
      orderBy: { project: { name: "asc" } },
    });
    return {
      user: ctx.user,
      projects: memberships.map((m) => ({ ...m.project, role: roleSchema.parse(m.role) })),
    };
  });
