import type { HandoffRuntime } from "@zm/handoff";
import { FAILURE_FLOOR_MS } from "@zm/handoff";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const PROJECT_ID = /^PROJECT-[0-9a-f]{8}$/;
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * Zendesk's two webhooks, at the exact paths admins paste into Admin Center. The body is kept
 * as the raw string: the status webhook's signature covers the bytes as sent.
 */
export async function webhookRoutes(app: FastifyInstance, runtime: HandoffRuntime) {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(["application/json", "application/json; charset=utf-8"], { parseAs: "string", bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    const handle = (ingest: HandoffRuntime["ingestConversationsWebhook"]) => async (req: FastifyRequest<{ Params: { projectId: string } }>, reply: FastifyReply) => {
      const startedAt = performance.now();
      const { projectId } = req.params;
      if (!PROJECT_ID.test(projectId)) {
        const wait = FAILURE_FLOOR_MS - (performance.now() - startedAt);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return reply.code(404).send({ error: "Unknown project" });
      }
      const result = await ingest({ projectId, headers: req.headers, rawBody: typeof req.body === "string" ? req.body : "", startedAt });
      return reply.code(result.status).send(result.body);
    };
    const base = "/handoff/webhooks/zendesk/PLATFORM/:projectId/live";
    scope.post(`${base}/events`, { bodyLimit: WEBHOOK_BODY_LIMIT }, handle(runtime.ingestConversationsWebhook));
    scope.post(`${base}/status`, { bodyLimit: WEBHOOK_BODY_LIMIT }, handle(runtime.ingestStatusWebhook));
  });
}
