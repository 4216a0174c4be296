import { TRPCError } from "@trpc/server";
import type { HandoffSettings, HandoffSettingsView } from "@zm/contracts";
import type { Services } from "../services.ts";

// The project procedure has already found the caller's membership, so a missing project is a race with its deletion.
const projectGone = () => new TRPCError({ code: "NOT_FOUND", message: "Project not found" });

export async function readHandoffSettings(services: Services, projectId: string): Promise<HandoffSettingsView> {
  const settings = await services.projectSettings.getHandoff(projectId);
  if (!settings) throw projectGone();
  return settings;
}

export async function saveHandoffSettings(
  services: Services,
  actorUserId: string,
  projectId: string,
  values: HandoffSettings,
): Promise<{ settings: HandoffSettingsView; changed: string[] }> {
  const result = await services.projectSettings.updateHandoff(projectId, actorUserId, values);
  if (!result) throw projectGone();
  return result;
}
