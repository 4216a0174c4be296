/** Everything the sandbox remembers; persisted as one JSON document when a data file is set. */

export type Metadata = Record<string, string | number | boolean>;

export type KeyScope = "integration" | "app";

export interface ApiKeyRecord {
  id: string;
  secret: string;
  scope: KeyScope;
  /** Set for integration-scoped keys (`int_…`). */
  integrationId?: string;
}

export type WebhookVersion = "v2" | "v1";

export interface ConversationsWebhookRecord {
  id: string;
  target: string;
  secret: string;
  triggers: string[];
  version: WebhookVersion;
  includeFullUser: boolean;
  includeFullSource: boolean;
}

export interface StatusWebhookRecord {
  id: string;
  target: string;
  auth: { type: "api_key"; headerName: string; value: string };
  signingSecret: string | null;
}

export interface SwitchboardIntegrationRecord {
  id: string;
  name: string;
  integrationId: string;
  integrationType: string;
  deliverStandbyEvents: boolean;
  nextSwitchboardIntegrationId: string | null;
  messageHistoryCount: number | null;
}

export type DefaultResponder = "zd-agentWorkspace" | "zd-answerBot" | "none";

export interface AppRecord {
  id: string;
  subdomain: string;
  /** Zendesk account id carried by the status webhook (`x-zendesk-account-id`, `account_id`). */
  accountId: number;
  multiConversations: boolean;
  customIntegration: { id: string; displayName: string };
  apiKeys: ApiKeyRecord[];
  webhook: ConversationsWebhookRecord;
  statusWebhook: StatusWebhookRecord | null;
  switchboard: { id: string; enabled: boolean; defaultSwitchboardIntegrationId: string | null };
  switchboardIntegrations: SwitchboardIntegrationRecord[];
}

export interface UserProfile {
  givenName?: string;
  surname?: string;
  email?: string;
  avatarUrl?: string;
  locale?: string;
}

export interface UserRecord {
  id: string;
  appId: string;
  externalId?: string;
  zendeskId?: string;
  signedUpAt: string;
  toBeRetained?: boolean;
  profile: UserProfile;
  metadata: Metadata;
}

export interface MessageAuthor {
  type: "user" | "business";
  userId?: string;
  displayName?: string;
  avatarUrl?: string;
  subtypes?: string[];
}

/** A message as the API returns it (the spec's `message` schema). */
export interface MessageRecord {
  id: string;
  received: string;
  author: MessageAuthor;
  content: Record<string, unknown> & { type: string };
  source: { type: string; integrationId?: string };
  metadata?: Metadata;
}

export interface ConversationRecord {
  id: string;
  appId: string;
  type: "personal" | "sdkGroup";
  participantUserIds: string[];
  displayName?: string;
  description?: string;
  iconUrl?: string;
  metadata: Metadata;
  createdAt: string;
  lastUpdatedAt: string;
  activeSwitchboardIntegrationId: string | null;
  pendingSwitchboardIntegrationId: string | null;
  messages: MessageRecord[];
}

export type TicketStatus = "new" | "open" | "pending" | "hold" | "solved" | "closed";
export const TICKET_STATUSES: TicketStatus[] = ["new", "open", "pending", "hold", "solved", "closed"];

export interface TranscriptEntry {
  messageId: string;
  received: string;
  authorType: "user" | "business";
  authorName: string;
  /** `zd:agentWorkspace` for agent replies, `api:conversations` for API posts, and so on. */
  sourceType: string;
  text: string;
  mediaUrl?: string;
}

export interface TicketRecord {
  id: number;
  appId: string;
  conversationId: string;
  status: TicketStatus;
  subject: string;
  description: string;
  requester: { id: number; name: string; email: string | null };
  tags: string[];
  priority: string | null;
  groupId: number | string | null;
  brandId: number | string | null;
  assigneeId: number | string | null;
  organizationId: number | string | null;
  formId: number | string | null;
  customFields: Record<string, string>;
  via: { channel: string; originSourceType: string | null };
  /** Every passControl metadata key, as Agent Workspace received it. */
  handoffMetadata: Metadata;
  createdAt: string;
  updatedAt: string;
  /** False once the messaging session ended (agent ended it, ticket closed, or control left AW). */
  sessionActive: boolean;
  transcript: TranscriptEntry[];
}

export interface AttachmentRecord {
  id: string;
  appId: string;
  fileName: string;
  mediaType: string;
  size: number;
  conversationId?: string;
  base64: string;
}

/** The Twilio account the SMS provider stand-in serves (`AccountSid:AuthToken` is the Basic auth). */
export interface SmsAccountRecord {
  sid: string;
  authToken: string;
  friendlyName: string;
  dateCreated: string;
}

/** A number the project owns; an SMS to it is POSTed to `smsUrl` (Twilio's "A message comes in" URL). */
export interface SmsPhoneNumberRecord {
  sid: string;
  phoneNumber: string;
  smsUrl: string;
  dateCreated: string;
}

export type SmsDirection = "inbound" | "outbound-api" | "outbound-reply";
export type SmsStatus = "queued" | "sent" | "delivered" | "undelivered" | "failed" | "received";

export interface SmsMediaRecord {
  sid: string;
  contentType: string;
  /** Where the product fetches the media: the sandbox's own URL for stored files, or the URL given. */
  url: string;
  /** Set when the sandbox holds the bytes (media attached on the phone); absent for URLs passed through. */
  base64?: string;
}

/** What the call to the number's SMS URL got back. */
export interface SmsWebhookOutcome {
  /** null when the number had no SMS URL, so nothing was called. */
  url: string | null;
  status: number | null;
  error: string | null;
  /** 11200 (HTTP retrieval failure) when the call failed; Twilio does not retry it. */
  errorCode: number | null;
  latencyMs: number;
  time: string;
}

export interface SmsMessageRecord {
  sid: string;
  accountSid: string;
  direction: SmsDirection;
  from: string;
  to: string;
  body: string;
  media: SmsMediaRecord[];
  status: SmsStatus;
  numSegments: number;
  errorCode: number | null;
  errorMessage: string | null;
  statusCallback: string | null;
  /** ISO 8601 in state; the API presents these as RFC 2822. */
  dateCreated: string;
  dateUpdated: string;
  dateSent: string | null;
  /** For inbound messages: the call to the number's SMS URL; null while it is under way. */
  webhook: SmsWebhookOutcome | null;
}

export interface SmsState {
  account: SmsAccountRecord | null;
  numbers: SmsPhoneNumberRecord[];
  /** End-user numbers shown on the phone simulator, in the order they were first used. */
  handsets: string[];
  messages: SmsMessageRecord[];
}

export const DEFAULT_HANDSET = "+15551230001";

export function emptySmsState(): SmsState {
  return { account: null, numbers: [], handsets: [DEFAULT_HANDSET], messages: [] };
}

export interface SandboxState {
  version: 1;
  apps: AppRecord[];
  users: UserRecord[];
  conversations: ConversationRecord[];
  tickets: TicketRecord[];
  attachments: AttachmentRecord[];
  nextTicketId: number;
  sms: SmsState;
}

export const FIRST_TICKET_ID = 1001;

export function emptyState(): SandboxState {
  return { version: 1, apps: [], users: [], conversations: [], tickets: [], attachments: [], nextTicketId: FIRST_TICKET_ID, sms: emptySmsState() };
}
