import type { AppRecord, DefaultResponder, StatusWebhookRecord, SwitchboardIntegrationRecord, WebhookVersion } from "../state/model.ts";
import { hexSecret, secret, sunshineId, ulid } from "../util/ids.ts";

/** The triggers the hand-off needs (PROTOCOL §1.3), subscribed on a fresh demo webhook. */
export const DEFAULT_TRIGGERS = [
  "conversation:message",
  "conversation:typing",
  "switchboard:passControl",
  "switchboard:passControl:failure",
  "switchboard:releaseControl",
  "conversation:remove",
];

export const AGENT_WORKSPACE_NAME = "zd-agentWorkspace";
export const ANSWER_BOT_NAME = "zd-answerBot";

export interface SetupInput {
  /** Target of the Conversations integration webhook. */
  eventsUrl?: string;
  /** Target of the Zendesk "Status changed" events webhook. */
  statusUrl?: string;
  /** Header carrying the status webhook's API key. Default `X-API-Key`. */
  statusHeaderName?: string;
  /** Sign status webhook calls (`x-zendesk-webhook-signature`). Default true. */
  signing?: boolean;
  webhookVersion?: WebhookVersion;
  triggers?: string[];
  includeFullUser?: boolean;
  includeFullSource?: boolean;
  /** Who controls new conversations. Default Agent Workspace, the usual Zendesk set-up. */
  defaultResponder?: DefaultResponder;
  /** Add the `zd-answerBot` switchboard integration (AW's next). Default true. */
  answerBot?: boolean;
  /** Zendesk's Multi-conversations setting. Default false, as in a new account. */
  multiConversations?: boolean;
}

export function createDemoApp(input: SetupInput): AppRecord {
  const integrationId = sunshineId();
  const awIntegrationId = sunshineId();
  const aw: SwitchboardIntegrationRecord = {
    id: sunshineId(),
    name: AGENT_WORKSPACE_NAME,
    integrationId: awIntegrationId,
    integrationType: "zd:agentWorkspace",
    deliverStandbyEvents: false,
    nextSwitchboardIntegrationId: null,
    messageHistoryCount: null,
  };
  const switchboardIntegrations = [aw];
  if (input.answerBot !== false) {
    const bot: SwitchboardIntegrationRecord = {
      id: sunshineId(),
      name: ANSWER_BOT_NAME,
      integrationId: sunshineId(),
      integrationType: "zd:answerBot",
      deliverStandbyEvents: false,
      nextSwitchboardIntegrationId: aw.id,
      messageHistoryCount: null,
    };
    aw.nextSwitchboardIntegrationId = bot.id;
    switchboardIntegrations.push(bot);
  }
  const responder = input.defaultResponder ?? AGENT_WORKSPACE_NAME;
  const defaultIntegration = responder === "none" ? undefined : switchboardIntegrations.find((s) => s.name === responder);

  return {
    id: sunshineId(),
    subdomain: "sandbox",
    accountId: 10_000_000 + Math.floor(Math.random() * 89_999_999),
    multiConversations: input.multiConversations ?? false,
    customIntegration: { id: integrationId, displayName: "AI agent hand-off" },
    apiKeys: [
      { id: `int_${sunshineId()}`, secret: secret(), scope: "integration", integrationId },
      { id: `app_${sunshineId()}`, secret: secret(), scope: "app" },
    ],
    webhook: {
      id: sunshineId(),
      target: input.eventsUrl ?? "",
      secret: hexSecret(16),
      triggers: input.triggers ?? [...DEFAULT_TRIGGERS],
      version: input.webhookVersion ?? "v2",
      includeFullUser: input.includeFullUser ?? false,
      includeFullSource: input.includeFullSource ?? false,
    },
    statusWebhook: makeStatusWebhook(input),
    switchboard: { id: sunshineId(), enabled: true, defaultSwitchboardIntegrationId: defaultIntegration?.id ?? null },
    switchboardIntegrations,
  };
}

export function makeStatusWebhook(input: Pick<SetupInput, "statusUrl" | "statusHeaderName" | "signing">): StatusWebhookRecord {
  return {
    id: ulid(),
    target: input.statusUrl ?? "",
    auth: { type: "api_key", headerName: input.statusHeaderName ?? "X-API-Key", value: secret() },
    signingSecret: input.signing === false ? null : secret(32),
  };
}

/** Everything a client needs to talk to the demo app, secrets included. */
export interface SetupResult {
  appId: string;
  subdomain: string;
  accountId: number;
  /** Base URL for the REST API, the stand-in for `https://{subdomain}.zendesk.com/sc`. */
  apiUrl: string;
  integrationId: string;
  webhookId: string;
  webhookSecret: string;
  webhookVersion: WebhookVersion;
  triggers: string[];
  eventsUrl: string;
  apiKeyId: string;
  apiKeySecret: string;
  appKeyId: string;
  appKeySecret: string;
  statusWebhookId: string;
  statusUrl: string;
  statusHeaderName: string;
  statusHeaderValue: string;
  signingSecret: string | null;
  switchboardId: string;
  switchboardIntegrations: { id: string; name: string; integrationType: string }[];
}

export function describeApp(app: AppRecord, baseUrl: string): SetupResult {
  const intKey = app.apiKeys.find((k) => k.scope === "integration")!;
  const appKey = app.apiKeys.find((k) => k.scope === "app")!;
  return {
    appId: app.id,
    subdomain: app.subdomain,
    accountId: app.accountId,
    apiUrl: `${baseUrl}/sc`,
    integrationId: app.customIntegration.id,
    webhookId: app.webhook.id,
    webhookSecret: app.webhook.secret,
    webhookVersion: app.webhook.version,
    triggers: [...app.webhook.triggers],
    eventsUrl: app.webhook.target,
    apiKeyId: intKey.id,
    apiKeySecret: intKey.secret,
    appKeyId: appKey.id,
    appKeySecret: appKey.secret,
    statusWebhookId: app.statusWebhook?.id ?? "",
    statusUrl: app.statusWebhook?.target ?? "",
    statusHeaderName: app.statusWebhook?.auth.headerName ?? "",
    statusHeaderValue: app.statusWebhook?.auth.value ?? "",
    signingSecret: app.statusWebhook?.signingSecret ?? null,
    switchboardId: app.switchboard.id,
    switchboardIntegrations: app.switchboardIntegrations.map((s) => ({ id: s.id, name: s.name, integrationType: s.integrationType })),
  };
}
