import { smsConnectionView } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { removeSms } from "./sms-service.ts";

export const disconnectSms = projectProcedure(["admin"])
  .output(smsConnectionView)
  .mutation(({ ctx }) => removeSms(ctx.services, ctx.user.id, ctx.projectId));
