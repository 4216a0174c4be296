import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Twilio's request signature: base64(HMAC-SHA1(auth token, URL + each POST parameter sorted by
 * name, as name then value)). `url` is the full URL Twilio called, query string included.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    for (const v of Array.isArray(value) ? [...value].sort() : [value]) data += name + v;
  }
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/** Constant-time check of an `X-Twilio-Signature` header. */
export function verifyTwilioSignature(input: { authToken: string; url: string; params: Record<string, string | string[]>; signature: string | undefined }): boolean {
  if (!input.signature) return false;
  const expected = Buffer.from(twilioSignature(input.authToken, input.url, input.params), "utf8");
  const given = Buffer.from(input.signature, "utf8");
  // Equal lengths first: timingSafeEqual throws otherwise, and the length of a base64 SHA-1 is public.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
