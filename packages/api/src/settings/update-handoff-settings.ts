import { handoffSettingsInput, handoffSettingsView } from "@zm/contracts";
import { z } from "zod";
import { projectProcedure } from "../trpc.ts";
import { saveHandoffSettings } from "./handoff-settings-service.ts";

export const updateHandoffSettings = projectProcedure(["admin"])
  .input(handoffSettingsInput)
  .output(z.object({ settings: handoffSettingsView, changed: z.array(z.string()) }))
  .mutation(({ ctx, input }) => {
    const { projectId: _projectId, ...values } = input;
    return saveHandoffSettings(ctx.services, ctx.user.id, ctx.projectId, values);
  });
