/** One entry of Zendesk's `{"errors":[{"code","title"}]}` error body. */
export type ZendeskErrorDetail = { code: string; title: string };

/** Zendesk answered with a non-2xx status (or a 2xx body this client cannot read). */
export class SunshineApiError extends Error {
  override readonly name = "SunshineApiError";
  /** HTTP status of the last attempt. */
  readonly status: number;
  /** Zendesk's error code (e.g. `user_not_found`, `conflict`), or `http_<status>` when the body had none. */
  readonly code: string;
  /** Zendesk's human-readable error title. */
  readonly title: string;
  /** Every error Zendesk listed; only a 400 carries more than one. */
  readonly errors: readonly ZendeskErrorDetail[];
  /** Client operation name, e.g. `postMessage`. */
  readonly operation: string;
  /** True when the failure was transient (429 or 5xx) and all attempts were used up. */
  readonly retryable: boolean;
  /** How many HTTP attempts were made. */
  readonly attempts: number;
  /** The wait Zendesk asked for on the final 429, when it sent `Retry-After`. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    errors?: readonly ZendeskErrorDetail[];
    operation: string;
    retryable: boolean;
    attempts: number;
    retryAfterMs?: number;
  }) {
    super(`${init.operation} failed with HTTP ${init.status} ${init.code}: ${init.title}`);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.errors = init.errors ?? [{ code: init.code, title: init.title }];
    this.operation = init.operation;
    this.retryable = init.retryable;
    this.attempts = init.attempts;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** No HTTP response at all: the connection failed or the per-call timeout fired on every attempt. */
export class SunshineTransportError extends Error {
  override readonly name = "SunshineTransportError";
  readonly operation: string;
  readonly kind: "timeout" | "network";
  /** Always true: a missing response says nothing about whether a retry later would work. */
  readonly retryable = true as const;
  readonly attempts: number;

  constructor(init: { operation: string; kind: "timeout" | "network"; attempts: number; cause?: unknown }) {
    const what = init.kind === "timeout" ? "timed out" : "could not reach Zendesk";
    super(`${init.operation} ${what} after ${init.attempts} attempt(s)`, { cause: init.cause });
    this.operation = init.operation;
    this.kind = init.kind;
    this.attempts = init.attempts;
  }
}

/** True when `err` is a client error worth retrying later (rate limit, Zendesk outage, network or timeout). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof SunshineApiError) return err.retryable;
  if (err instanceof SunshineTransportError) return true;
  return false;
}
