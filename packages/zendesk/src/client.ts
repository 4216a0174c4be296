import type { components, paths } from "@zm/sunshine-spec/types";
import { SunshineApiError, SunshineTransportError, type ZendeskErrorDetail } from "./errors.ts";
import { splitText } from "@zm/contracts";

export { SunshineApiError, SunshineTransportError, isRetryable } from "./errors.ts";
export type { ZendeskErrorDetail } from "./errors.ts";
export { splitText, SUNSHINE_TEXT_LIMIT } from "@zm/contracts";

type Schemas = components["schemas"];

// ---------------------------------------------------------------------------------------------
// Types taken from the official spec, so a spec upgrade that changes a shape breaks the build here.
// ---------------------------------------------------------------------------------------------

export type SunshineUser = Schemas["user"];
export type SunshineConversation = Schemas["conversation"];
export type SunshineMessage = Schemas["message"];
export type SunshineWebhook = Schemas["webhook"];
export type MessageAuthor = Schemas["author"];
/**
 * The spec's `messagePost.content` is generated as `Omit<content, "type">`, which loses the
 * discriminator; callers get the full discriminated union instead (it is assignable to the spec type).
 */
export type MessageContent = Schemas["content"];
export type UserProfile = Schemas["profile"];
export type ActivityType = NonNullable<Schemas["activityTypes"]["type"]>;
/** Sunshine accepts only flat metadata: strings, numbers and booleans, at most 4 KB in total. */
export type FlatMetadata = Record<string, string | number | boolean>;

export type CreateUserInput = { externalId: string; profile?: UserProfile; metadata?: FlatMetadata };

export type CreateConversationInput = {
  type: "personal";
  /** A personal conversation takes exactly one participant. */
  participants: [{ userId: string; subscribeSDKClient?: boolean }];
  displayName?: string;
  metadata?: FlatMetadata;
};

export type PostMessageInput = { author: MessageAuthor; content: MessageContent; metadata?: FlatMetadata };
export type ActivityInput = { author: MessageAuthor; type: ActivityType };
export type SwitchboardControlInput = { switchboardIntegration: string; metadata?: FlatMetadata };
export type ReleaseControlInput = { reason?: string; metadata?: FlatMetadata };
export type UploadAttachmentInput = { data: Uint8Array | Blob; filename: string; mediaType: string };
export type UploadedAttachment = { mediaUrl: string; mediaType: string };

export type ListMessagesResult = {
  messages: SunshineMessage[];
  hasMore: boolean;
  afterCursor?: string;
  beforeCursor?: string;
};

/** What `onCall` receives after every HTTP attempt. Holds no credentials and no query string. */
export type CallRecord = {
  operation: string;
  method: string;
  path: string;
  /** HTTP status, or null when no response arrived (network error or timeout). */
  status: number | null;
  /** 1-based attempt number within this call. */
  attempt: number;
  latencyMs: number;
  /** Zendesk's error code, or `timeout` / `network_error` when there was no response. */
  errorCode?: string;
  /** Parsed `Retry-After` of a 429, in milliseconds. */
  retryAfterMs?: number;
};

export type RetryOptions = {
  /** Total HTTP attempts per call, first one included. Default 4. */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry; doubles each retry. Default 250 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling never exceeds this. Default 8000 ms. */
  maxDelayMs?: number;
  /** Longest `Retry-After` wait honoured; longer requests are shortened to this. Default 30000 ms. */
  maxRetryAfterMs?: number;
};

export type SunshineClientOptions = {
  /** `acme` for `acme.zendesk.com`. Ignored when `baseUrl` is given. */
  subdomain: string;
  /** The Sunshine app ID (24 hex characters). */
  appId: string;
  /** API key ID (`int_…` or `app_…`). It is not the integration ID. */
  apiKeyId: string;
  apiKeySecret: string;
  /** Overrides `https://<subdomain>.zendesk.com/sc`, e.g. a local sandbox `http://127.0.0.1:4010/sc`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per-attempt timeout, covering the response body too. Default 10000 ms. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Injected in tests to record backoff delays instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Returns a number in [0, 1); drives the backoff jitter. Default Math.random. */
  random?: () => number;
  /** Observes every HTTP attempt (metrics, logs). Exceptions thrown by it are ignored. */
  onCall?: (record: CallRecord) => void;
};

// ---------------------------------------------------------------------------------------------
// Typed plumbing over the generated `paths`.
// ---------------------------------------------------------------------------------------------

type HttpMethod = "get" | "post" | "patch" | "delete";
type ApiPath = keyof paths;
type OperationAt<P extends ApiPath, M extends HttpMethod> = NonNullable<paths[P][M]>;
type PathParamsOf<Op> = Op extends { parameters: { path: infer Params } } ? Omit<Params, "appId"> : never;
type JsonBodyOf<Op> = Op extends { requestBody?: { content: { "application/json": infer Body } } } ? Body : never;
type JsonResponseOf<Op, Status extends number> = Op extends {
  responses: { [S in Status]: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

type RequestSpec<P extends ApiPath, M extends HttpMethod, S extends number> = {
  operation: string;
  /** The spec's success status for this operation; it selects the response type. Any 2xx is accepted. */
  expect: S;
  method: M;
  path: P;
  params: PathParamsOf<OperationAt<P, M>>;
  query?: Record<string, string | undefined>;
  /** JSON body checked against the spec's request schema for this path and method. */
  json?: JsonBodyOf<OperationAt<P, M>>;
  /** Built anew for every attempt because a consumed multipart stream cannot be re-sent. */
  multipart?: () => FormData;
};

const DEFAULTS = {
  timeoutMs: 10_000,
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
} as const;

type AttemptOutcome =
  | { kind: "response"; status: number; bodyText: string; retryAfterHeader: string | null }
  | { kind: "timeout"; cause: unknown }
  | { kind: "network"; cause: unknown };

/**
 * Thin typed client for the Sunshine Conversations v2 REST API, limited to what a hand-off needs.
 * Retries 429, 5xx, network errors and timeouts with full-jitter exponential backoff; other 4xx
 * are thrown at once as `SunshineApiError`.
 *
 * Retried POSTs may be applied twice when a response was lost in flight (Zendesk offers no
 * idempotency key); callers de-duplicate echoes by message ID and event ID as PROTOCOL §5 advises.
 */
export class SunshineClient {
  readonly appId: string;
  readonly baseUrl: string;
  // Private fields stay out of JSON.stringify, util.inspect and console.log of the client.
  readonly #authorization: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #onCall: ((record: CallRecord) => void) | undefined;

  constructor(options: SunshineClientOptions) {
    if (!options.appId) throw new TypeError("SunshineClient: appId is required");
    if (!options.apiKeyId || !options.apiKeySecret) {
      throw new TypeError("SunshineClient: apiKeyId and apiKeySecret are required");
    }
    this.appId = options.appId;
    this.baseUrl = resolveBaseUrl(options);
    this.#authorization = `Basic ${Buffer.from(`${options.apiKeyId}:${options.apiKeySecret}`, "utf8").toString("base64")}`;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = positive(options.timeoutMs, DEFAULTS.timeoutMs, "timeoutMs");
    this.#maxAttempts = Math.floor(positive(options.retry?.maxAttempts, DEFAULTS.maxAttempts, "retry.maxAttempts"));
    this.#baseDelayMs = nonNegative(options.retry?.baseDelayMs, DEFAULTS.baseDelayMs, "retry.baseDelayMs");
    this.#maxDelayMs = nonNegative(options.retry?.maxDelayMs, DEFAULTS.maxDelayMs, "retry.maxDelayMs");
    this.#maxRetryAfterMs = nonNegative(options.retry?.maxRetryAfterMs, DEFAULTS.maxRetryAfterMs, "retry.maxRetryAfterMs");
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#onCall = options.onCall;
  }

  /** Reads the integration's webhook: version, triggers, target (and its shared secret). */
  async getWebhook(integrationId: string, webhookId: string): Promise<SunshineWebhook> {
    const body = await this.#request({
        operation: "getWebhook",
        expect: 200,
        method: "get",
        path: "/v2/apps/{appId}/integrations/{integrationId}/webhooks/{webhookId}",
        params: { integrationId, webhookId },
      });
    return required(body.webhook, "getWebhook", "webhook");
  }

  /** Looks a user up by Sunshine ID or externalId; `null` when Zendesk answers 404. */
  async getUser(idOrExternalId: string): Promise<SunshineUser | null> {
    try {
      const body = await this.#request({
          operation: "getUser",
        expect: 200,
          method: "get",
          path: "/v2/apps/{appId}/users/{userIdOrExternalId}",
          params: { userIdOrExternalId: idOrExternalId },
        });
      return required(body.user, "getUser", "user");
    } catch (err) {
      if (err instanceof SunshineApiError && err.status === 404) return null;
      throw err;
    }
  }

  async createUser(input: CreateUserInput): Promise<SunshineUser> {
    const body = await this.#request({
      operation: "createUser",
        expect: 201,
      method: "post",
      path: "/v2/apps/{appId}/users",
      params: {},
      json: input,
    });
    return required(body.user, "createUser", "user");
  }

  /** GET by externalId, else POST; a 409 means someone created it meanwhile, so GET again. */
  async getOrCreateUser(input: CreateUserInput): Promise<SunshineUser> {
    const existing = await this.getUser(input.externalId);
    if (existing) return existing;
    try {
      return await this.createUser(input);
    } catch (err) {
      if (!(err instanceof SunshineApiError) || err.status !== 409) throw err;
      const raced = await this.getUser(input.externalId);
      if (raced) return raced;
      throw err;
    }
  }

  async createConversation(input: CreateConversationInput): Promise<SunshineConversation> {
    const body = await this.#request({
      operation: "createConversation",
        expect: 201,
      method: "post",
      path: "/v2/apps/{appId}/conversations",
      params: {},
      json: input,
    });
    return required(body.conversation, "createConversation", "conversation");
  }

  async getConversation(conversationId: string): Promise<SunshineConversation> {
    const body = await this.#request({
        operation: "getConversation",
        expect: 200,
        method: "get",
        path: "/v2/apps/{appId}/conversations/{conversationId}",
        params: { conversationId },
      });
    return required(body.conversation, "getConversation", "conversation");
  }

  /**
   * The user's conversations (first page). A caller whose createConversation timed out uses it to
   * find the conversation it may already have made, instead of making a second one.
   */
  async listConversations(filter: { userId: string } | { userExternalId: string }): Promise<SunshineConversation[]> {
    const body = await this.#request({
      operation: "listConversations",
      expect: 200,
      method: "get",
      path: "/v2/apps/{appId}/conversations",
      params: {},
      query:
        "userId" in filter ? { "filter[userId]": filter.userId } : { "filter[userExternalId]": filter.userExternalId },
    });
    return body.conversations ?? [];
  }

  /** Posts one message; returns the messages Zendesk created (keep their IDs to drop webhook echoes). */
  async postMessage(conversationId: string, input: PostMessageInput): Promise<SunshineMessage[]> {
    const body = await this.#request({
        operation: "postMessage",
        expect: 201,
        method: "post",
        path: "/v2/apps/{appId}/conversations/{conversationId}/messages",
        params: { conversationId },
        json: input,
      });
    return body.messages ?? [];
  }

  /**
   * Posts `text`, split with `splitText` into messages of at most 4096 characters, one after the
   * other so they arrive in order. Returns every created message in order; empty text posts nothing.
   */
  async postText(
    conversationId: string,
    author: MessageAuthor,
    text: string,
    metadata?: FlatMetadata,
  ): Promise<SunshineMessage[]> {
    const created: SunshineMessage[] = [];
    for (const chunk of splitText(text)) {
      const input: PostMessageInput = { author, content: { type: "text", text: chunk } };
      if (metadata) input.metadata = metadata;
      created.push(...(await this.postMessage(conversationId, input)));
    }
    return created;
  }

  /** One page of messages; Sunshine pages backwards from the newest, 100 at a time. */
  async listMessages(
    conversationId: string,
    page: { before?: string; after?: string } = {},
  ): Promise<ListMessagesResult> {
    const body = await this.#request({
        operation: "listMessages",
        expect: 200,
        method: "get",
        path: "/v2/apps/{appId}/conversations/{conversationId}/messages",
        params: { conversationId },
        query: { "page[before]": page.before, "page[after]": page.after },
      });
    const result: ListMessagesResult = { messages: body.messages ?? [], hasMore: body.meta?.hasMore ?? false };
    if (body.meta?.afterCursor) result.afterCursor = body.meta.afterCursor;
    if (body.meta?.beforeCursor) result.beforeCursor = body.meta.beforeCursor;
    return result;
  }

  /** Typing or read indicator. A `user` author may only send `conversation:read`. */
  async postActivity(conversationId: string, input: ActivityInput): Promise<void> {
    await this.#request({
      operation: "postActivity",
        expect: 200,
      method: "post",
      path: "/v2/apps/{appId}/conversations/{conversationId}/activity",
      params: { conversationId },
      json: input,
    });
  }

  /** Hands control to a switchboard integration, named by id, name (`zd-agentWorkspace`), type or `next`. */
  async passControl(conversationId: string, input: SwitchboardControlInput): Promise<void> {
    await this.#request({
      operation: "passControl",
        expect: 200,
      method: "post",
      path: "/v2/apps/{appId}/conversations/{conversationId}/passControl",
      params: { conversationId },
      json: input,
    });
  }

  async offerControl(conversationId: string, input: SwitchboardControlInput): Promise<void> {
    await this.#request({
      operation: "offerControl",
        expect: 200,
      method: "post",
      path: "/v2/apps/{appId}/conversations/{conversationId}/offerControl",
      params: { conversationId },
      json: input,
    });
  }

  /**
   * Releases control of the conversation. The spec's request body has only `metadata`, so a
   * `reason` is sent as `metadata.reason`; metadata is echoed in the `switchboard:releaseControl`
   * webhook, which is where the other side can read it. An explicit `metadata.reason` wins.
   * With an integration-scoped key Zendesk answers 403 while Agent Workspace is in control.
   */
  async releaseControl(conversationId: string, input: ReleaseControlInput = {}): Promise<void> {
    const metadata: FlatMetadata | undefined =
      input.reason === undefined ? input.metadata : { reason: input.reason, ...input.metadata };
    await this.#request({
      operation: "releaseControl",
        expect: 200,
      method: "post",
      path: "/v2/apps/{appId}/conversations/{conversationId}/releaseControl",
      params: { conversationId },
      json: metadata ? { metadata } : {},
    });
  }

  /**
   * Uploads a file for a message in `conversationId` (multipart field `source`). Zendesk deletes it
   * together with the message (`for=message`); only `access=public` exists.
   */
  async uploadAttachment(conversationId: string, input: UploadAttachmentInput): Promise<UploadedAttachment> {
    const body = await this.#request({
      operation: "uploadAttachment",
        expect: 201,
      method: "post",
      path: "/v2/apps/{appId}/attachments",
      params: {},
      query: { access: "public", for: "message", conversationId },
      multipart: () => {
        const form = new FormData();
        form.append("source", toBlob(input.data, input.mediaType), input.filename);
        return form;
      },
    });
    const mediaUrl = required(body.attachment?.mediaUrl, "uploadAttachment", "attachment.mediaUrl");
    return { mediaUrl, mediaType: body.attachment?.mediaType ?? input.mediaType };
  }

  // -------------------------------------------------------------------------------------------

  async #request<P extends ApiPath, M extends HttpMethod, S extends number>(
    spec: RequestSpec<P, M, S>,
  ): Promise<JsonResponseOf<OperationAt<P, M>, S>> {
    const pathname = fillPath(spec.path, this.appId, spec.params as Record<string, string>);
    const url = new URL(this.baseUrl + pathname);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const method = spec.method.toUpperCase();

    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const outcome = await this.#attempt(url, method, spec);
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const isLast = attempt >= this.#maxAttempts;
      const base = { operation: spec.operation, method, path: pathname, attempt, latencyMs };

      if (outcome.kind !== "response") {
        this.#report({ ...base, status: null, errorCode: outcome.kind === "timeout" ? "timeout" : "network_error" });
        if (isLast) {
          throw new SunshineTransportError({
            operation: spec.operation,
            kind: outcome.kind,
            attempts: attempt,
            cause: outcome.cause,
          });
        }
        await this.#sleep(this.#backoff(attempt));
        continue;
      }

      const { status, bodyText } = outcome;
      if (status >= 200 && status < 300) {
        this.#report({ ...base, status });
        // Trusting the documented shape here is deliberate: the sandbox validates responses against the spec.
        return parseSuccessBody(bodyText, spec.operation, status, attempt) as JsonResponseOf<OperationAt<P, M>, S>;
      }

      const parsedErrors = parseErrorBody(bodyText, status);
      const first = parsedErrors[0] ?? { code: `http_${status}`, title: "" };
      const errors = parsedErrors.length > 0 ? parsedErrors : [first];
      const retryAfterMs = status === 429 ? parseRetryAfter(outcome.retryAfterHeader, Date.now()) : undefined;
      const record: CallRecord = { ...base, status, errorCode: first.code };
      if (retryAfterMs !== undefined) record.retryAfterMs = retryAfterMs;
      this.#report(record);

      const transient = status === 429 || status >= 500;
      if (!transient || isLast) {
        const init: ConstructorParameters<typeof SunshineApiError>[0] = {
          status,
          code: first.code,
          title: first.title,
          errors,
          operation: spec.operation,
          retryable: transient,
          attempts: attempt,
        };
        if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
        throw new SunshineApiError(init);
      }
      await this.#sleep(
        retryAfterMs !== undefined ? Math.min(retryAfterMs, this.#maxRetryAfterMs) : this.#backoff(attempt),
      );
    }
  }

  async #attempt<P extends ApiPath, M extends HttpMethod, S extends number>(
    url: URL,
    method: string,
    spec: RequestSpec<P, M, S>,
  ): Promise<AttemptOutcome> {
    const headers: Record<string, string> = { Authorization: this.#authorization, Accept: "application/json" };
    let body: string | FormData | undefined;
    if (spec.multipart) {
      body = spec.multipart(); // fetch sets the multipart Content-Type with its boundary
    } else if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers["Content-Type"] = "application/json";
    }

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      const init: RequestInit = { method, headers, signal: controller.signal };
      if (body !== undefined) init.body = body;
      const response = await this.#fetch(url, init);
      // Reading the body stays under the same timer: a stalled body is as bad as a stalled connect.
      const bodyText = await response.text();
      return { kind: "response", status: response.status, bodyText, retryAfterHeader: response.headers.get("retry-after") };
    } catch (cause) {
      return controller.signal.aborted ? { kind: "timeout", cause } : { kind: "network", cause };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Full jitter: a uniform wait between 0 and the exponential ceiling spreads out retry storms. */
  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.#random() * ceiling);
  }

  #report(record: CallRecord): void {
    if (!this.#onCall) return;
    try {
      this.#onCall(record);
    } catch {
      // An observer must never turn a successful call into a failed one.
    }
  }
}

// ---------------------------------------------------------------------------------------------

function resolveBaseUrl(options: SunshineClientOptions): string {
  if (options.baseUrl) return options.baseUrl.replace(/\/+$/, "");
  const subdomain = options.subdomain;
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(subdomain)) {
    throw new TypeError(
      `SunshineClient: subdomain must be the bare Zendesk subdomain ("acme" for acme.zendesk.com), got "${subdomain}"`,
    );
  }
  return `https://${subdomain}.zendesk.com/sc`;
}

function fillPath(template: string, appId: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = name === "appId" ? appId : params[name];
    if (value === undefined || value === "") throw new TypeError(`Missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`SunshineClient: ${name} must be > 0`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`SunshineClient: ${name} must be >= 0`);
  return value;
}

function required<T>(value: T | undefined | null, operation: string, field: string): T {
  if (value === undefined || value === null) {
    throw new SunshineApiError({
      status: 200,
      code: "invalid_response",
      title: `Response has no ${field}`,
      operation,
      retryable: false,
      attempts: 1,
    });
  }
  return value;
}

function parseSuccessBody(text: string, operation: string, status: number, attempts: number): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The call went through, so retrying (possibly a POST) would do it twice.
    throw new SunshineApiError({
      status,
      code: "invalid_response",
      title: "Response body is not JSON",
      operation,
      retryable: false,
      attempts,
    });
  }
}

function parseErrorBody(text: string, status: number): ZendeskErrorDetail[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || !("errors" in parsed) || !Array.isArray(parsed.errors)) {
    return [];
  }
  const details: ZendeskErrorDetail[] = [];
  for (const entry of parsed.errors as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const code = "code" in entry && typeof entry.code === "string" ? entry.code : `http_${status}`;
    const title = "title" in entry && typeof entry.title === "string" ? entry.title : "";
    details.push({ code, title });
  }
  return details;
}

/** `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date always names its weekday and month; this stops Date.parse reading "-5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function toBlob(data: Uint8Array | Blob, mediaType: string): Blob {
  if (data instanceof Blob) return data.type ? data : new Blob([data], { type: mediaType });
  // Copy into a plain ArrayBuffer: a view over a SharedArrayBuffer is not a valid BlobPart.
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return new Blob([copy], { type: mediaType });
}
