import { handoffSettingsView } from "@zm/contracts";
import { projectProcedure } from "../trpc.ts";
import { readHandoffSettings } from "./handoff-settings-service.ts";

export const getHandoffSettings = projectProcedure(["admin", "designer"])
  .output(handoffSettingsView)
  .query(({ ctx }) => readHandoffSettings(ctx.services, ctx.projectId));
