import { TRPCError } from "@trpc/server";
import {
  ZENDESK_SECRET_FIELDS,
  zendeskWebhookUrls,
  type ZendeskConnectionValues,
  type ZendeskConnectionView,
} from "@zm/contracts";
import type { Services } from "../services.ts";

export async function getConnectionView(services: Services, projectId: string): Promise<ZendeskConnectionView> {
  const stored = await services.zendeskConnections.get(projectId);
  const set = new Set<string>(stored?.secretNames ?? []);
  return {
    projectId,
    connected: stored !== null,
    settings: stored?.settings ?? null,
    secretsSet: {
      sharedSecret: set.has("sharedSecret"),
      apiKeySecret: set.has("apiKeySecret"),
      webhookSecretKey: set.has("webhookSecretKey"),
      signingSecret: set.has("signingSecret"),
    },
    connectedAt: stored?.connectedAt.toISOString() ?? null,
    connectedBy: stored?.connectedBy ?? null,
    webhookUrls: zendeskWebhookUrls(services.publicBaseUrl, projectId),
  };
}

function split(values: ZendeskConnectionValues) {
  const { sharedSecret, apiKeySecret, webhookSecretKey, signingSecret, ...settings } = values;
  return { settings, secrets: { sharedSecret, apiKeySecret, webhookSecretKey, signingSecret } };
}

export async function connectZendesk(
  services: Services,
  actorUserId: string,
  projectId: string,
  values: ZendeskConnectionValues,
) {
  if (await services.zendeskConnections.get(projectId)) {
    throw new TRPCError({ code: "CONFLICT", message: "Zendesk Messaging is already connected; edit it instead" });
  }
  const { settings, secrets } = split(values);
  await services.zendeskConnections.save(projectId, actorUserId, settings, secrets, "zendesk.connect");
  services.onZendeskConnectionChanged?.(projectId);
  return getConnectionView(services, projectId);
}

export async function updateZendesk(
  services: Services,
  actorUserId: string,
  projectId: string,
  values: ZendeskConnectionValues,
) {
  if (!(await services.zendeskConnections.get(projectId))) {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Zendesk Messaging is not connected yet" });
  }
  const { settings, secrets } = split(values);
  const changed = await services.zendeskConnections.save(projectId, actorUserId, settings, secrets, "zendesk.update");
  services.onZendeskConnectionChanged?.(projectId);
  return { view: await getConnectionView(services, projectId), changed };
}

export async function disconnectZendesk(services: Services, actorUserId: string, projectId: string) {
  const removed = await services.zendeskConnections.remove(projectId, actorUserId);
  services.onZendeskConnectionChanged?.(projectId);
  if (!removed) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Zendesk Messaging is not connected" });
  return getConnectionView(services, projectId);
}

export const SECRET_FIELDS = ZENDESK_SECRET_FIELDS;
