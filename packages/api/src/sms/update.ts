import { smsConnectionView, smsUpdateInput } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { saveSms } from "./sms-service.ts";

export const updateSms = projectProcedure(["admin"])
  .input(smsUpdateInput)
  .output(smsConnectionView)
  .mutation(({ ctx, input }) => {
    const { projectId: _projectId, ...values } = input;
    return saveSms(ctx.services, ctx.user.id, ctx.projectId, values, "update");
  });
