import Fastify from "fastify";
import { apiPlugin } from "./api/api-plugin.ts";
import { consolePlugin } from "./console/console-plugin.ts";
import { controlPlugin } from "./control/control-plugin.ts";
import type { SetupInput, SetupResult } from "./domain/app-setup.ts";
import type { ConversationsDeliveryOptions } from "./deliveries/conversations-webhook.ts";
import type { DeliveryAttempt } from "./deliveries/delivery-log.ts";
import type { StatusDeliveryOptions } from "./deliveries/status-webhook.ts";
import type { Fault, FaultInput } from "./faults/fault-registry.ts";
import {
  SandboxCore,
  type SpecViolation,
  type StatusWebhookPatch,
  type TicketSummary,
  type TicketView,
  type UserMessageInput,
  type WebhookPatch,
} from "./sandbox-core.ts";
import { smsPlugin } from "./sms/sms-plugin.ts";
import type {
  SmsMessageView,
  SmsNumberInput,
  SmsNumberPatch,
  SmsNumberView,
  SmsOptions,
  SmsSendInput,
  SmsSendResult,
  SmsSetupInput,
  SmsSetupResult,
} from "./sms/sms-service.ts";
import { makeLogger, type LogFn } from "./util/log.ts";

export interface SandboxOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. The control API and console still only answer loopback callers. */
  host?: string;
  /** JSON file to load at start and save (debounced) after every change. */
  dataFile?: string;
  /** The URL clients use to reach the sandbox, for media URLs and links. Default `http://host:port`. */
  publicUrl?: string;
  /** The Conversations integration webhook. */
  delivery?: ConversationsDeliveryOptions;
  /** The Zendesk "Status changed" events webhook. */
  statusDelivery?: StatusDeliveryOptions;
  /** The SMS provider's webhook timeout and how fast outbound texts move to sent and delivered. */
  sms?: SmsOptions;
  /** true (default) logs to stderr, false is silent, or give a function. */
  log?: boolean | LogFn;
  /** Let non-loopback callers use the control API and console. Default false. */
  allowRemoteControl?: boolean;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  /** `${url}/sc`, the stand-in for `https://{subdomain}.zendesk.com/sc`. */
  readonly apiUrl: string;
  /** Responses and webhook bodies that broke the spec; tests expect it to stay empty. */
  readonly specViolations: readonly SpecViolation[];
  close(): Promise<void>;
  setup(input?: SetupInput): SetupResult;
  currentSetup(): SetupResult | null;
  listTickets(): TicketSummary[];
  getTicket(id: number): TicketView;
  reply(ticketId: number, input: { agentName?: string; text: string }): Record<string, unknown>;
  typing(ticketId: number, input: { agentName?: string; typing: boolean }): void;
  setStatus(ticketId: number, status: string): TicketView;
  endSession(ticketId: number): TicketView;
  conversationMessages(conversationId: string): Record<string, unknown>[];
  postUserMessage(conversationId: string, input: UserMessageInput): Record<string, unknown>;
  updateWebhook(patch: WebhookPatch): SetupResult;
  updateStatusWebhook(patch: StatusWebhookPatch): SetupResult;
  deliveries(): DeliveryAttempt[];
  addFault(fault: FaultInput): Fault;
  listFaults(): Fault[];
  clearFaults(): void;
  /** Creates the Twilio account and a project number (or returns them, with `smsUrl` applied). */
  smsSetup(input?: SmsSetupInput): SmsSetupResult;
  currentSmsSetup(): SmsSetupResult | null;
  /** Another project number; the next free `+1500555….` when `phoneNumber` is left out. */
  addSmsNumber(input?: SmsNumberInput): SmsNumberView;
  updateSmsNumber(phoneNumber: string, patch: SmsNumberPatch): SmsNumberView;
  /** Adds an end-user number to the phone simulator; returns every handset. */
  addSmsHandset(phoneNumber: string): string[];
  /** The end user texts a project number: the signed webhook call is made before this resolves. */
  sendSms(input: SmsSendInput): Promise<SmsSendResult>;
  /** Every message to or from one handset, oldest first. */
  smsThread(handset: string): SmsMessageView[];
  /** Every SMS in the sandbox, oldest first. */
  smsMessages(): SmsMessageView[];
  /** Flushes batched events and waits for every delivery, retries included, to finish. */
  idle(): Promise<void>;
  reset(): void;
}

const JSON_LIMIT_BYTES = 100 * 1024;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const log = makeLogger(options.log);
  let baseUrl = options.publicUrl?.replace(/\/$/, "") ?? "";
  const core = new SandboxCore({
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.statusDelivery ? { statusDelivery: options.statusDelivery } : {}),
    ...(options.sms ? { sms: options.sms } : {}),
    log,
    baseUrl: () => baseUrl,
  });

  // forceCloseConnections: a request held open by a "hang" fault must not keep close() waiting.
  const server = Fastify({ logger: false, bodyLimit: JSON_LIMIT_BYTES, forceCloseConnections: true });
  server.removeContentTypeParser("application/json");
  server.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(Object.assign(new Error(`Invalid JSON body: ${error instanceof Error ? error.message : String(error)}`), { statusCode: 400 }), undefined);
    }
  });

  await server.register(apiPlugin, {
    prefix: "/sc",
    validator: core.validator,
    store: core.store,
    faults: core.faults,
    services: { sunshine: core.sunshine, saveAttachment: (a) => core.saveAttachment(a) },
    reportViolation: core.reportViolation,
    baseUrl: () => baseUrl,
    findAttachment: (id) => core.findAttachment(id),
    log,
  });
  const allowRemote = options.allowRemoteControl ?? false;
  await server.register(controlPlugin, { prefix: "/_sandbox", core, allowRemote });
  await server.register(consolePlugin, { core, allowRemote });
  await server.register(smsPlugin, { core, allowRemote, log });

  await server.listen({ port: options.port ?? 4010, host });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const listenUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  baseUrl ||= listenUrl;
  log(`Zendesk sandbox listening on ${listenUrl} (console ${listenUrl}/console)`);

  return {
    url: listenUrl,
    apiUrl: `${listenUrl}/sc`,
    specViolations: core.specViolations,
    close: async () => {
      core.close();
      await server.close();
    },
    setup: (input) => core.setup(input),
    currentSetup: () => core.currentSetup(),
    listTickets: () => core.listTickets(),
    getTicket: (id) => core.getTicket(id),
    reply: (id, input) => core.reply(id, input),
    typing: (id, input) => core.typing(id, input),
    setStatus: (id, status) => core.setStatus(id, status),
    endSession: (id) => core.endSession(id),
    conversationMessages: (id) => core.conversationMessages(id),
    postUserMessage: (id, input) => core.postUserMessage(id, input),
    updateWebhook: (patch) => core.updateWebhook(patch),
    updateStatusWebhook: (patch) => core.updateStatusWebhook(patch),
    deliveries: () => core.deliveries(),
    addFault: (fault) => core.addFault(fault),
    listFaults: () => core.listFaults(),
    clearFaults: () => core.clearFaults(),
    smsSetup: (input) => core.sms.setup(input),
    currentSmsSetup: () => core.sms.currentSetup(),
    addSmsNumber: (input) => core.sms.addNumber(input),
    updateSmsNumber: (phoneNumber, patch) => core.sms.updateNumber(phoneNumber, patch),
    addSmsHandset: (phoneNumber) => core.sms.addHandset(phoneNumber),
    sendSms: (input) => core.sms.receive(input),
    smsThread: (handset) => core.sms.thread(handset),
    smsMessages: () => core.sms.messages(),
    idle: () => core.idle(),
    reset: () => core.reset(),
  };
}
