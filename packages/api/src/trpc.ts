import { initTRPC, TRPCError } from "@trpc/server";
import { projectIdSchema, type Role } from "@zm/contracts";
import { z } from "zod";
import type { Context } from "./context.ts";
import { validationErrorsOf } from "./validation-errors.ts";

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    // Only refused input is explained field by field; a failed output check is an internal error.
    const zodError = error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError ? validationErrorsOf(error.cause) : null;
    // Internal errors keep their detail in the server log, never in the response.
    const message = error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on our side" : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, zodError } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const projectInput = z.object({ projectId: projectIdSchema });

/**
 * A procedure on one project. Non-members get NOT_FOUND (a project's existence is not
 * disclosed); members without one of `roles` get FORBIDDEN.
 */
export function projectProcedure(roles: readonly Role[]) {
  return authedProcedure.input(projectInput).use(async ({ ctx, input, next }) => {
    const membership = await ctx.services.db.prisma.membership.findUnique({
      where: { userId_projectId: { userId: ctx.user.id, projectId: input.projectId } },
      select: { role: true },
    });
    if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found" });
    const role = membership.role as Role;
    if (!roles.includes(role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${roles.join(" or ")} role on the project` });
    }
    return next({ ctx: { ...ctx, role, projectId: input.projectId } });
  });
}
