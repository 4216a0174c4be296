import type { RateLimiter } from "@zm/api";
import type { HandoffRuntime } from "@zm/handoff";
import { authFailureGuard } from "./webhooks.ts";
import { EMPTY_TWIML } from "@zm/sms";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const PROJECT_ID = /^PROJECT-[0-9a-f]{8}$/;
const FORM_LIMIT = 64 * 1024;

function parseForm(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/**
 * Inbound SMS from a Twilio-compatible provider. The signature covers the URL the provider
 * called, which is our public base URL plus this path (and any query string).
 */
export async function smsRoutes(app: FastifyInstance, runtime: HandoffRuntime, publicBaseUrl: string, limiter: RateLimiter) {
  const guard = authFailureGuard(limiter, "sms");
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: FORM_LIMIT }, (_req, body, done) => done(null, body));
    scope.post("/channels/sms/twilio/:projectId", async (req: FastifyRequest<{ Params: { projectId: string } }>, reply: FastifyReply) => {
      const startedAt = performance.now();
      const retryAfterMs = await guard.blocked(req.ip);
      if (retryAfterMs !== null) {
        return reply.code(429).header("retry-after", String(Math.ceil(retryAfterMs / 1000))).send({ error: "Too many failed authentications from this address" });
      }
      const { projectId } = req.params;
      if (!PROJECT_ID.test(projectId)) {
        await guard.failed(req.ip);
        return reply.code(404).send({ error: "Unknown project" });
      }
      const signature = req.headers["x-twilio-signature"];
      const result = await runtime.ingestSms({
        projectId,
        url: `${publicBaseUrl.replace(/\/+$/, "")}${req.url}`,
        params: parseForm(typeof req.body === "string" ? req.body : ""),
        signature: Array.isArray(signature) ? signature[0] : signature,
        startedAt,
      });
      if (result.status === 200) return reply.code(200).type("text/xml; charset=utf-8").send(EMPTY_TWIML);
      if (result.status === 403 || result.status === 404) await guard.failed(req.ip);
      return reply.code(result.status).send({ error: result.error });
    });
  });
}
