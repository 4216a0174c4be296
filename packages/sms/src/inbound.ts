import { z } from "zod";

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 phone number like +15551230001");

export const inboundSmsSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i, "MessageSid must look like SM followed by 32 hex digits"),
  AccountSid: z.string().regex(/^AC[0-9a-f]{32}$/i, "AccountSid must look like AC followed by 32 hex digits"),
  From: e164,
  To: e164,
  Body: z.string().max(1600 * 10).default(""),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
});

export interface InboundSms {
  messageSid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  media: Array<{ url: string; contentType: string | null }>;
}

/** Parses Twilio's inbound-message form. Never throws. */
export function parseInboundSms(params: Record<string, string | string[] | undefined>): { ok: true; sms: InboundSms } | { ok: false; error: string } {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) flat[k] = Array.isArray(v) ? (v[0] ?? "") : v;
  const parsed = inboundSmsSchema.safeParse(flat);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "form"} ${issue?.message ?? "is invalid"}` };
  }
  const media: InboundSms["media"] = [];
  for (let i = 0; i < parsed.data.NumMedia; i++) {
    const url = flat[`MediaUrl${i}`];
    if (url && /^https?:\/\//.test(url)) media.push({ url, contentType: flat[`MediaContentType${i}`] ?? null });
  }
  return {
    ok: true,
    sms: { messageSid: parsed.data.MessageSid, accountSid: parsed.data.AccountSid, from: parsed.data.From, to: parsed.data.To, body: parsed.data.Body, media },
  };
}

// The keywords Twilio documents for its standard opt-out handling.
const OPT_OUT = new Set(["stop", "stopall", "unsubscribe", "cancel", "end", "quit"]);
const OPT_IN = new Set(["start", "yes", "unstop"]);

/** A message that is only an opt-out or opt-in keyword, in any case. */
export function optKeyword(body: string): "opt_out" | "opt_in" | null {
  const word = body.trim().toLowerCase();
  if (OPT_OUT.has(word)) return "opt_out";
  if (OPT_IN.has(word)) return "opt_in";
  return null;
}

/** The empty TwiML answer: we reply later through the Messages API, not inline. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
