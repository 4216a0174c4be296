import { z } from "zod";

/** Accepts "+1 (555) 123-0001" style input and stores E.164. */
export function normalizePhoneNumber(input: string): string {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[^\d]/g, "");
  return trimmed.startsWith("+") || trimmed.startsWith("00") ? `+${digits.replace(/^00/, "")}` : digits ? `+${digits}` : "";
}

export const e164Schema = z
  .string()
  .transform(normalizePhoneNumber)
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, "Enter the number in international format, e.g. +15005550006"));

export function smsConnectionSchema(mode: "connect" | "update") {
  return z
    .object({
      accountSid: z
        .string()
        .trim()
        .regex(/^AC[0-9a-fA-F]{32}$/, "The Account SID starts with AC followed by 32 characters, as shown in the provider's console"),
      authToken: z.string().trim().max(200, "The auth token is too long").default(""),
      phoneNumber: e164Schema,
    })
    .superRefine((v, ctx) => {
      if (mode === "connect" && !v.authToken) ctx.addIssue({ code: "custom", path: ["authToken"], message: "Auth token is required" });
    });
}
export const smsConnectInput = smsConnectionSchema("connect");
export const smsUpdateInput = smsConnectionSchema("update");
export type SmsConnectionFormInput = z.input<typeof smsConnectInput>;
export type SmsConnectionValues = z.output<typeof smsConnectInput>;

export const smsConnectionView = z.object({
  projectId: z.string(),
  connected: z.boolean(),
  accountSid: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  authTokenSet: z.boolean(),
  connectedAt: z.iso.datetime().nullable(),
  /** Where the provider posts incoming messages (the number's "A message comes in" webhook). */
  inboundUrl: z.string(),
});
export type SmsConnectionView = z.infer<typeof smsConnectionView>;

export function smsInboundUrl(publicBaseUrl: string, projectId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/channels/sms/twilio/${encodeURIComponent(projectId)}`;
}
