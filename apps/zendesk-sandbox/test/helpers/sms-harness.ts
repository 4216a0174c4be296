import { createHmac } from "node:crypto";
import { startSandbox, type Sandbox, type SandboxOptions, type SmsSetupResult } from "../../src/index.ts";
import { WebhookReceiver, type ReceivedRequest } from "./webhook-receiver.ts";

/** Outbound texts move to sent and delivered within milliseconds. */
export const FAST_SMS: Pick<SandboxOptions, "sms"> = { sms: { sendDelayMs: 5, deliverDelayMs: 10, webhookTimeoutMs: 3000 } };

export const HANDSET = "+15551230001";

export interface SmsHarness {
  sandbox: Sandbox;
  receiver: WebhookReceiver;
  setup: SmsSetupResult;
  twilio: TwilioClient;
  close(): Promise<void>;
}

/** A sandbox with an SMS account whose project number posts to `${receiver.url}${smsPath}`. */
export async function startSmsHarness(smsPath = "/sms", options: SandboxOptions = {}): Promise<SmsHarness> {
  const receiver = await new WebhookReceiver().start();
  const sandbox = await startSandbox({ port: 0, log: false, ...FAST_SMS, ...options });
  const setup = sandbox.smsSetup({ smsUrl: `${receiver.url}${smsPath}` });
  return {
    sandbox,
    receiver,
    setup,
    twilio: new TwilioClient(setup),
    close: async () => {
      await sandbox.close();
      await receiver.stop();
    },
  };
}

export interface TwilioResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** What a product's Twilio client sends: form-encoded bodies and Basic `AccountSid:AuthToken`. */
export class TwilioClient {
  constructor(
    readonly setup: SmsSetupResult,
    private readonly password = setup.authToken,
  ) {}

  withToken(authToken: string): TwilioClient {
    return new TwilioClient(this.setup, authToken);
  }

  get accountUrl(): string {
    return `${this.setup.apiBaseUrl}/2010-04-01/Accounts/${this.setup.accountSid}`;
  }

  async createMessage(params: Record<string, string | string[]>): Promise<TwilioResponse> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
    return this.request("POST", `${this.accountUrl}/Messages.json`, form);
  }

  async get(path: string): Promise<TwilioResponse> {
    return this.request("GET", `${this.accountUrl}${path}`);
  }

  private async request(method: string, url: string, form?: URLSearchParams): Promise<TwilioResponse> {
    const response = await fetch(url, {
      method,
      headers: { authorization: "Basic " + Buffer.from(`${this.setup.accountSid}:${this.password}`).toString("base64") },
      ...(form ? { body: form } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }
}

/**
 * Twilio's documented algorithm, written out here rather than imported, so the tests check the
 * sandbox against the documentation: HMAC-SHA1 keyed with the auth token over the URL followed by
 * each POST parameter, sorted by name, as name + value; base64.
 */
export function expectedSignature(authToken: string, url: string, params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) for (const value of params.getAll(name).sort()) data += name + value;
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

export function formOf(request: ReceivedRequest): URLSearchParams {
  return new URLSearchParams(request.rawBody);
}
