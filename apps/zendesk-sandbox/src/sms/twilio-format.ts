import { createHmac, randomBytes } from "node:crypto";

/** The only REST API version the Messages resource lives under. */
export const TWILIO_API_VERSION = "2010-04-01";

/** Twilio's documented body limit; longer bodies are refused with 21617. */
export const MAX_BODY_CHARACTERS = 1600;

/** Twilio accepts up to 10 MediaUrl values per message. */
export const MAX_MEDIA_PER_MESSAGE = 10;

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** A Twilio SID: a two-letter type prefix (AC, PN, SM, MM, ME) and 32 hex digits. */
export function twilioSid(prefix: "AC" | "PN" | "SM" | "MM" | "ME"): string {
  return prefix + randomBytes(16).toString("hex");
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Thu, 30 Jul 2015 20:12:31 +0000`: the RFC 2822 form Twilio uses for every `date_*` field. */
export function rfc2822(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

// GSM 03.38: the default alphabet (one septet each) and the extension table (escape + one septet).
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENSION = new Set("^{}\\[~]|€\f");

/**
 * How many SMS segments a body takes: GSM-7 fits 160 septets in one segment and 153 per segment once
 * concatenated; anything outside GSM-7 goes as UCS-2, 70 code units alone or 67 per segment.
 */
export function countSegments(body: string): number {
  let septets = 0;
  let gsm = true;
  for (const char of body) {
    if (GSM_BASIC.has(char)) septets += 1;
    else if (GSM_EXTENSION.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

/** The JSON error body every Twilio REST error has. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** An error the Messages API answers with Twilio's error shape and code. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  toBody(): TwilioErrorBody {
    return twilioErrorBody(this.status, this.code, this.message);
  }
}

export function twilioErrorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth token, of the URL exactly as configured
 * followed by every POST parameter sorted by name (case-sensitive), each as name then value.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((signed, name) => signed + name + params[name], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

const EXTENSION_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  mp4: "video/mp4",
  mp3: "audio/mpeg",
  vcf: "text/vcard",
  txt: "text/plain",
};

/** Twilio reads the type of a MediaUrl from the fetched file; without fetching, the extension decides. */
export function contentTypeForUrl(url: string): string {
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // Not absolute: fall back to reading the raw string.
  }
  const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  return (extension && EXTENSION_TYPES[extension]) || "application/octet-stream";
}

/** A `<Message>` verb of a TwiML answer: Twilio sends it back to the sender as a reply. */
export interface TwimlReply {
  body: string;
  mediaUrls: string[];
}

/**
 * The `<Message>` verbs of a TwiML `<Response>`, either plain text (`<Message>Hi</Message>`) or nouns
 * (`<Message><Body>Hi</Body><Media>url</Media></Message>`). Other verbs (Redirect) are not followed.
 */
export function twimlReplies(xml: string): TwimlReply[] {
  if (!/<Response[\s>/]/.test(xml)) return [];
  const replies: TwimlReply[] = [];
  for (const match of xml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)) {
    const inner = match[1] ?? "";
    const bodies = [...inner.matchAll(/<Body(?:\s[^>]*)?>([\s\S]*?)<\/Body>/g)].map((m) => xmlText(m[1] ?? ""));
    const mediaUrls = [...inner.matchAll(/<Media(?:\s[^>]*)?>([\s\S]*?)<\/Media>/g)].map((m) => xmlText(m[1] ?? "").trim()).filter(Boolean);
    const hasNouns = /<(Body|Media)[\s>]/.test(inner);
    const body = hasNouns ? bodies.join("") : xmlText(inner);
    if (body !== "" || mediaUrls.length > 0) replies.push({ body, mediaUrls });
  }
  return replies;
}

function xmlText(fragment: string): string {
  const withoutCdata = fragment.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, text: string) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!));
  return withoutCdata
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_m, entity: string) => {
      const lower = entity.toLowerCase();
      if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
      if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
      return ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" } as Record<string, string>)[lower]!;
    });
}
