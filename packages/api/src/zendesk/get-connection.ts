import { zendeskConnectionView } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { getConnectionView } from "./connection-service.ts";

export const getConnection = projectProcedure(["admin", "designer"])
  .output(zendeskConnectionView)
  .query(({ ctx }) => getConnectionView(ctx.services, ctx.projectId));
