import { timingSafeEqual } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FaultRegistry } from "../faults/fault-registry.ts";
import type { SmsAccountRecord, SmsMessageRecord } from "../state/model.ts";
import type { LogFn } from "../util/log.ts";
import type { SmsService } from "./sms-service.ts";
import { TWILIO_API_VERSION, TwilioApiError, rfc2822, twilioErrorBody } from "./twilio-format.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Media files are public URLs, outside auth and the Messages API faults. */
    publicMedia?: boolean;
  }
}

export interface TwilioApiPluginOptions {
  sms: SmsService;
  faults: FaultRegistry;
  log: LogFn;
}

const DEFAULT_RETRY_AFTER_SECONDS = 1;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * The Twilio REST API subset a product uses to send SMS, under `/2010-04-01`: create, fetch and list
 * Messages (form-encoded, Basic auth `AccountSid:AuthToken`), their Media, and the Account itself.
 */
export async function twilioApiPlugin(api: FastifyInstance, { sms, faults, log }: TwilioApiPluginOptions): Promise<void> {
  api.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, new URLSearchParams(String(body)));
  });

  api.setErrorHandler((error: FastifyError | TwilioApiError, request, reply) => {
    if (error instanceof TwilioApiError) return reply.code(error.status).send(error.toBody());
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) log(`Twilio API ${request.method} ${request.url} failed: ${error.stack ?? error.message}`);
    // Twilio's generic codes are 20000 + the HTTP status (20404, 20429, 20500); errors the framework
    // raises (body too large, unknown content type) follow the same pattern.
    return reply.code(status).send(status >= 500 ? twilioErrorBody(500, 20500, "An internal server error has occurred") : twilioErrorBody(status, 20000 + status, error.message));
  });

  api.setNotFoundHandler(async (request, reply) => reply.code(404).send(notFoundBody(request)));

  api.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.config.publicMedia) return;
    const fault = faults.takeSmsFault();
    if (fault?.mode === "429") {
      return reply
        .code(429)
        .header("retry-after", String(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS))
        .send(twilioErrorBody(429, 20429, "Too Many Requests"));
    }
    if (fault?.mode === "500") return reply.code(500).send(twilioErrorBody(500, 20500, "An internal server error has occurred"));
  });

  const authenticate = (request: FastifyRequest, reply: FastifyReply, accountSid: string): SmsAccountRecord => {
    const account = sms.account();
    const given = basicCredentials(request.headers.authorization);
    if (!account || !given || !sameSecret(given.user, account.sid) || !sameSecret(given.password, account.authToken)) {
      reply.header("www-authenticate", 'Basic realm="Twilio API"');
      throw new TwilioApiError(401, 20003, "Authenticate");
    }
    // Valid credentials for another account's URL: Twilio answers that the resource is not there.
    if (accountSid !== account.sid) throw new TwilioApiError(404, 20404, notFoundBody(request).message);
    return account;
  };

  api.get("/Accounts/:accountFile", async (request, reply) => {
    const accountSid = jsonResource(request, (request.params as { accountFile: string }).accountFile);
    const account = authenticate(request, reply, accountSid);
    return presentAccount(account);
  });

  api.post("/Accounts/:accountSid/Messages.json", async (request, reply) => {
    const { accountSid } = request.params as { accountSid: string };
    authenticate(request, reply, accountSid);
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const message = sms.createOutbound({
      ...optional("to", form.get("To")),
      ...optional("from", form.get("From")),
      ...optional("body", form.get("Body")),
      ...optional("statusCallback", form.get("StatusCallback")),
      mediaUrls: form.getAll("MediaUrl"),
    });
    return reply.code(201).send(presentMessage(message));
  });

  api.get("/Accounts/:accountSid/Messages.json", async (request, reply) => {
    const { accountSid } = request.params as { accountSid: string };
    authenticate(request, reply, accountSid);
    const query = request.query as Record<string, string | undefined>;
    const pageSize = clamp(Number(query.PageSize ?? DEFAULT_PAGE_SIZE), 1, MAX_PAGE_SIZE);
    const page = Math.max(0, Math.floor(Number(query.Page ?? 0)) || 0);
    // Twilio lists newest first.
    const matching = sms
      .messages()
      .filter((m) => (query.To === undefined || m.to === query.To) && (query.From === undefined || m.from === query.From))
      .reverse();
    const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
    const listUri = (p: number) => {
      const params = new URLSearchParams();
      if (query.To !== undefined) params.set("To", query.To);
      if (query.From !== undefined) params.set("From", query.From);
      params.set("PageSize", String(pageSize));
      params.set("Page", String(p));
      return `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages.json?${params}`;
    };
    return {
      messages: slice.map((view) => presentMessage(sms.findMessage(view.sid)!)),
      uri: listUri(page),
      first_page_uri: listUri(0),
      next_page_uri: (page + 1) * pageSize < matching.length ? listUri(page + 1) : null,
      previous_page_uri: page > 0 ? listUri(page - 1) : null,
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + Math.max(slice.length - 1, 0),
    };
  });

  api.get("/Accounts/:accountSid/Messages/:messageFile", async (request, reply) => {
    const { accountSid, messageFile } = request.params as { accountSid: string; messageFile: string };
    const sid = jsonResource(request, messageFile);
    authenticate(request, reply, accountSid);
    return presentMessage(findMessage(request, sid));
  });

  api.get("/Accounts/:accountSid/Messages/:messageSid/Media.json", async (request, reply) => {
    const { accountSid, messageSid } = request.params as { accountSid: string; messageSid: string };
    authenticate(request, reply, accountSid);
    const message = findMessage(request, messageSid);
    const uri = `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages/${messageSid}/Media.json`;
    return {
      media_list: message.media.map((media) => presentMedia(message, media)),
      uri,
      first_page_uri: uri,
      next_page_uri: null,
      previous_page_uri: null,
      page: 0,
      page_size: DEFAULT_PAGE_SIZE,
      start: 0,
      end: Math.max(message.media.length - 1, 0),
    };
  });

  api.get("/Accounts/:accountSid/Messages/:messageSid/Media/:mediaFile", { config: { publicMedia: true } }, async (request, reply) => {
    const { accountSid, messageSid, mediaFile } = request.params as { accountSid: string; messageSid: string; mediaFile: string };
    const wantsResource = mediaFile.endsWith(".json");
    if (wantsResource) authenticate(request, reply, accountSid);
    const message = sms.findMessage(messageSid);
    const media = message?.accountSid === accountSid ? message.media.find((m) => m.sid === mediaFile.replace(/\.json$/, "")) : undefined;
    if (!message || !media) return reply.code(404).send(notFoundBody(request));
    if (wantsResource) return presentMedia(message, media);
    // Media the sandbox holds is served from here; media given as a URL was never copied, so point to it.
    if (media.base64 === undefined) return reply.redirect(media.url, 307);
    const bytes = Buffer.from(media.base64, "base64");
    return reply.header("content-type", media.contentType).header("content-length", bytes.length).header("cache-control", "private, max-age=3600").send(bytes);
  });

  function findMessage(request: FastifyRequest, sid: string): SmsMessageRecord {
    const message = sms.findMessage(sid);
    if (!message) throw new TwilioApiError(404, 20404, notFoundBody(request).message);
    return message;
  }
}

export function presentMessage(message: SmsMessageRecord): Record<string, unknown> {
  const base = `/${TWILIO_API_VERSION}/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: TWILIO_API_VERSION,
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent: message.dateSent === null ? null : rfc2822(message.dateSent),
    date_updated: rfc2822(message.dateUpdated),
    direction: message.direction,
    error_code: message.errorCode,
    error_message: message.errorMessage,
    from: message.from,
    messaging_service_sid: null,
    num_media: String(message.media.length),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: "USD",
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${base}/Media.json` },
    to: message.to,
    uri: `${base}.json`,
  };
}

function presentMedia(message: SmsMessageRecord, media: SmsMessageRecord["media"][number]): Record<string, unknown> {
  return {
    account_sid: message.accountSid,
    content_type: media.contentType,
    date_created: rfc2822(message.dateCreated),
    date_updated: rfc2822(message.dateUpdated),
    parent_sid: message.sid,
    sid: media.sid,
    uri: `/${TWILIO_API_VERSION}/Accounts/${message.accountSid}/Messages/${message.sid}/Media/${media.sid}.json`,
  };
}

function presentAccount(account: SmsAccountRecord): Record<string, unknown> {
  const uri = `/${TWILIO_API_VERSION}/Accounts/${account.sid}.json`;
  return {
    auth_token: account.authToken,
    date_created: rfc2822(account.dateCreated),
    date_updated: rfc2822(account.dateCreated),
    friendly_name: account.friendlyName,
    owner_account_sid: account.sid,
    sid: account.sid,
    status: "active",
    type: "Full",
    uri,
    subresource_uris: { messages: `/${TWILIO_API_VERSION}/Accounts/${account.sid}/Messages.json` },
  };
}

/** Instance URLs end in `.json`; anything else is not a route Twilio has. */
function jsonResource(request: FastifyRequest, file: string): string {
  if (!file.endsWith(".json")) throw new TwilioApiError(404, 20404, notFoundBody(request).message);
  return file.slice(0, -".json".length);
}

function notFoundBody(request: FastifyRequest) {
  return twilioErrorBody(404, 20404, `The requested resource ${request.url.split("?")[0]} was not found`);
}

function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}
