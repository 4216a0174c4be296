import { TRPCError } from "@trpc/server";
import { smsInboundUrl, type SmsConnectionValues, type SmsConnectionView } from "@zm/contracts";
import type { Services } from "../services.ts";

export async function getSmsView(services: Services, projectId: string): Promise<SmsConnectionView> {
  const stored = await services.smsConnections.get(projectId);
  return {
    projectId,
    connected: stored !== null,
    accountSid: stored?.settings.accountSid ?? null,
    phoneNumber: stored?.settings.phoneNumber ?? null,
    authTokenSet: stored?.authTokenSet ?? false,
    connectedAt: stored?.connectedAt.toISOString() ?? null,
    inboundUrl: smsInboundUrl(services.publicBaseUrl, projectId),
  };
}

export async function saveSms(services: Services, actorUserId: string, projectId: string, values: SmsConnectionValues, mode: "connect" | "update") {
  const existing = await services.smsConnections.get(projectId);
  if (mode === "connect" && existing) throw new TRPCError({ code: "CONFLICT", message: "SMS is already connected; edit it instead" });
  if (mode === "update" && !existing) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "SMS is not connected yet" });
  const { authToken, ...settings } = values;
  await services.smsConnections.save(projectId, actorUserId, settings, authToken || undefined);
  services.onSmsConnectionChanged?.(projectId);
  return getSmsView(services, projectId);
}

export async function removeSms(services: Services, actorUserId: string, projectId: string) {
  if (!(await services.smsConnections.remove(projectId, actorUserId))) {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: "SMS is not connected" });
  }
  services.onSmsConnectionChanged?.(projectId);
  return getSmsView(services, projectId);
}
