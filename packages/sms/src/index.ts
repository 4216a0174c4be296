export { twilioSignature, verifyTwilioSignature } from "./signature.ts";
export { parseInboundSms, optKeyword, inboundSmsSchema, EMPTY_TWIML, type InboundSms } from "./inbound.ts";
export { SmsClient, SmsProviderError, SMS_TEXT_LIMIT, TWILIO_API_BASE_URL, type SentSms, type SmsClientOptions, type SmsCredentials } from "./client.ts";
