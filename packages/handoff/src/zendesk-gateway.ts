import type { ZendeskCredentials } from "@zm/db";
import { SunshineClient, type CallRecord } from "@zm/zendesk";
import type { Stores } from "./deps.ts";

interface CachedCredentials {
  credentials: ZendeskCredentials | null;
  expiresAt: number;
}

const CREDENTIALS_TTL_MS = 15_000;

/**
 * Credentials and Sunshine clients per project. Credentials are cached briefly so webhook
 * verification does not decrypt on every delivery; an update in Studio calls `forget`.
 */
export class ZendeskGateway {
  private readonly cache = new Map<string, CachedCredentials>();

  constructor(
    private readonly stores: Pick<Stores, "connections" | "apiCalls">,
    private readonly options: { apiBaseUrl?: string | undefined; timeoutMs: number },
  ) {}

  async credentials(projectId: string): Promise<ZendeskCredentials | null> {
    const hit = this.cache.get(projectId);
    if (hit && hit.expiresAt > Date.now()) return hit.credentials;
    const credentials = await this.stores.connections.credentials(projectId);
    this.cache.set(projectId, { credentials, expiresAt: Date.now() + CREDENTIALS_TTL_MS });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return credentials;
  }

  forget(projectId: string) {
    this.cache.delete(projectId);
  }

  /**
   * A client for one project's hand-off work. It makes one attempt per call: retries belong to
   * the outbox, which knows how to check whether a lost attempt landed before trying again.
   */
  async client(projectId: string, sessionId: string | null): Promise<{ client: SunshineClient; credentials: ZendeskCredentials } | null> {
    const credentials = await this.credentials(projectId);
    if (!credentials) return null;
    const client = new SunshineClient({
      subdomain: credentials.subdomain,
      appId: credentials.appId,
      apiKeyId: credentials.apiKeyId,
      apiKeySecret: credentials.apiKeySecret,
      baseUrl: this.options.apiBaseUrl,
      timeoutMs: this.options.timeoutMs,
      retry: { maxAttempts: 1 },
      onCall: (call: CallRecord) => {
        void this.stores.apiCalls
          .record({
            projectId,
            sessionId,
            target: "zendesk",
            operation: call.operation,
            status: call.status,
            attempt: call.attempt,
            latencyMs: call.latencyMs,
            errorCode: call.errorCode ?? null,
          })
          .catch(() => {});
      },
    });
    return { client, credentials };
  }
}
