import type { AppRecord, ConversationRecord, MessageRecord, SwitchboardIntegrationRecord, UserRecord } from "../state/model.ts";

/** Converts stored records into the shapes the spec documents for API responses and webhooks. */

export function presentUser(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    ...(user.zendeskId !== undefined ? { zendeskId: user.zendeskId } : {}),
    signedUpAt: user.signedUpAt,
    ...(user.toBeRetained !== undefined ? { toBeRetained: user.toBeRetained } : {}),
    profile: { ...user.profile },
    metadata: { ...user.metadata },
    identities: user.profile.email ? [{ type: "email", value: user.profile.email, verification: "unverified" }] : [],
  };
}

/** The user as embedded in webhook payloads when "include full user" is on. */
export function presentWebhookUser(user: UserRecord): Record<string, unknown> {
  return { ...presentUser(user), authenticated: false };
}

export function presentSwitchboardIntegrationRef(integration: SwitchboardIntegrationRecord | undefined): Record<string, unknown> | undefined {
  if (!integration) return undefined;
  return { id: integration.id, name: integration.name, integrationId: integration.integrationId, integrationType: integration.integrationType };
}

export function presentConversationTruncated(app: AppRecord, conversation: ConversationRecord): Record<string, unknown> {
  const active = app.switchboardIntegrations.find((s) => s.id === conversation.activeSwitchboardIntegrationId);
  const pending = app.switchboardIntegrations.find((s) => s.id === conversation.pendingSwitchboardIntegrationId);
  return {
    id: conversation.id,
    type: conversation.type,
    metadata: { ...conversation.metadata },
    ...(active ? { activeSwitchboardIntegration: presentSwitchboardIntegrationRef(active) } : {}),
    ...(pending ? { pendingSwitchboardIntegration: presentSwitchboardIntegrationRef(pending) } : {}),
  };
}

export function presentConversation(app: AppRecord, conversation: ConversationRecord): Record<string, unknown> {
  return {
    ...presentConversationTruncated(app, conversation),
    isDefault: false,
    ...(conversation.displayName !== undefined ? { displayName: conversation.displayName } : {}),
    ...(conversation.description !== undefined ? { description: conversation.description } : {}),
    ...(conversation.iconUrl !== undefined ? { iconUrl: conversation.iconUrl } : {}),
    lastUpdatedAt: conversation.lastUpdatedAt,
    createdAt: conversation.createdAt,
  };
}

export function presentMessage(message: MessageRecord): Record<string, unknown> {
  return structuredClone(message) as unknown as Record<string, unknown>;
}

export function presentSwitchboardIntegration(integration: SwitchboardIntegrationRecord): Record<string, unknown> {
  return { ...integration };
}

/** A readable name for a message author, as an agent would see it in the ticket. */
export function authorName(message: MessageRecord, user: UserRecord | undefined): string {
  if (message.author.displayName) return message.author.displayName;
  if (message.author.type === "business") return "Business";
  const profileName = [user?.profile.givenName, user?.profile.surname].filter(Boolean).join(" ");
  return profileName || anonymousUserName(message.author.userId ?? "");
}

/** Zendesk names unidentified messaging users after the channel; the id suffix keeps them apart. */
export function anonymousUserName(userId: string): string {
  return `Web User ${userId.slice(-8)}`;
}

/** The plain text an agent sees for a message: its text, or a fallback for media and rich types. */
export function messageText(message: MessageRecord): string {
  const content = message.content;
  if (typeof content.text === "string" && content.text.length > 0) return content.text;
  if (typeof content.htmlText === "string") return content.htmlText.replace(/<[^>]*>/g, "");
  if (typeof content.markdownText === "string") return content.markdownText;
  if (typeof content.mediaUrl === "string") return `[${content.type}] ${String(content.altText ?? content.mediaUrl)}`;
  return `[${content.type} message]`;
}
