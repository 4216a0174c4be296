import type { Services } from "./services.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/** Transport-specific hooks: the HTTP adapter sets cookies, createCaller tests record calls. */
export interface SessionTransport {
  setSessionToken(token: string, expiresAt: Date): void;
  clearSessionToken(): void;
  /** Client address, for rate limits. */
  clientIp: string;
}

export interface Context {
  services: Services;
  user: SessionUser | null;
  sessionTokenHash: string | null;
  transport: SessionTransport;
}
