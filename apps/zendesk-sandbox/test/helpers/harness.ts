import { startSandbox, type Sandbox, type SandboxOptions, type SetupInput, type SetupResult } from "../../src/index.ts";
import { WebhookReceiver } from "./webhook-receiver.ts";

/** Small delivery timings so retries finish in milliseconds. */
export const FAST_DELIVERY: Pick<SandboxOptions, "delivery" | "statusDelivery"> = {
  delivery: { retryDelaysMs: [20, 40, 60, 80], timeoutMs: 400, batchWindowMs: 10 },
  statusDelivery: { retryDelaysMs: [20, 40, 60, 80, 100], timeoutMs: 400, retryAfterUnitMs: 10 },
};

export interface Harness {
  sandbox: Sandbox;
  receiver: WebhookReceiver;
  setup: SetupResult;
  api: SunshineClient;
  close(): Promise<void>;
}

export async function startHarness(options: SandboxOptions = {}, setupInput: SetupInput = {}): Promise<Harness> {
  const receiver = await new WebhookReceiver().start();
  const sandbox = await startSandbox({ port: 0, log: false, ...FAST_DELIVERY, ...options });
  const setup = sandbox.setup({ eventsUrl: `${receiver.url}/events`, statusUrl: `${receiver.url}/status`, ...setupInput });
  return {
    sandbox,
    receiver,
    setup,
    api: new SunshineClient(setup),
    close: async () => {
      await sandbox.close();
      await receiver.stop();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** The calls a client makes, with plain fetch and Basic auth. */
export class SunshineClient {
  constructor(
    readonly setup: SetupResult,
    private readonly keyId = setup.apiKeyId,
    private readonly keySecret = setup.apiKeySecret,
  ) {}

  withKey(keyId: string, keySecret: string): SunshineClient {
    return new SunshineClient(this.setup, keyId, keySecret);
  }

  get authorization(): string {
    return "Basic " + Buffer.from(`${this.keyId}:${this.keySecret}`).toString("base64");
  }

  async call<T = any>(method: string, path: string, body?: unknown, init: { headers?: Record<string, string>; rawBody?: string | Buffer; appId?: string; signal?: AbortSignal } = {}): Promise<ApiResponse<T>> {
    const url = `${this.setup.apiUrl}/v2/apps/${init.appId ?? this.setup.appId}${path}`;
    const headers: Record<string, string> = { authorization: this.authorization, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers };
    const response = await fetch(url, {
      method,
      headers,
      ...(init.rawBody !== undefined ? { body: init.rawBody } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  async createUser(externalId: string, profile: Record<string, string> = {}): Promise<string> {
    const response = await this.call("POST", "/users", { externalId, profile });
    if (response.status !== 201) throw new Error(`createUser: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.user.id;
  }

  async createConversation(userId: string, metadata: Record<string, string> = {}): Promise<string> {
    const response = await this.call("POST", "/conversations", { type: "personal", participants: [{ userId }], metadata });
    if (response.status !== 201) throw new Error(`createConversation: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.conversation.id;
  }

  async postText(conversationId: string, author: Record<string, unknown>, text: string, metadata?: Record<string, string>): Promise<string> {
    const response = await this.call("POST", `/conversations/${conversationId}/messages`, { author, content: { type: "text", text }, ...(metadata ? { metadata } : {}) });
    if (response.status !== 201) throw new Error(`postText: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.messages[0].id;
  }
}

/** Control API call (JSON), as the console and other tests use it. */
export async function control<T = any>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: body !== undefined ? { "content-type": "application/json" } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
