import { z } from "zod";

/** Secrets the admin enters once; they are stored encrypted and never shown again. */
export const ZENDESK_SECRET_FIELDS = ["sharedSecret", "apiKeySecret", "webhookSecretKey", "signingSecret"] as const;
export type ZendeskSecretField = (typeof ZENDESK_SECRET_FIELDS)[number];
/** signingSecret is optional: Zendesk only signs status webhooks when the admin sets it up. */
export const REQUIRED_ZENDESK_SECRETS: readonly ZendeskSecretField[] = ["sharedSecret", "apiKeySecret", "webhookSecretKey"];

export const DEFAULT_STATUS_HEADER_NAME = "X-API-Key";
export const DEFAULT_SWITCHBOARD_TARGET = "zd-agentWorkspace";

/**
 * Accepts what admins paste: `acme`, `acme.zendesk.com`, `https://acme.zendesk.com/`,
 * even `https://acme.zendesk.com/agent/tickets/1`, and yields `acme`.
 */
export function normalizeSubdomain(input: string): string {
  let value = input.trim().toLowerCase();
  value = value.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  value = value.split(/[/?#]/, 1)[0] ?? "";
  value = value.replace(/:\d+$/, "").trim();
  return value.endsWith(".zendesk.com") ? value.slice(0, -".zendesk.com".length) : value;
}

const trimmed = z.string().trim();

const objectId = (label: string) =>
  trimmed
    .min(1, `${label} is required`)
    .regex(/^[0-9a-f]{24}$/i, `${label} is 24 characters, 0-9 and a-f, as shown in Admin Center`);

const subdomain = z
  .string()
  .transform(normalizeSubdomain)
  .pipe(
    z
      .string()
      .min(1, "Zendesk subdomain is required")
      .max(63, "A subdomain has at most 63 characters")
      .regex(
        /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
        "Enter your subdomain, e.g. acme for acme.zendesk.com (letters, digits and hyphens)",
      ),
  );

const apiKeyId = trimmed
  .min(1, "API key ID is required")
  .max(100, "API key ID is too long")
  .regex(
    /^(int|app)_[A-Za-z0-9]+$/,
    "API key IDs start with int_ (Conversations integration key) or app_; the Integration ID is not an API key ID",
  );

const headerName = trimmed
  .min(1, "Header name is required")
  .max(100, "Header name is too long")
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "A header name has no spaces or special characters, e.g. X-API-Key");

const switchboardTarget = trimmed
  .min(1, "Switchboard target is required")
  .max(100, "Switchboard target is too long")
  .regex(/^[\w:.-]+$/, "Use the switchboard integration name or type, e.g. zd-agentWorkspace");

const secret = (label: string) => trimmed.max(1000, `${label} is too long`).default("");

const fields = {
  appId: objectId("App ID"),
  integrationId: objectId("Integration ID"),
  webhookId: objectId("Webhook ID"),
  apiKeyId,
  subdomain,
  statusAuthHeaderName: headerName.default(DEFAULT_STATUS_HEADER_NAME),
  switchboardTarget: switchboardTarget.default(DEFAULT_SWITCHBOARD_TARGET),
  sharedSecret: secret("Shared secret"),
  apiKeySecret: secret("API key secret"),
  webhookSecretKey: secret("Webhook secret key"),
  signingSecret: secret("Signing secret"),
};

const requiredMessages: Record<ZendeskSecretField, string> = {
  sharedSecret: "Shared secret is required",
  apiKeySecret: "API key secret is required",
  webhookSecretKey: "Webhook secret key is required",
  signingSecret: "Signing secret is required",
};

/**
 * One schema for the form and the server. `connect` needs every required secret; `update`
 * treats a blank secret as "keep the stored one".
 */
export function zendeskConnectionSchema(mode: "connect" | "update") {
  return z.object(fields).superRefine((value, ctx) => {
    if (mode !== "connect") return;
    for (const name of REQUIRED_ZENDESK_SECRETS) {
      if (!value[name]) ctx.addIssue({ code: "custom", path: [name], message: requiredMessages[name] });
    }
  });
}

export const zendeskConnectInput = zendeskConnectionSchema("connect");
export const zendeskUpdateInput = zendeskConnectionSchema("update");
export type ZendeskConnectionFormInput = z.input<typeof zendeskConnectInput>;
export type ZendeskConnectionValues = z.output<typeof zendeskConnectInput>;

/** What leaves the server about a connection: never a secret, never ciphertext. */
export const zendeskConnectionView = z.object({
  projectId: z.string(),
  connected: z.boolean(),
  settings: z
    .object({
      appId: z.string(),
      integrationId: z.string(),
      webhookId: z.string(),
      apiKeyId: z.string(),
      subdomain: z.string(),
      statusAuthHeaderName: z.string(),
      switchboardTarget: z.string(),
    })
    .nullable(),
  secretsSet: z.object({
    sharedSecret: z.boolean(),
    apiKeySecret: z.boolean(),
    webhookSecretKey: z.boolean(),
    signingSecret: z.boolean(),
  }),
  /** ISO-8601; JSON carries no dates. */
  connectedAt: z.iso.datetime().nullable(),
  connectedBy: z.object({ name: z.string(), email: z.string() }).nullable(),
  webhookUrls: z.object({ events: z.string(), status: z.string() }),
});
export type ZendeskConnectionView = z.infer<typeof zendeskConnectionView>;

/** The two URLs an admin pastes into Zendesk Admin Center. */
export function zendeskWebhookUrls(publicBaseUrl: string, projectId: string) {
  const base = `${publicBaseUrl.replace(/\/+$/, "")}/handoff/webhooks/zendesk/PLATFORM/${encodeURIComponent(projectId)}/live`;
  return { events: `${base}/events`, status: `${base}/status` };
}
