import { SunshineApiError, SunshineTransportError, type SunshineClient } from "./client.ts";

export type ConnectionCheckId = "credentials" | "version" | "triggers" | "target";
export type ConnectionCheck = {
  id: ConnectionCheckId;
  ok: boolean;
  label: string;
  detail: string;
  /** What an admin should do in Zendesk; present on every failing check. */
  fix?: string;
};
export type ConnectionTestResult = { ok: boolean; checks: ConnectionCheck[] };

/** Triggers the hand-off cannot work without (PROTOCOL §1.3 and Appendix A step 2). */
export const REQUIRED_WEBHOOK_TRIGGERS = [
  "conversation:message",
  "conversation:typing",
  "switchboard:passControl",
  "switchboard:releaseControl",
] as const;

const INTEGRATION_PAGE = "Admin Center > Apps and integrations > Integrations > Conversations integrations";

const LABELS: Record<ConnectionCheckId, string> = {
  credentials: "Zendesk accepts the API key and IDs",
  version: "Webhook sends payload version v2",
  triggers: "Webhook is subscribed to the hand-off events",
  target: "Webhook points at this service",
};

/**
 * Checks, with one API call, that an admin's Zendesk set-up will work: the API key is accepted, and
 * the Conversations integration's webhook uses payload v2, is subscribed to the events the hand-off
 * needs, and delivers to `expectedEventsUrl`. Never throws for Zendesk or network failures; each
 * failing check carries a fix the admin can act on.
 */
export async function testConnection(
  client: Pick<SunshineClient, "getWebhook">,
  input: { integrationId: string; webhookId: string; expectedEventsUrl: string },
): Promise<ConnectionTestResult> {
  let webhook: Awaited<ReturnType<SunshineClient["getWebhook"]>>;
  try {
    webhook = await client.getWebhook(input.integrationId, input.webhookId);
  } catch (err) {
    const credentials = credentialsFailure(err, input);
    const skipped = (id: ConnectionCheckId): ConnectionCheck => ({
      id,
      ok: false,
      label: LABELS[id],
      detail: "Skipped: the webhook could not be read, so this was not checked.",
      fix: "Fix the first problem above, then test the connection again.",
    });
    return { ok: false, checks: [credentials, skipped("version"), skipped("triggers"), skipped("target")] };
  }

  const checks: ConnectionCheck[] = [
    {
      id: "credentials",
      ok: true,
      label: LABELS.credentials,
      detail: `Read webhook ${input.webhookId} of integration ${input.integrationId}.`,
    },
    versionCheck(webhook.version),
    triggersCheck(webhook.triggers ?? []),
    targetCheck(webhook.target, input.expectedEventsUrl),
  ];
  return { ok: checks.every((check) => check.ok), checks };
}

function credentialsFailure(
  err: unknown,
  input: { integrationId: string; webhookId: string },
): ConnectionCheck {
  const base = { id: "credentials" as const, ok: false, label: LABELS.credentials };
  if (err instanceof SunshineApiError && (err.status === 401 || err.status === 403)) {
    return {
      ...base,
      detail: `Zendesk refused the API key (HTTP ${err.status} ${err.code}).`,
      fix:
        `In ${INTEGRATION_PAGE}, open your integration, go to its API keys tab and create a key; ` +
        "enter its key ID (it starts with int_, it is not the Integration ID) and its secret here. " +
        "An app key from Admin Center > Apps and integrations > APIs > Conversations API (key ID app_…) also works.",
    };
  }
  if (err instanceof SunshineApiError && err.status === 404) {
    return {
      ...base,
      detail: `Zendesk found no webhook ${input.webhookId} on integration ${input.integrationId} in this app (HTTP 404 ${err.code}).`,
      fix: `In ${INTEGRATION_PAGE}, open your integration and copy its App ID, Integration ID and Webhook ID from the Details tab into these settings.`,
    };
  }
  if (err instanceof SunshineApiError) {
    return {
      ...base,
      detail: `Zendesk answered HTTP ${err.status} ${err.code}${err.title ? `: ${err.title}` : ""}.`,
      fix: err.retryable
        ? "Zendesk is busy or unavailable; wait a minute and test the connection again."
        : "Check the Zendesk subdomain and the App ID, then test the connection again.",
    };
  }
  if (err instanceof SunshineTransportError) {
    return {
      ...base,
      detail: err.kind === "timeout" ? "Zendesk did not answer in time." : "Zendesk could not be reached.",
      fix: "Check the Zendesk subdomain (acme for acme.zendesk.com) and this server's network access, then test again.",
    };
  }
  return {
    ...base,
    detail: `The check failed unexpectedly: ${err instanceof Error ? err.message : String(err)}.`,
    fix: "Test the connection again; if it keeps failing, contact support with this message.",
  };
}

function versionCheck(version: string | undefined): ConnectionCheck {
  if (version === "v2") {
    return { id: "version", ok: true, label: LABELS.version, detail: "The webhook sends v2 payloads." };
  }
  return {
    id: "version",
    ok: false,
    label: LABELS.version,
    detail: `The webhook sends payload version ${version ?? "(not reported)"}; this integration reads only v2.`,
    fix:
      `In ${INTEGRATION_PAGE}, open your integration and set its webhook version to v2. ` +
      "The API cannot change the version of an existing webhook; if no version choice is offered, create a new " +
      "Conversations integration (its webhook is v2) and enter its IDs, shared secret and API key here.",
  };
}

function triggersCheck(triggers: readonly string[]): ConnectionCheck {
  // Trigger names are case-sensitive in Sunshine, so compare them exactly.
  const missing = REQUIRED_WEBHOOK_TRIGGERS.filter((trigger) => !triggers.includes(trigger));
  if (missing.length === 0) {
    return {
      id: "triggers",
      ok: true,
      label: LABELS.triggers,
      detail: `Subscribed to ${REQUIRED_WEBHOOK_TRIGGERS.join(", ")}.`,
    };
  }
  return {
    id: "triggers",
    ok: false,
    label: LABELS.triggers,
    detail: `Missing subscriptions: ${missing.join(", ")}.`,
    fix: `In ${INTEGRATION_PAGE}, open your integration and under Webhook subscriptions also tick ${missing.join(", ")}, then save.`,
  };
}

function targetCheck(target: string | undefined, expected: string): ConnectionCheck {
  const actual = target ?? "";
  if (withoutTrailingSlash(actual) === withoutTrailingSlash(expected)) {
    return { id: "target", ok: true, label: LABELS.target, detail: `Events are delivered to ${expected}.` };
  }
  return {
    id: "target",
    ok: false,
    label: LABELS.target,
    detail: actual ? `Events go to ${actual}, not to ${expected}.` : "The webhook has no endpoint URL.",
    fix: `In ${INTEGRATION_PAGE}, open your integration and set the Webhook endpoint URL to ${expected}, then save.`,
  };
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}
