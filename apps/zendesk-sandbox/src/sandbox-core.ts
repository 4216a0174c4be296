import { AgentWorkspace } from "./domain/agent-workspace.ts";
import { DEFAULT_TRIGGERS, createDemoApp, describeApp, makeStatusWebhook, type SetupInput, type SetupResult } from "./domain/app-setup.ts";
import { SandboxHttpError, badRequest, notFound } from "./domain/errors.ts";
import { presentMessage } from "./domain/presenters.ts";
import { SunshineService, type NewMessage } from "./domain/sunshine.ts";
import { ConversationsWebhookDispatcher, type ConversationsDeliveryOptions } from "./deliveries/conversations-webhook.ts";
import { DeliveryLog, type DeliveryAttempt } from "./deliveries/delivery-log.ts";
import { DeliveryRunner } from "./deliveries/delivery-runner.ts";
import { StatusWebhookDispatcher, type StatusDeliveryOptions } from "./deliveries/status-webhook.ts";
import { FaultRegistry, parseFaultInput, type Fault } from "./faults/fault-registry.ts";
import { SmsService, type SmsOptions } from "./sms/sms-service.ts";
import { SpecValidator, WEBHOOK_TRIGGERS, type SchemaIssue } from "./spec/spec-validator.ts";
import { TICKET_STATUSES, emptyState, type AppRecord, type AttachmentRecord, type TicketRecord, type TicketStatus, type WebhookVersion } from "./state/model.ts";
import { StateStore } from "./state/store.ts";
import type { LogFn } from "./util/log.ts";
import { assertHttpUrl } from "./util/urls.ts";

/** A response or webhook body that broke the spec: a sandbox bug. */
export interface SpecViolation {
  time: string;
  where: string;
  issues: SchemaIssue[];
  value: unknown;
}

export type TicketSummary = Omit<TicketRecord, "transcript" | "appId"> & { messageCount: number };
export type TicketView = Omit<TicketRecord, "appId">;

export interface WebhookPatch {
  target?: string;
  version?: WebhookVersion;
  triggers?: string[];
  includeFullUser?: boolean;
  includeFullSource?: boolean;
}

export interface StatusWebhookPatch {
  target?: string;
  headerName?: string;
  headerValue?: string;
  /** A new signing secret; `null` or "" turns signing off. */
  signingSecret?: string | null;
}

export interface UserMessageInput {
  /** Defaults to the conversation's participant. */
  author?: NewMessage["author"];
  /** Shorthand for `{ type: "text", text }`. */
  text?: string;
  content?: NewMessage["content"];
  metadata?: NewMessage["metadata"];
  /** The channel the end user wrote from; default `web` (Web Widget). */
  sourceType?: string;
}

export interface CoreOptions {
  dataFile?: string;
  delivery?: ConversationsDeliveryOptions;
  statusDelivery?: StatusDeliveryOptions;
  sms?: SmsOptions;
  log: LogFn;
  baseUrl: () => string;
}

/**
 * Wires the parts together and offers the operations of the control API: set-up, agent
 * actions, inspection, faults and reset. The HTTP layers and the `Sandbox` object both use it.
 */
export class SandboxCore {
  readonly store: StateStore;
  readonly validator = SpecValidator.shared();
  readonly faults = new FaultRegistry();
  readonly deliveryLog = new DeliveryLog();
  readonly specViolations: SpecViolation[] = [];
  readonly sunshine: SunshineService;
  readonly agentWorkspace: AgentWorkspace;
  /** The Twilio-compatible SMS provider and phone simulator. */
  readonly sms: SmsService;
  private readonly runner: DeliveryRunner;
  private readonly conversationsWebhook: ConversationsWebhookDispatcher;

  constructor(private readonly options: CoreOptions) {
    this.store = new StateStore(options.dataFile);
    this.runner = new DeliveryRunner(this.deliveryLog, this.faults, options.log);
    this.conversationsWebhook = new ConversationsWebhookDispatcher(this.runner, this.validator, this.reportViolation, options.delivery);
    const statusWebhook = new StatusWebhookDispatcher(this.runner, options.statusDelivery);
    this.sunshine = new SunshineService(this.store, this.conversationsWebhook);
    this.agentWorkspace = new AgentWorkspace(this.store, this.sunshine, statusWebhook, (agentId) => `${options.baseUrl()}/console/avatars/${agentId}.svg`);
    this.sms = new SmsService(this.store, this.deliveryLog, options.baseUrl, options.log, options.sms);
  }

  readonly reportViolation = (where: string, issues: SchemaIssue[], value: unknown): void => {
    this.specViolations.push({ time: new Date().toISOString(), where, issues, value });
    this.options.log(`SPEC VIOLATION in ${where}: ${issues.map((i) => `${i.where} ${i.message}`).join("; ")}`);
  };

  // ---- app -----------------------------------------------------------------------------------

  /** Creates the demo app, or returns the existing one with any given URLs applied. */
  setup(input: SetupInput = {}): SetupResult {
    for (const url of [input.eventsUrl, input.statusUrl]) if (url) assertHttpUrl(url);
    if (input.triggers) assertTriggers(input.triggers);
    if (input.defaultResponder !== undefined && !["zd-agentWorkspace", "zd-answerBot", "none"].includes(input.defaultResponder)) {
      throw badRequest("defaultResponder must be zd-agentWorkspace, zd-answerBot or none");
    }
    if (input.webhookVersion !== undefined && input.webhookVersion !== "v1" && input.webhookVersion !== "v2") throw badRequest("webhookVersion must be v1 or v2");
    let app = this.store.state.apps[0];
    if (!app) {
      app = createDemoApp(input);
      this.store.state.apps.push(app);
    } else {
      if (input.eventsUrl !== undefined) app.webhook.target = input.eventsUrl;
      if (input.statusUrl !== undefined) {
        app.statusWebhook ??= makeStatusWebhook(input);
        app.statusWebhook.target = input.statusUrl;
      }
    }
    this.store.changed();
    return describeApp(app, this.options.baseUrl());
  }

  currentSetup(): SetupResult | null {
    const app = this.store.state.apps[0];
    return app ? describeApp(app, this.options.baseUrl()) : null;
  }

  demoApp(): AppRecord {
    const app = this.store.state.apps[0];
    if (!app) throw new SandboxHttpError(409, "not_set_up", "No app yet: POST /_sandbox/setup first");
    return app;
  }

  updateWebhook(patch: WebhookPatch): SetupResult {
    const app = this.demoApp();
    if (patch.target !== undefined && patch.target !== "") assertHttpUrl(patch.target);
    if (patch.version !== undefined && patch.version !== "v1" && patch.version !== "v2") throw badRequest("version must be v1 or v2");
    if (patch.triggers !== undefined) assertTriggers(patch.triggers);
    Object.assign(app.webhook, stripUndefined(patch));
    this.store.changed();
    return describeApp(app, this.options.baseUrl());
  }

  updateStatusWebhook(patch: StatusWebhookPatch): SetupResult {
    const app = this.demoApp();
    if (patch.target !== undefined && patch.target !== "") assertHttpUrl(patch.target);
    const webhook = (app.statusWebhook ??= makeStatusWebhook({}));
    if (patch.target !== undefined) webhook.target = patch.target;
    if (patch.headerName !== undefined) {
      if (!/^[A-Za-z0-9-]+$/.test(patch.headerName)) throw badRequest("headerName must be a valid HTTP header name");
      webhook.auth.headerName = patch.headerName;
    }
    if (patch.headerValue !== undefined) webhook.auth.value = patch.headerValue;
    if (patch.signingSecret !== undefined) webhook.signingSecret = patch.signingSecret || null;
    this.store.changed();
    return describeApp(app, this.options.baseUrl());
  }

  // ---- tickets and agent actions -----------------------------------------------------------

  listTickets(): TicketSummary[] {
    return this.agentWorkspace.tickets().map(({ transcript, appId: _appId, ...rest }) => ({ ...structuredClone(rest), messageCount: transcript.length }));
  }

  getTicket(id: number): TicketView {
    const { appId: _appId, ...rest } = this.agentWorkspace.ticket(id);
    return structuredClone(rest);
  }

  reply(ticketId: number, input: { agentName?: string; text: string }): Record<string, unknown> {
    if (typeof input.text !== "string") throw badRequest("text is required");
    return presentMessage(this.agentWorkspace.reply(ticketId, input.agentName, input.text));
  }

  typing(ticketId: number, input: { agentName?: string; typing: boolean }): void {
    this.agentWorkspace.typing(ticketId, input.agentName, input.typing !== false);
  }

  setStatus(ticketId: number, status: string): TicketView {
    const normalised = String(status).toLowerCase() as TicketStatus;
    if (!TICKET_STATUSES.includes(normalised)) throw badRequest(`status must be one of ${TICKET_STATUSES.join(", ")}`);
    this.agentWorkspace.setStatus(ticketId, normalised);
    return this.getTicket(ticketId);
  }

  endSession(ticketId: number): TicketView {
    this.agentWorkspace.endSession(ticketId);
    return this.getTicket(ticketId);
  }

  // ---- conversations -------------------------------------------------------------------------

  /** The conversation as Zendesk stores it (what an agent or the API would see). */
  conversationMessages(conversationId: string): Record<string, unknown>[] {
    const conversation = this.sunshine.findConversation(conversationId);
    if (!conversation) throw notFound("conversation_not_found", "Conversation not found");
    return conversation.messages.map(presentMessage);
  }

  /** A message from the end user's own channel (e.g. the Web Widget), not through our API. */
  postUserMessage(conversationId: string, input: UserMessageInput): Record<string, unknown> {
    const conversation = this.sunshine.findConversation(conversationId);
    if (!conversation) throw notFound("conversation_not_found", "Conversation not found");
    const app = this.sunshine.app(conversation.appId);
    const content = input.content ?? (typeof input.text === "string" ? { type: "text", text: input.text } : undefined);
    if (!content || typeof content.type !== "string") throw badRequest("Give text or content");
    const issues = this.validator.validateComponent("content", content, "request");
    if (issues.length > 0) throw badRequest(issues.map((i) => `${i.where} ${i.message}`).join("; "));
    const author = input.author ?? { type: "user" as const, userId: conversation.participantUserIds[0] };
    const message = this.sunshine.postMessage(app, conversation, {
      author,
      content,
      ...(input.metadata ? { metadata: input.metadata } : {}),
      source: { type: input.sourceType ?? "web" },
    });
    return presentMessage(message);
  }

  // ---- deliveries, faults, reset -------------------------------------------------------------

  deliveries(): DeliveryAttempt[] {
    return this.deliveryLog.list();
  }

  addFault(input: unknown): Fault {
    try {
      return this.faults.add(parseFaultInput(input));
    } catch (error) {
      throw badRequest(error instanceof Error ? error.message : String(error));
    }
  }

  listFaults(): Fault[] {
    return this.faults.list();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Sends batched events now and waits until every delivery (with its retries) has finished. */
  async idle(): Promise<void> {
    this.conversationsWebhook.flushAll();
    await Promise.all([this.runner.idle(), this.sms.idle()]);
  }

  reset(): void {
    this.conversationsWebhook.close();
    this.sms.reset();
    this.store.replace(emptyState());
    this.deliveryLog.clear();
    this.faults.clear();
  }

  findAttachment(id: string): AttachmentRecord | undefined {
    return this.store.state.attachments.find((a) => a.id === id);
  }

  saveAttachment(attachment: AttachmentRecord): void {
    this.store.state.attachments.push(attachment);
    this.store.changed();
  }

  close(): void {
    this.conversationsWebhook.close();
    this.sms.close();
    this.runner.close();
    this.store.flush();
  }
}

function assertTriggers(triggers: unknown): void {
  if (!Array.isArray(triggers) || triggers.some((t) => typeof t !== "string" || !WEBHOOK_TRIGGERS.includes(t))) {
    throw badRequest(`triggers must be a list of: ${WEBHOOK_TRIGGERS.join(", ")}`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { DEFAULT_TRIGGERS };
