import { zendeskConnectionView, zendeskUpdateInput } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { updateZendesk } from "./connection-service.ts";

export const update = projectProcedure(["admin"])
  .input(zendeskUpdateInput)
  .output(z.object({ view: zendeskConnectionView, changed: z.array(z.string()) }))
  .mutation(({ ctx, input }) => {
    const { projectId: _projectId, ...values } = input;
    return updateZendesk(ctx.services, ctx.user.id, ctx.projectId, values);
  });
