import { forbidden, notFound } from "../../domain/errors.ts";
import { presentSwitchboardIntegration } from "../../domain/presenters.ts";
import type { ConversationRecord, Metadata } from "../../state/model.ts";
import type { Caller } from "../auth.ts";
import { ok, type ApiHandler, type ApiServices } from "../handler-types.ts";

type ControlBody = { switchboardIntegration?: string; metadata?: Metadata } | undefined;

export function switchboardHandlers({ sunshine }: ApiServices): Record<string, ApiHandler> {
  return {
    PassControl: ({ app, params, body }) => {
      const input = body as ControlBody;
      sunshine.passControl(app, sunshine.getConversation(app, params.conversationId!), input?.switchboardIntegration ?? "", input?.metadata ?? {});
      return ok({});
    },
    OfferControl: ({ app, params, body }) => {
      const input = body as ControlBody;
      sunshine.offerControl(app, sunshine.getConversation(app, params.conversationId!), input?.switchboardIntegration ?? "", input?.metadata ?? {});
      return ok({});
    },
    ReleaseControl: ({ app, params, body, caller }) => {
      const conversation = sunshine.getConversation(app, params.conversationId!);
      // Integration scope may only release a conversation its own integration controls (spec ReleaseControl).
      if (!controls(caller, app.switchboardIntegrations, conversation.activeSwitchboardIntegrationId)) throw forbidden();
      sunshine.releaseControl(app, conversation, (body as ControlBody)?.metadata ?? {});
      return ok({});
    },
    AcceptControl: ({ app, params, body, caller }) => {
      const conversation = sunshine.getConversation(app, params.conversationId!);
      // Integration scope may only accept control offered to its own integration (spec AcceptControl).
      if (!controls(caller, app.switchboardIntegrations, conversation.pendingSwitchboardIntegrationId)) throw forbidden();
      sunshine.acceptControl(app, conversation, (body as ControlBody)?.metadata ?? {});
      return ok({});
    },
    ListSwitchboards: ({ app }) => ok({ switchboards: [{ ...app.switchboard }] }),
    ListSwitchboardIntegrations: ({ app, params }) => {
      if (params.switchboardId !== app.switchboard.id) throw notFound("switchboard_not_found", "Switchboard not found");
      return ok({ switchboardIntegrations: app.switchboardIntegrations.map(presentSwitchboardIntegration) });
    },
  };
}

function controls(caller: Caller, integrations: { id: string; integrationId: string }[], switchboardIntegrationId: ConversationRecord["activeSwitchboardIntegrationId"]): boolean {
  if (caller.key.scope === "app") return true;
  const integration = integrations.find((s) => s.id === switchboardIntegrationId);
  return integration !== undefined && integration.integrationId === caller.key.integrationId;
}
