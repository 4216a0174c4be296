import { SandboxHttpError, badRequest, notFound } from "../domain/errors.ts";
import type { DeliveryLog } from "../deliveries/delivery-log.ts";
import { postWithTimeout, type PostResult } from "../deliveries/http-post.ts";
import {
  DEFAULT_HANDSET,
  type SmsAccountRecord,
  type SmsMediaRecord,
  type SmsMessageRecord,
  type SmsPhoneNumberRecord,
  type SmsState,
  type SmsStatus,
  type SmsWebhookOutcome,
} from "../state/model.ts";
import type { StateStore } from "../state/store.ts";
import { hexSecret, uuid } from "../util/ids.ts";
import type { LogFn } from "../util/log.ts";
import { sleep } from "../util/time.ts";
import { assertHttpUrl, isHttpUrl } from "../util/urls.ts";
import {
  MAX_BODY_CHARACTERS,
  MAX_MEDIA_PER_MESSAGE,
  TWILIO_API_VERSION,
  TwilioApiError,
  contentTypeForUrl,
  countSegments,
  isE164,
  twilioSid,
  twilioSignature,
  twimlReplies,
} from "./twilio-format.ts";

export interface SmsOptions {
  /** How long the product's SMS URL and status callback get to answer. Default 15000, Twilio's HTTP timeout. */
  webhookTimeoutMs?: number;
  /** An outbound message goes from `queued` to `sent` after this long. Default 100. */
  sendDelayMs?: number;
  /** … and from `sent` to `delivered` this much later. Default 400. */
  deliverDelayMs?: number;
}

export interface SmsSetupInput {
  /** Where incoming texts to the project number are POSTed (Twilio's "A message comes in" URL). */
  smsUrl?: string;
}

export interface SmsNumberView {
  sid: string;
  phoneNumber: string;
  smsUrl: string;
}

export interface SmsSetupResult {
  accountSid: string;
  authToken: string;
  /** Use instead of `https://api.twilio.com`. */
  apiBaseUrl: string;
  /** `${apiBaseUrl}/2010-04-01/Accounts/{accountSid}/Messages.json`. */
  messagesUrl: string;
  /** The first project number (the one set-up created). */
  phoneNumber: string;
  phoneNumberSid: string;
  smsUrl: string;
  phoneNumbers: SmsNumberView[];
  handsets: string[];
}

export interface SmsNumberInput {
  /** E.164; the next free `+1500555….` number when left out. */
  phoneNumber?: string;
  smsUrl?: string;
}

export interface SmsNumberPatch {
  smsUrl: string;
}

/** A file the simulated phone attaches; the sandbox stores it and serves it at a Twilio-style media URL. */
export interface SmsMediaUpload {
  contentType: string;
  base64: string;
}

export interface SmsSendInput {
  /** The handset (end user). Default `+15551230001`. */
  from?: string;
  /** One of the project numbers. Default the first. */
  to?: string;
  body?: string;
  /** Media already online: passed to the product as `MediaUrlN` unchanged. */
  mediaUrl?: string | string[];
  /** Media the sandbox should host (what a real phone's MMS would carry). */
  media?: SmsMediaUpload[];
}

export interface SmsMediaView {
  sid: string;
  contentType: string;
  url: string;
}

export type SmsMessageView = Omit<SmsMessageRecord, "media" | "accountSid"> & { media: SmsMediaView[] };

export interface SmsWebhookResult {
  /** The number's SMS URL, or null when it has none (nothing was called). */
  url: string | null;
  /** The product's HTTP status, or null when the call failed before one came back. */
  status: number | null;
  error: string | null;
  /** 11200 when the call failed (not retried, as with Twilio's default for messaging webhooks). */
  errorCode: number | null;
  latencyMs: number;
  /** `<Message>` replies found in the TwiML answer and sent back to the handset. */
  replies: SmsMessageView[];
}

export interface SmsSendResult {
  message: SmsMessageView;
  webhook: SmsWebhookResult;
}

/** The parameters of a Messages API create call, as posted. */
export interface OutboundMessageRequest {
  to?: string;
  from?: string;
  body?: string;
  mediaUrls: string[];
  statusCallback?: string;
}

const HTTP_RETRIEVAL_FAILURE = 11200;
/** Twilio's limit for an incoming MMS, all media together. */
const MAX_INCOMING_MEDIA_BYTES = 5 * 1024 * 1024;
const FIRST_NUMBER = 5_550_006;

/**
 * The Twilio-compatible SMS provider: the account and its numbers, simulated handsets and every
 * message between them. Incoming texts are POSTed, signed, to the number's SMS URL once (no retry);
 * outgoing ones move queued → sent → delivered and report each step to their StatusCallback.
 */
export class SmsService {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Aborted on reset and close, so pending status changes of old messages stop. */
  private lifetime = new AbortController();
  private closed = false;

  constructor(
    private readonly store: StateStore,
    private readonly deliveryLog: DeliveryLog,
    private readonly baseUrl: () => string,
    private readonly log: LogFn,
    private readonly options: SmsOptions = {},
  ) {}

  private get sms(): SmsState {
    return this.store.state.sms;
  }

  // ---- account and numbers -------------------------------------------------------------------

  /** Creates the account and its first number, or returns them with `smsUrl` applied to that number. */
  setup(input: SmsSetupInput = {}): SmsSetupResult {
    if (input.smsUrl) assertHttpUrl(input.smsUrl);
    const sms = this.sms;
    sms.account ??= { sid: twilioSid("AC"), authToken: hexSecret(16), friendlyName: "Zendesk sandbox SMS", dateCreated: new Date().toISOString() };
    const first = sms.numbers[0];
    if (!first) sms.numbers.push(this.newNumber(this.nextFreeNumber(), input.smsUrl ?? ""));
    else if (input.smsUrl !== undefined) first.smsUrl = input.smsUrl;
    this.store.changed();
    return this.currentSetup()!;
  }

  currentSetup(): SmsSetupResult | null {
    const { account, numbers, handsets } = this.sms;
    const first = numbers[0];
    if (!account || !first) return null;
    const apiBaseUrl = this.baseUrl();
    return {
      accountSid: account.sid,
      authToken: account.authToken,
      apiBaseUrl,
      messagesUrl: `${apiBaseUrl}/${TWILIO_API_VERSION}/Accounts/${account.sid}/Messages.json`,
      phoneNumber: first.phoneNumber,
      phoneNumberSid: first.sid,
      smsUrl: first.smsUrl,
      phoneNumbers: numbers.map(numberView),
      handsets: [...handsets],
    };
  }

  account(): SmsAccountRecord | null {
    return this.sms.account;
  }

  numbers(): SmsNumberView[] {
    return this.sms.numbers.map(numberView);
  }

  addNumber(input: SmsNumberInput = {}): SmsNumberView {
    this.requireAccount();
    if (input.smsUrl) assertHttpUrl(input.smsUrl);
    const phoneNumber = input.phoneNumber?.trim() || this.nextFreeNumber();
    if (!isE164(phoneNumber)) throw badRequest(`${phoneNumber} is not an E.164 number (like +15005550006)`);
    if (this.findNumber(phoneNumber)) throw new SandboxHttpError(409, "number_exists", `${phoneNumber} is already a project number`);
    if (this.sms.handsets.includes(phoneNumber)) throw new SandboxHttpError(409, "number_is_handset", `${phoneNumber} is a simulated handset`);
    const number = this.newNumber(phoneNumber, input.smsUrl ?? "");
    this.sms.numbers.push(number);
    this.store.changed();
    return numberView(number);
  }

  updateNumber(phoneNumber: string, patch: SmsNumberPatch): SmsNumberView {
    const number = this.findNumber(phoneNumber);
    if (!number) throw notFound("number_not_found", `${phoneNumber} is not a project number`);
    if (typeof patch.smsUrl !== "string") throw badRequest("smsUrl is required (\"\" removes it)");
    if (patch.smsUrl !== "") assertHttpUrl(patch.smsUrl);
    number.smsUrl = patch.smsUrl;
    this.store.changed();
    return numberView(number);
  }

  findNumber(phoneNumber: string): SmsPhoneNumberRecord | undefined {
    return this.sms.numbers.find((n) => n.phoneNumber === phoneNumber.trim());
  }

  // ---- handsets and threads ------------------------------------------------------------------

  handsets(): string[] {
    return [...this.sms.handsets];
  }

  addHandset(phoneNumber: string): string[] {
    const number = String(phoneNumber ?? "").trim();
    if (!isE164(number)) throw badRequest(`${number || "The number"} is not an E.164 number (like ${DEFAULT_HANDSET})`);
    if (this.findNumber(number)) throw badRequest(`${number} is a project number, not a handset`);
    this.rememberHandset(number);
    return this.handsets();
  }

  /** Every message to or from one handset, oldest first. */
  thread(handset: string): SmsMessageView[] {
    const number = handset.trim();
    return this.sms.messages.filter((m) => (m.direction === "inbound" ? m.from : m.to) === number).map(messageView);
  }

  messages(): SmsMessageView[] {
    return this.sms.messages.map(messageView);
  }

  findMessage(sid: string): SmsMessageRecord | undefined {
    return this.sms.messages.find((m) => m.sid === sid);
  }

  // ---- outgoing: the Messages API ------------------------------------------------------------

  /** Validates like Twilio (same error codes) and queues the message to the handset. */
  createOutbound(request: OutboundMessageRequest): SmsMessageRecord {
    const account = this.requireAccount();
    const to = request.to?.trim() ?? "";
    if (to === "") throw new TwilioApiError(400, 21604, "A 'To' phone number is required.");
    if (!isE164(to)) throw new TwilioApiError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    const from = request.from?.trim() ?? "";
    if (from === "") throw new TwilioApiError(400, 21603, "A 'From' phone number is required.");
    if (!isE164(from)) throw new TwilioApiError(400, 21212, `Invalid From Number (caller ID): ${from}`);
    const number = this.findNumber(from);
    if (!number) throw new TwilioApiError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    if (to === from) throw new TwilioApiError(400, 21266, "'To' and 'From' number cannot be the same");
    const body = request.body ?? "";
    if (body === "" && request.mediaUrls.length === 0) throw new TwilioApiError(400, 21602, "Message body is required.");
    if (body.length > MAX_BODY_CHARACTERS) throw new TwilioApiError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    if (request.mediaUrls.length > MAX_MEDIA_PER_MESSAGE) throw new TwilioApiError(400, 21623, "Number of media files exceeds allowed limit.");
    if (request.mediaUrls.some((url) => !isHttpUrl(url))) throw new TwilioApiError(400, 21620, "Invalid media URL(s).");
    if (request.statusCallback !== undefined && request.statusCallback !== "" && !isHttpUrl(request.statusCallback)) {
      throw new TwilioApiError(400, 21609, "Invalid StatusCallback url");
    }
    const message = this.outboundMessage(account, {
      direction: "outbound-api",
      from: number.phoneNumber,
      to,
      body,
      mediaUrls: request.mediaUrls,
      statusCallback: request.statusCallback || null,
    });
    this.rememberHandset(to);
    return message;
  }

  // ---- incoming: the simulated phone texts a project number ----------------------------------

  /** Records the text, POSTs it (signed) to the number's SMS URL once, and sends any TwiML replies. */
  receive(input: SmsSendInput): Promise<SmsSendResult> {
    const task = this.receiveNow(input);
    this.track(task);
    return task;
  }

  private async receiveNow(input: SmsSendInput): Promise<SmsSendResult> {
    const account = this.requireAccount();
    for (const field of ["from", "to", "body"] as const) {
      if (input[field] !== undefined && typeof input[field] !== "string") throw badRequest(`${field} must be a string`);
    }
    if (input.media !== undefined && !Array.isArray(input.media)) throw badRequest("media must be a list of {contentType, base64}");
    const from = (input.from ?? DEFAULT_HANDSET).trim();
    if (!isE164(from)) throw badRequest(`from must be an E.164 number (like ${DEFAULT_HANDSET})`);
    const number = input.to ? this.findNumber(input.to) : this.sms.numbers[0];
    if (!number) throw notFound("number_not_found", `${input.to} is not a project number`);
    if (number.phoneNumber === from) throw badRequest("from must be a handset, not the project number");
    const body = input.body ?? "";
    const linkedUrls = input.mediaUrl === undefined ? [] : Array.isArray(input.mediaUrl) ? input.mediaUrl : [input.mediaUrl];
    for (const url of linkedUrls) {
      if (typeof url !== "string") throw badRequest("mediaUrl must be a URL or a list of URLs");
      assertHttpUrl(url, "mediaUrl");
    }
    const uploads = (input.media ?? []).map(decodeUpload);
    if (body === "" && linkedUrls.length + uploads.length === 0) throw badRequest("Give a body, media or both");
    if (body.length > MAX_BODY_CHARACTERS) throw badRequest(`body is longer than ${MAX_BODY_CHARACTERS} characters`);
    if (linkedUrls.length + uploads.length > MAX_MEDIA_PER_MESSAGE) throw badRequest(`At most ${MAX_MEDIA_PER_MESSAGE} media per message`);
    if (uploads.reduce((sum, u) => sum + u.data.length, 0) > MAX_INCOMING_MEDIA_BYTES) throw badRequest("Media may be at most 5 MB in all");

    const hasMedia = linkedUrls.length + uploads.length > 0;
    // Twilio gives messages with media an MM sid and plain texts an SM sid.
    const sid = twilioSid(hasMedia ? "MM" : "SM");
    const mediaBase = `${this.baseUrl()}/${TWILIO_API_VERSION}/Accounts/${account.sid}/Messages/${sid}/Media`;
    const media: SmsMediaRecord[] = [
      ...uploads.map((upload) => {
        const mediaSid = twilioSid("ME");
        return { sid: mediaSid, contentType: upload.contentType, url: `${mediaBase}/${mediaSid}`, base64: upload.data.toString("base64") };
      }),
      ...linkedUrls.map((url) => ({ sid: twilioSid("ME"), contentType: contentTypeForUrl(url), url })),
    ];
    const now = new Date().toISOString();
    const message: SmsMessageRecord = {
      sid,
      accountSid: account.sid,
      direction: "inbound",
      from,
      to: number.phoneNumber,
      body,
      media,
      status: "received",
      numSegments: countSegments(body),
      errorCode: null,
      errorMessage: null,
      statusCallback: null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: now,
      webhook: null,
    };
    this.sms.messages.push(message);
    this.rememberHandset(from);
    this.store.changed();

    const webhook = await this.callSmsUrl(account, number, message);
    return { message: messageView(message), webhook };
  }

  private async callSmsUrl(account: SmsAccountRecord, number: SmsPhoneNumberRecord, message: SmsMessageRecord): Promise<SmsWebhookResult> {
    if (!number.smsUrl) {
      // Like a Twilio number with no messaging webhook: the message is kept, nobody is told.
      const error = `${number.phoneNumber} has no SMS URL`;
      message.webhook = { url: null, status: null, error, errorCode: null, latencyMs: 0, time: new Date().toISOString() };
      this.store.changed();
      return { url: null, status: null, error, errorCode: null, latencyMs: 0, replies: [] };
    }
    const result = await this.postSigned(account, number.smsUrl, inboundParameters(account, message), true);
    const delivered = isSuccess(result);
    const outcome = webhookOutcome(number.smsUrl, result);
    message.webhook = outcome;
    this.store.changed();

    const replies = delivered ? this.sendTwimlReplies(account, number, message, result) : [];
    const note = delivered ? twimlNote(result, replies.length) : `Twilio error ${HTTP_RETRIEVAL_FAILURE}; not retried`;
    this.recordAttempt(number.smsUrl, number.phoneNumber, message.sid, "sms:inbound", result, note);
    if (!delivered) this.log(`SMS webhook for ${message.sid} → ${result.status ?? result.error} (error ${HTTP_RETRIEVAL_FAILURE}, not retried)`);
    return { url: number.smsUrl, status: outcome.status, error: outcome.error, errorCode: outcome.errorCode, latencyMs: outcome.latencyMs, replies };
  }

  private sendTwimlReplies(account: SmsAccountRecord, number: SmsPhoneNumberRecord, inbound: SmsMessageRecord, result: PostResult): SmsMessageView[] {
    if (!looksLikeTwiml(result)) return [];
    return twimlReplies(result.body ?? "")
      .filter((reply) => reply.body.length <= MAX_BODY_CHARACTERS && reply.mediaUrls.every(isHttpUrl))
      .map((reply) =>
        messageView(
          this.outboundMessage(account, { direction: "outbound-reply", from: number.phoneNumber, to: inbound.from, body: reply.body, mediaUrls: reply.mediaUrls, statusCallback: null }),
        ),
      );
  }

  // ---- delivery of outgoing messages ---------------------------------------------------------

  private outboundMessage(
    account: SmsAccountRecord,
    fields: Pick<SmsMessageRecord, "direction" | "from" | "to" | "body" | "statusCallback"> & { mediaUrls: string[] },
  ): SmsMessageRecord {
    const now = new Date().toISOString();
    const message: SmsMessageRecord = {
      sid: twilioSid(fields.mediaUrls.length > 0 ? "MM" : "SM"),
      accountSid: account.sid,
      direction: fields.direction,
      from: fields.from,
      to: fields.to,
      body: fields.body,
      media: fields.mediaUrls.map((url) => ({ sid: twilioSid("ME"), contentType: contentTypeForUrl(url), url })),
      status: "queued",
      numSegments: countSegments(fields.body),
      errorCode: null,
      errorMessage: null,
      statusCallback: fields.statusCallback,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      webhook: null,
    };
    this.sms.messages.push(message);
    this.store.changed();
    this.track(this.deliver(account, message, this.lifetime.signal));
    return message;
  }

  private async deliver(account: SmsAccountRecord, message: SmsMessageRecord, lifetime: AbortSignal): Promise<void> {
    const steps: [SmsStatus, number][] = [
      ["sent", this.options.sendDelayMs ?? 100],
      ["delivered", this.options.deliverDelayMs ?? 400],
    ];
    for (const [status, delayMs] of steps) {
      await sleep(delayMs, lifetime);
      if (lifetime.aborted) return;
      const now = new Date().toISOString();
      message.status = status;
      message.dateUpdated = now;
      if (status === "sent") message.dateSent = now;
      this.store.changed();
      if (message.statusCallback) await this.statusCallback(account, message, message.statusCallback);
    }
  }

  /** One POST per status change; like Twilio, a failed callback is logged and not retried. */
  private async statusCallback(account: SmsAccountRecord, message: SmsMessageRecord, url: string): Promise<void> {
    const params: Record<string, string> = {
      AccountSid: account.sid,
      ApiVersion: TWILIO_API_VERSION,
      From: message.from,
      MessageSid: message.sid,
      MessageStatus: message.status,
      SmsSid: message.sid,
      SmsStatus: message.status,
      To: message.to,
    };
    const result = await this.postSigned(account, url, params, false);
    const note = isSuccess(result) ? undefined : `Twilio error ${HTTP_RETRIEVAL_FAILURE}; not retried`;
    this.recordAttempt(url, "StatusCallback", message.sid, `sms:status:${message.status}`, result, note);
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private postSigned(account: SmsAccountRecord, url: string, params: Record<string, string>, keepBody: boolean): Promise<PostResult> {
    const headers = {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilioSignature(account.authToken, url, params),
      // Twilio sends one per webhook event so a receiver can drop duplicates.
      "i-twilio-idempotency-token": uuid(),
      "user-agent": "TwilioProxy/1.1",
      accept: "*/*",
    };
    return postWithTimeout(url, headers, new URLSearchParams(params).toString(), this.options.webhookTimeoutMs ?? 15_000, this.lifetime.signal, { keepBody });
  }

  private recordAttempt(target: string, webhookId: string, messageSid: string, eventType: string, result: PostResult, note: string | undefined): void {
    const delivered = isSuccess(result);
    this.deliveryLog.record({
      deliveryId: hexSecret(8),
      time: new Date(Date.now() - result.latencyMs).toISOString(),
      webhook: "sms",
      webhookId,
      target,
      eventIds: [messageSid],
      eventTypes: [eventType],
      attempt: 1,
      status: result.status,
      error: result.error,
      latencyMs: result.latencyMs,
      outcome: delivered ? "delivered" : "failed",
      nextRetryAt: null,
      ...(note ? { note } : {}),
    });
  }

  // ---- housekeeping --------------------------------------------------------------------------

  /** Resolves once every webhook call and pending status change has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops pending status changes; the state itself is replaced by the caller. */
  reset(): void {
    this.lifetime.abort();
    if (!this.closed) this.lifetime = new AbortController();
  }

  close(): void {
    this.closed = true;
    this.lifetime.abort();
  }

  private track(task: Promise<unknown>): void {
    const settled = task.catch(() => undefined);
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  private requireAccount(): SmsAccountRecord {
    const account = this.sms.account;
    if (!account) throw new SandboxHttpError(409, "sms_not_set_up", "No SMS account yet: POST /_sandbox/sms/setup first");
    return account;
  }

  private rememberHandset(phoneNumber: string): void {
    if (this.sms.handsets.includes(phoneNumber)) return;
    this.sms.handsets.push(phoneNumber);
    this.store.changed();
  }

  private newNumber(phoneNumber: string, smsUrl: string): SmsPhoneNumberRecord {
    return { sid: twilioSid("PN"), phoneNumber, smsUrl, dateCreated: new Date().toISOString() };
  }

  /** +15005550006, +15005550007, …: the 500 area code is Twilio's own test range, never a real handset. */
  private nextFreeNumber(): string {
    for (let n = FIRST_NUMBER; ; n++) {
      const candidate = `+1500${String(n).padStart(7, "0")}`;
      if (!this.findNumber(candidate) && !this.sms.handsets.includes(candidate)) return candidate;
    }
  }
}

/** What Twilio POSTs to the SMS URL for an incoming message (no geographic fields, no Messaging Service). */
export function inboundParameters(account: SmsAccountRecord, message: SmsMessageRecord): Record<string, string> {
  const params: Record<string, string> = {
    MessageSid: message.sid,
    SmsMessageSid: message.sid,
    SmsSid: message.sid,
    AccountSid: account.sid,
    From: message.from,
    To: message.to,
    Body: message.body,
    NumMedia: String(message.media.length),
    NumSegments: String(message.numSegments),
    SmsStatus: "received",
    ApiVersion: TWILIO_API_VERSION,
  };
  message.media.forEach((media, index) => {
    params[`MediaUrl${index}`] = media.url;
    params[`MediaContentType${index}`] = media.contentType;
  });
  return params;
}

function decodeUpload(upload: SmsMediaUpload): { contentType: string; data: Buffer } {
  if (typeof upload !== "object" || upload === null || typeof upload.contentType !== "string" || !/^[\w.+-]+\/[\w.+-]+$/.test(upload.contentType)) throw badRequest("media[].contentType must be a MIME type");
  if (typeof upload.base64 !== "string" || upload.base64 === "") throw badRequest("media[].base64 must hold the file");
  return { contentType: upload.contentType.toLowerCase(), data: Buffer.from(upload.base64, "base64") };
}

function isSuccess(result: PostResult): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}

function webhookOutcome(url: string, result: PostResult): SmsWebhookOutcome {
  const delivered = isSuccess(result);
  return {
    url,
    status: result.status,
    error: result.error,
    errorCode: delivered ? null : HTTP_RETRIEVAL_FAILURE,
    latencyMs: result.latencyMs,
    time: new Date().toISOString(),
  };
}

function looksLikeTwiml(result: PostResult): boolean {
  const type = (result.contentType ?? "").toLowerCase();
  if (type.includes("xml") || type.includes("html")) return true;
  return type === "" && /^\s*(<\?xml|<Response)/.test(result.body ?? "");
}

function twimlNote(result: PostResult, replies: number): string | undefined {
  if (replies > 0) return `TwiML: ${replies} <Message> repl${replies === 1 ? "y" : "ies"} sent`;
  if ((result.body ?? "").trim() !== "" && !looksLikeTwiml(result)) return `answer is not TwiML (${result.contentType ?? "no content-type"}); nothing sent back`;
  return undefined;
}

function numberView(number: SmsPhoneNumberRecord): SmsNumberView {
  return { sid: number.sid, phoneNumber: number.phoneNumber, smsUrl: number.smsUrl };
}

export function messageView(message: SmsMessageRecord): SmsMessageView {
  const { accountSid: _accountSid, media, ...rest } = message;
  return { ...structuredClone(rest), media: media.map(({ sid, contentType, url }) => ({ sid, contentType, url })) };
}
