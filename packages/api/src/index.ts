export { appRouter, createCaller, type AppRouter } from "./router.ts";
export type { Context, SessionTransport, SessionUser } from "./context.ts";
export { MemoryRateLimiter, type RateLimiter, type RateLimitResult, type Services } from "./services.ts";
export { hashPassword, verifyPassword } from "./auth/password.ts";
export { userForSessionToken, hashSessionToken, SESSION_TTL_MS } from "./auth/session-service.ts";
