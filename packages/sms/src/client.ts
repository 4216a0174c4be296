import { splitText } from "@zm/contracts";

export const SMS_TEXT_LIMIT = 1600;
export const TWILIO_API_BASE_URL = "https://api.twilio.com";

export interface SmsCredentials {
  accountSid: string;
  authToken: string;
}

export interface SentSms {
  sid: string;
  status: string;
}

/** A refusal or failure from the Messages API, with Twilio's error code when it gave one. */
export class SmsProviderError extends Error {
  override name = "SmsProviderError";
  constructor(
    readonly status: number | null,
    readonly code: number | null,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface SmsClientOptions extends SmsCredentials {
  baseUrl?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Twilio's Messages API. One attempt per call: the caller's outbox owns retries (it knows what
 * was already sent). Text over 1600 characters is sent as several messages, in order.
 */
export class SmsClient {
  readonly #authorization: string;
  readonly #fetch: typeof fetch;
  constructor(private readonly options: SmsClientOptions) {
    this.#authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  private get base() {
    return (this.options.baseUrl ?? TWILIO_API_BASE_URL).replace(/\/+$/, "");
  }

  async send(input: { from: string; to: string; body: string; mediaUrls?: string[] }): Promise<SentSms[]> {
    const parts = splitText(input.body, SMS_TEXT_LIMIT);
    if (parts.length === 0 && !input.mediaUrls?.length) return [];
    const sent: SentSms[] = [];
    for (const [i, body] of (parts.length ? parts : [""]).entries()) {
      const form = new URLSearchParams({ To: input.to, From: input.from, Body: body });
      if (i === 0) for (const url of input.mediaUrls ?? []) form.append("MediaUrl", url);
      sent.push(await this.post(form));
    }
    return sent;
  }

  private async post(form: URLSearchParams): Promise<SentSms> {
    const url = `${this.base}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/Messages.json`;
    let res: Response;
    try {
      res = await this.#fetch(url, {
        method: "POST",
        headers: { authorization: this.#authorization, "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new SmsProviderError(null, null, `SMS provider unreachable: ${err instanceof Error ? err.message : String(err)}`, true);
    }
    const body = (await res.json().catch(() => ({}))) as { sid?: string; status?: string | number; code?: number; message?: string };
    if (res.status === 201 || res.status === 200) {
      if (!body.sid) throw new SmsProviderError(res.status, null, "SMS provider answered without a message sid", true);
      return { sid: body.sid, status: String(body.status ?? "queued") };
    }
    const retryAfter = Number(res.headers.get("retry-after"));
    const retryable = res.status === 429 || res.status >= 500;
    throw new SmsProviderError(
      res.status,
      typeof body.code === "number" ? body.code : null,
      `${res.status}${body.code ? ` (${body.code})` : ""}: ${body.message ?? "SMS provider refused the message"}`,
      retryable,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    );
  }
}
