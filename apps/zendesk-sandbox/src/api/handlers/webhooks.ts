import { notFound } from "../../domain/errors.ts";
import type { AppRecord, ConversationsWebhookRecord } from "../../state/model.ts";
import type { Caller } from "../auth.ts";
import { ok, type ApiHandler } from "../handler-types.ts";

export function webhookHandlers(): Record<string, ApiHandler> {
  return {
    ListWebhooks: ({ app, params, caller }) => {
      requireIntegration(app, caller, params.integrationId!);
      return ok({ webhooks: [presentWebhook(app.webhook)] });
    },
    GetWebhook: ({ app, params, caller }) => {
      requireIntegration(app, caller, params.integrationId!);
      if (params.webhookId !== app.webhook.id) throw notFound("webhook_not_found", "Webhook not found");
      return ok({ webhook: presentWebhook(app.webhook) });
    },
  };
}

/** An integration key sees only its own integration's webhooks (spec, OAuth/Webhooks notes). */
function requireIntegration(app: AppRecord, caller: Caller, integrationId: string): void {
  const known = integrationId === app.customIntegration.id;
  const visible = caller.key.scope === "app" || caller.key.integrationId === integrationId;
  if (!known || !visible) throw notFound("integration_not_found", "Integration not found");
}

function presentWebhook(webhook: ConversationsWebhookRecord): Record<string, unknown> {
  return {
    id: webhook.id,
    version: webhook.version,
    target: webhook.target,
    triggers: [...webhook.triggers],
    secret: webhook.secret,
    includeFullUser: webhook.includeFullUser,
    includeFullSource: webhook.includeFullSource,
  };
}
