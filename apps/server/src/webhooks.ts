import type { RateLimiter } from "@zm/api";
import type { HandoffRuntime } from "@zm/handoff";
import { FAILURE_FLOOR_MS } from "@zm/handoff";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const PROJECT_ID = /^PROJECT-[0-9a-f]{8}$/;
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * Zendesk's two webhooks, at the exact paths admins paste into Admin Center. The body is kept
 * as the raw string: the status webhook's signature covers the bytes as sent.
 */
/** Failed authentications one address may cause before it is refused outright for a while. */
export const AUTH_FAILURE_LIMIT = { count: 30, windowMs: 60_000 };

/**
 * Counts authentication failures per source address; past the limit, requests from it are
 * refused with 429 before any work (a wrong secret is never right on the 31st try).
 */
export function authFailureGuard(limiter: RateLimiter, scope: string) {
  return {
    async blocked(ip: string): Promise<number | null> {
      const key = `authfail:${scope}:${ip}`;
      const state = await limiter.peek(key, AUTH_FAILURE_LIMIT.count, AUTH_FAILURE_LIMIT.windowMs);
      return state.allowed ? null : state.retryAfterMs;
    },
    async failed(ip: string) {
      await limiter.hit(`authfail:${scope}:${ip}`, AUTH_FAILURE_LIMIT.count, AUTH_FAILURE_LIMIT.windowMs);
    },
  };
}

export async function webhookRoutes(app: FastifyInstance, runtime: HandoffRuntime, limiter: RateLimiter) {
  const guard = authFailureGuard(limiter, "zendesk");
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(["application/json", "application/json; charset=utf-8"], { parseAs: "string", bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    const handle = (ingest: HandoffRuntime["ingestConversationsWebhook"]) => async (req: FastifyRequest<{ Params: { projectId: string } }>, reply: FastifyReply) => {
      const startedAt = performance.now();
      const retryAfterMs = await guard.blocked(req.ip);
      if (retryAfterMs !== null) {
        return reply.code(429).header("retry-after", String(Math.ceil(retryAfterMs / 1000))).send({ error: "Too many failed authentications from this address" });
      }
      const { projectId } = req.params;
      if (!PROJECT_ID.test(projectId)) {
        await guard.failed(req.ip);
        const wait = FAILURE_FLOOR_MS - (performance.now() - startedAt);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return reply.code(404).send({ error: "Unknown project" });
      }
      const result = await ingest({ projectId, headers: req.headers, rawBody: typeof req.body === "string" ? req.body : "", startedAt });
      if (result.authFailure) await guard.failed(req.ip);
      return reply.code(result.status).send(result.body);
    };
    const base = "/handoff/webhooks/zendesk/PLATFORM/:projectId/live";
    scope.post(`${base}/events`, { bodyLimit: WEBHOOK_BODY_LIMIT }, handle(runtime.ingestConversationsWebhook));
    scope.post(`${base}/status`, { bodyLimit: WEBHOOK_BODY_LIMIT }, handle(runtime.ingestStatusWebhook));
  });
}
