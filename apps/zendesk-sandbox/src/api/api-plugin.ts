import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { SandboxHttpError, forbidden, notFound } from "../domain/errors.ts";
import type { ViolationReporter } from "../deliveries/conversations-webhook.ts";
import type { FaultRegistry } from "../faults/fault-registry.ts";
import type { SpecOperation } from "../spec/operations.ts";
import type { SpecValidator } from "../spec/spec-validator.ts";
import type { AttachmentRecord } from "../state/model.ts";
import type { StateStore } from "../state/store.ts";
import type { LogFn } from "../util/log.ts";
import { authenticate, type Caller } from "./auth.ts";
import { documentedRuleProblems } from "./documented-rules.ts";
import type { ApiHandler, ApiServices } from "./handler-types.ts";
import { attachmentHandlers } from "./handlers/attachments.ts";
import { conversationHandlers } from "./handlers/conversations.ts";
import { switchboardHandlers } from "./handlers/switchboard.ts";
import { userHandlers } from "./handlers/users.ts";
import { webhookHandlers } from "./handlers/webhooks.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    operationId?: string;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
}

export interface ApiPluginOptions {
  validator: SpecValidator;
  store: StateStore;
  faults: FaultRegistry;
  services: ApiServices;
  reportViolation: ViolationReporter;
  baseUrl: () => string;
  findAttachment: (id: string) => AttachmentRecord | undefined;
  log: LogFn;
}

/** Files may be up to 50 MB (spec, "Request Size Limits"). */
const UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

/**
 * The Sunshine Conversations v2 API under `/sc`: routes come from the spec; every request is
 * authenticated, scope-checked and validated against it, and every response is checked too.
 */
export async function apiPlugin(api: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  const { validator, store, faults, services, reportViolation, log } = options;
  const handlers: Record<string, ApiHandler> = {
    ...userHandlers(services),
    ...conversationHandlers(services),
    ...switchboardHandlers(services),
    ...attachmentHandlers(services),
    ...webhookHandlers(),
  };

  api.addContentTypeParser("multipart/form-data", { parseAs: "buffer", bodyLimit: UPLOAD_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  api.setErrorHandler((error: FastifyError | SandboxHttpError, request, reply) => {
    const { status, errors } = toErrorResponse(error);
    if (status >= 500) log(`API ${request.method} ${request.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return reply.code(status).send({ errors });
  });

  api.addHook("onRequest", async (request, reply) => {
    const operationId = request.routeOptions.config.operationId;
    if (!operationId) return;
    const fault = faults.takeApiFault(operationId, request.url.split("?")[0]!);
    if (fault?.mode === "hang") {
      // Never answer: the client's own timeout decides when it gives up.
      reply.hijack();
      return reply;
    }
    if (fault?.mode === "429") {
      if (fault.retryAfterSeconds !== undefined) reply.header("retry-after", String(fault.retryAfterSeconds));
      return reply.code(429).send({ errors: [{ code: "too_many_requests", title: "Too many requests" }] });
    }
    if (fault?.mode === "500") return reply.code(500).send({ errors: [{ code: "internal_error", title: "Internal server error" }] });

    const caller = authenticate(store.state, request.headers.authorization);
    const appId = (request.params as Record<string, string>).appId;
    if (appId !== undefined && appId !== caller.app.id) {
      if (!store.state.apps.some((a) => a.id === appId)) throw notFound("app_not_found", "App not found");
      throw new SandboxHttpError(401, "unauthorized", "Authorization is required");
    }
    const operation = validator.operations.get(operationId);
    if (operation && !operation.scopes.includes(caller.key.scope)) {
      throw forbidden(`This operation requires one of the scopes ${operation.scopes.join(", ")}; the key has ${caller.key.scope} scope`);
    }
    request.caller = caller;
  });

  api.addHook("preValidation", async (request) => {
    const operation = operationOf(request, validator);
    if (!operation) return;
    checkContentType(operation, request);
    if (operation.requestBodyRequired && request.body === undefined && operation.requestContentTypes.includes("application/json")) {
      throw new SandboxHttpError(400, "bad_request", "A JSON request body is required");
    }
    const issues = validator.validateRequest(
      operation,
      { params: request.params as Record<string, string>, query: request.query as Record<string, unknown>, body: request.body },
      request.headers["content-type"],
    );
    const problems = issues.length > 0 ? issues.map((i) => `${i.where} ${i.message}`) : documentedRuleProblems(operation.operationId, request.body);
    if (problems.length > 0) {
      throw new SandboxHttpError(400, "bad_request", problems[0]!, problems.slice(1).map((title) => ({ code: "bad_request", title })));
    }
  });

  api.addHook("onSend", async (request, reply, payload) => {
    if (typeof payload !== "string" || !String(reply.getHeader("content-type") ?? "").includes("json")) return payload;
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      reportViolation(`${request.method} ${request.url}`, [{ where: "response", message: "is not JSON" }], payload);
      return payload;
    }
    const operation = operationOf(request, validator);
    const issues = operation ? validator.validateResponse(operation, reply.statusCode, body) : validator.validateComponent("errorResponse", body);
    if (issues.length > 0) reportViolation(`${operation?.operationId ?? request.url} → ${reply.statusCode}`, issues, body);
    return payload;
  });

  for (const operation of validator.operations.values()) {
    const handler = handlers[operation.operationId];
    if (!handler) continue;
    api.route({
      method: operation.method,
      url: operation.routePath,
      config: { operationId: operation.operationId },
      handler: async (request, reply) => {
        const result = handler({
          request,
          caller: request.caller!,
          app: services.sunshine.app((request.params as Record<string, string>).appId!),
          params: request.params as Record<string, string>,
          query: request.query as Record<string, unknown>,
          body: request.body,
          baseUrl: options.baseUrl(),
        });
        return reply.code(result.status).send(result.body);
      },
    });
  }

  // Uploaded files, public like Zendesk's attachment URLs (`access=public`).
  api.get("/attachments/v2/:id/:name", async (request, reply) => {
    const { id } = request.params as { id: string };
    const attachment = options.findAttachment(id);
    if (!attachment) return reply.code(404).send({ errors: [{ code: "not_found", title: "Attachment not found" }] });
    return reply.header("content-type", attachment.mediaType).header("content-length", attachment.size).send(Buffer.from(attachment.base64, "base64"));
  });

  api.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0]!.replace(/^\/sc/, "");
    const known = [...validator.operations.values()].find((op) => op.method === request.method && op.pathPattern.test(path));
    if (known) {
      const caller = authenticate(store.state, request.headers.authorization);
      if (!known.scopes.includes(caller.key.scope)) throw forbidden(`This operation requires one of the scopes ${known.scopes.join(", ")}`);
      return reply.code(501).send({ errors: [{ code: "not_implemented", title: `${request.method} ${path} is in the spec but not modelled by the sandbox` }] });
    }
    return reply.code(404).send({ errors: [{ code: "not_found", title: "Resource not found" }] });
  });
}

function operationOf(request: FastifyRequest, validator: SpecValidator): SpecOperation | undefined {
  const operationId = request.routeOptions.config?.operationId;
  return operationId ? validator.operations.get(operationId) : undefined;
}

function checkContentType(operation: SpecOperation, request: FastifyRequest): void {
  if (request.body === undefined || operation.requestContentTypes.length === 0) return;
  const mediaType = String(request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (!operation.requestContentTypes.includes(mediaType)) {
    throw new SandboxHttpError(415, "unsupported_media_type", `Content-Type must be ${operation.requestContentTypes.join(" or ")}`);
  }
}

function toErrorResponse(error: FastifyError | SandboxHttpError): { status: number; errors: { code: string; title: string }[] } {
  if (error instanceof SandboxHttpError) return { status: error.status, errors: [{ code: error.code, title: error.title }, ...error.extraErrors] };
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, errors: [{ code: "payload_too_large", title: "The request body is larger than the 100kb JSON limit" }] };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, errors: [{ code: "unsupported_media_type", title: "Content-Type must be application/json" }] };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, errors: [{ code: "bad_request", title: error.message }] };
  }
  if (error.statusCode === 400) return { status: 400, errors: [{ code: "bad_request", title: error.message }] };
  return { status: 500, errors: [{ code: "internal_error", title: "Internal server error" }] };
}
