export { startSandbox, type Sandbox, type SandboxOptions } from "./sandbox.ts";
export type { SetupInput, SetupResult } from "./domain/app-setup.ts";
export { DEFAULT_TRIGGERS, AGENT_WORKSPACE_NAME, ANSWER_BOT_NAME } from "./domain/app-setup.ts";
export type { SpecViolation, TicketSummary, TicketView, WebhookPatch, StatusWebhookPatch, UserMessageInput } from "./sandbox-core.ts";
export type { DeliveryAttempt } from "./deliveries/delivery-log.ts";
export type { Fault, FaultInput, ApiFaultInput, WebhookFaultInput } from "./faults/fault-registry.ts";
export type { ConversationsDeliveryOptions } from "./deliveries/conversations-webhook.ts";
export type { StatusDeliveryOptions } from "./deliveries/status-webhook.ts";
export { zendeskSignature } from "./deliveries/status-webhook.ts";
export type { TicketStatus, TranscriptEntry } from "./state/model.ts";
export type {
  SmsOptions,
  SmsSetupInput,
  SmsSetupResult,
  SmsNumberInput,
  SmsNumberPatch,
  SmsNumberView,
  SmsSendInput,
  SmsSendResult,
  SmsMediaUpload,
  SmsMediaView,
  SmsMessageView,
  SmsWebhookResult,
} from "./sms/sms-service.ts";
export type { SmsDirection, SmsStatus, SmsWebhookOutcome } from "./state/model.ts";
export type { SmsFaultInput } from "./faults/fault-registry.ts";
export { twilioSignature } from "./sms/twilio-format.ts";
