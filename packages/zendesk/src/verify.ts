import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Request headers as Node gives them (`IncomingHttpHeaders`) or as a plain lower-cased record. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export const SIGNATURE_HEADER = "x-zendesk-webhook-signature";
export const SIGNATURE_TIMESTAMP_HEADER = "x-zendesk-webhook-signature-timestamp";
const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Constant-time string comparison. Both sides are hashed first so that the comparison takes the
 * same time whatever their lengths; comparing lengths first would leak the secret's length.
 * The UTF-16 code units are hashed, not UTF-8: UTF-8 turns every lone surrogate into U+FFFD,
 * which would make different strings compare equal.
 */
export function safeEqual(a: string, b: string): boolean {
  const digestA = createHash("sha256").update(a, "utf16le").digest();
  const digestB = createHash("sha256").update(b, "utf16le").digest();
  return timingSafeEqual(digestA, digestB);
}

export type ConversationsWebhookFailure = "missing_api_key" | "bad_api_key" | "wrong_app" | "wrong_webhook";
export type ConversationsWebhookVerification = { ok: true } | { ok: false; reason: ConversationsWebhookFailure };

/**
 * Authenticates a Sunshine Conversations (integration) webhook delivery. Sunshine signs nothing: it
 * sends the integration's shared secret verbatim in `X-API-Key`. The app and webhook IDs in the body
 * are checked as well, which also routes deliveries when one endpoint serves several tenants.
 */
export function verifyConversationsWebhook(input: {
  headers: WebhookHeaders;
  body: unknown;
  expected: { sharedSecret: string; appId: string; webhookId: string };
}): ConversationsWebhookVerification {
  const apiKey = singleHeader(input.headers, "x-api-key");
  if (apiKey === undefined || apiKey === "") return { ok: false, reason: "missing_api_key" };
  // An empty configured secret would otherwise match nothing useful; treat it as a mismatch, never a pass.
  if (input.expected.sharedSecret === "" || !safeEqual(apiKey, input.expected.sharedSecret)) {
    return { ok: false, reason: "bad_api_key" };
  }
  if (nestedId(input.body, "app") !== input.expected.appId) return { ok: false, reason: "wrong_app" };
  if (nestedId(input.body, "webhook") !== input.expected.webhookId) return { ok: false, reason: "wrong_webhook" };
  return { ok: true };
}

export type StatusWebhookFailure =
  | "missing_auth"
  | "bad_auth"
  | "missing_signature"
  | "bad_signature"
  | "stale_timestamp";
export type StatusWebhookVerification = { ok: true } | { ok: false; reason: StatusWebhookFailure };

/**
 * Authenticates a Zendesk events webhook delivery (the ticket-status webhook).
 *
 * - The admin-chosen API-key header (`expected.headerName`, any case) must carry `expected.headerValue`.
 * - When a signing secret is configured, `X-Zendesk-Webhook-Signature` must equal
 *   base64(HMAC-SHA256(secret as UTF-8 text, timestamp + rawBody)). The body + timestamp order is
 *   accepted too, because an older revision of Zendesk's page documents it and its worked example
 *   only validates that way (PROTOCOL §3.3); which order production uses is unconfirmed.
 * - The signature timestamp must be within `toleranceSeconds` of `now`, in either direction, so a
 *   captured delivery cannot be replayed later. Freshness is judged only after the signature matched,
 *   so `stale_timestamp` always means "genuine but too old or too new" (for example clock skew).
 *
 * `rawBody` must be the bytes as received: re-serialised JSON does not verify.
 */
export function verifyStatusWebhook(input: {
  headers: WebhookHeaders;
  rawBody: string | Uint8Array;
  expected: { headerName: string; headerValue: string; signingSecret?: string };
  now?: Date;
  toleranceSeconds?: number;
}): StatusWebhookVerification {
  const { expected } = input;
  const auth = singleHeader(input.headers, expected.headerName);
  if (auth === undefined || auth === "") return { ok: false, reason: "missing_auth" };
  if (expected.headerValue === "" || !safeEqual(auth, expected.headerValue)) return { ok: false, reason: "bad_auth" };

  if (!expected.signingSecret) return { ok: true };

  const signature = singleHeader(input.headers, SIGNATURE_HEADER);
  const timestamp = singleHeader(input.headers, SIGNATURE_TIMESTAMP_HEADER);
  if (!signature || !timestamp) return { ok: false, reason: "missing_signature" };

  const body = toBuffer(input.rawBody);
  const timestampFirst = hmacBase64(expected.signingSecret, Buffer.from(timestamp, "utf8"), body);
  const bodyFirst = hmacBase64(expected.signingSecret, body, Buffer.from(timestamp, "utf8"));
  // Evaluate both comparisons unconditionally so timing does not reveal which order matched.
  const matchesTimestampFirst = safeEqual(signature, timestampFirst);
  const matchesBodyFirst = safeEqual(signature, bodyFirst);
  if (!matchesTimestampFirst && !matchesBodyFirst) return { ok: false, reason: "bad_signature" };

  const signedAt = Date.parse(timestamp);
  const toleranceMs = (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
  const nowMs = (input.now ?? new Date()).getTime();
  if (Number.isNaN(signedAt) || Math.abs(nowMs - signedAt) > toleranceMs) return { ok: false, reason: "stale_timestamp" };
  return { ok: true };
}

/**
 * The signature Zendesk puts in `X-Zendesk-Webhook-Signature`: base64(HMAC-SHA256(secret, timestamp + rawBody)).
 * For tests and local tools that play Zendesk.
 */
export function signStatusWebhook(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  return hmacBase64(secret, Buffer.from(timestamp, "utf8"), toBuffer(rawBody));
}

function hmacBase64(secret: string, first: Buffer, second: Buffer): string {
  // The key is the secret's text, not its base64 decoding, even though it looks like base64.
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(first).update(second).digest("base64");
}

function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * Reads one header case-insensitively. A repeated header is treated as absent-or-ambiguous:
 * only a single value can authenticate a request.
 */
function singleHeader(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let value: unknown = Object.hasOwn(headers, wanted) ? headers[wanted] : undefined;
  if (value === undefined) {
    for (const [key, candidate] of Object.entries(headers)) {
      if (key.toLowerCase() === wanted) {
        value = candidate;
        break;
      }
    }
  }
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") return value[0];
  return undefined;
}

function nestedId(body: unknown, key: "app" | "webhook"): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const inner: unknown = (body as Record<string, unknown>)[key];
  if (typeof inner !== "object" || inner === null) return undefined;
  const id: unknown = (inner as Record<string, unknown>).id;
  return typeof id === "string" ? id : undefined;
}
