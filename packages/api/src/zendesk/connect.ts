import { zendeskConnectInput, zendeskConnectionView } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { connectZendesk } from "./connection-service.ts";

export const connect = projectProcedure(["admin"])
  .input(zendeskConnectInput)
  .output(zendeskConnectionView)
  .mutation(({ ctx, input }) => {
    const { projectId: _projectId, ...values } = input;
    return connectZendesk(ctx.services, ctx.user.id, ctx.projectId, values);
  });
