import type { Database, HandoffLogs, Keyring, ProjectSettings, SecretStore, SmsConnections, Topics, ZendeskConnections } from "@zm/db";

export interface RateLimitResult {
  allowed: boolean;
  retryAfterMs: number;
}

/** Counts hits per key within a window. In-memory by default, Redis when scaled out. */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** The state after the hits so far, without counting one more. */
  peek(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  reset(key: string): Promise<void>;
}

/** Everything procedures need from the host, passed in so tests can build it without HTTP. */
export interface Services {
  db: Database;
  secrets: SecretStore;
  zendeskConnections: ZendeskConnections;
  smsConnections: SmsConnections;
  topics: Topics;
  projectSettings: ProjectSettings;
  /** Read-only view of the hand-off runtime for the logs page. */
  handoffLogs: HandoffLogs;
  keyring: () => Keyring;
  publicBaseUrl: string;
  rateLimiter: RateLimiter;
  /** Base URL override for the Sunshine Conversations API (sandbox, tests). */
  zendeskApiBaseUrl?: string;
  now?: () => Date;
  /** Called after a project's Zendesk connection changed, so runtime caches drop stale credentials. */
  onZendeskConnectionChanged?: (projectId: string) => void;
  onSmsConnectionChanged?: (projectId: string) => void;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (this.windows.size > 50_000) this.sweep(now);
    return { allowed: w.count <= limit, retryAfterMs: w.count <= limit ? 0 : w.resetAt - now };
  }

  async peek(key: string, limit: number, _windowMs: number): Promise<RateLimitResult> {
    const now = Date.now();
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now || w.count < limit) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: w.resetAt - now };
  }

  async reset(key: string) {
    this.windows.delete(key);
  }

  private sweep(now: number) {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}
