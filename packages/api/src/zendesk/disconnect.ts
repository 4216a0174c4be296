import { zendeskConnectionView } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { disconnectZendesk } from "./connection-service.ts";

export const disconnect = projectProcedure(["admin"])
  .output(zendeskConnectionView)
  .mutation(({ ctx }) => disconnectZendesk(ctx.services, ctx.user.id, ctx.projectId));
