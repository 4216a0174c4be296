import { smsConnectionView } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { getSmsView } from "./sms-service.ts";

export const getSmsConnection = projectProcedure(["admin", "designer"])
  .output(smsConnectionView)
  .query(({ ctx }) => getSmsView(ctx.services, ctx.projectId));
