import type { FastifyInstance } from "fastify";
import { SandboxHttpError } from "../domain/errors.ts";
import type { SetupInput } from "../domain/app-setup.ts";
import type { SandboxCore, StatusWebhookPatch, UserMessageInput, WebhookPatch } from "../sandbox-core.ts";
import { restrictToLoopback } from "./loopback-guard.ts";

export interface ControlPluginOptions {
  core: SandboxCore;
  allowRemote: boolean;
}

/** JSON control API under `/_sandbox`, for the console, tests and demos. Not part of Zendesk. */
export async function controlPlugin(control: FastifyInstance, { core, allowRemote }: ControlPluginOptions): Promise<void> {
  restrictToLoopback(control, allowRemote);

  control.setErrorHandler((error, _request, reply) => {
    if (error instanceof SandboxHttpError) return reply.code(error.status).send({ error: error.title, code: error.code });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: error instanceof Error ? error.message : String(error) });
  });

  const ticketId = (params: unknown) => {
    const id = Number((params as { id: string }).id);
    if (!Number.isInteger(id)) throw new SandboxHttpError(404, "ticket_not_found", "Ticket not found");
    return id;
  };
  const body = <T>(value: unknown): T => (value ?? {}) as T;

  control.post("/setup", async (request) => core.setup(body<SetupInput>(request.body)));
  control.get("/setup", async (_request, reply) => {
    const setup = core.currentSetup();
    return setup ?? reply.code(404).send({ error: "No app yet: POST /_sandbox/setup first", code: "not_set_up" });
  });

  control.get("/health", async () => ({ ok: true }));
  control.get("/tickets", async () => ({ tickets: core.listTickets() }));
  control.get("/tickets/:id", async (request) => ({ ticket: core.getTicket(ticketId(request.params)) }));
  control.post("/tickets/:id/reply", async (request, reply) => {
    const message = core.reply(ticketId(request.params), body<{ agentName?: string; text: string }>(request.body));
    return reply.code(201).send({ message });
  });
  control.post("/tickets/:id/typing", async (request) => {
    core.typing(ticketId(request.params), body<{ agentName?: string; typing: boolean }>(request.body));
    return {};
  });
  control.post("/tickets/:id/status", async (request) => ({ ticket: core.setStatus(ticketId(request.params), body<{ status: string }>(request.body).status) }));
  control.post("/tickets/:id/end-session", async (request) => ({ ticket: core.endSession(ticketId(request.params)) }));

  control.get("/conversations/:id/messages", async (request) => ({ messages: core.conversationMessages((request.params as { id: string }).id) }));
  control.post("/conversations/:id/messages", async (request, reply) => {
    const message = core.postUserMessage((request.params as { id: string }).id, body<UserMessageInput>(request.body));
    return reply.code(201).send({ message });
  });

  control.patch("/webhook", async (request) => core.updateWebhook(body<WebhookPatch>(request.body)));
  control.patch("/status-webhook", async (request) => core.updateStatusWebhook(body<StatusWebhookPatch>(request.body)));

  control.get("/deliveries", async () => ({ deliveries: core.deliveries() }));
  control.post("/idle", async () => {
    await core.idle();
    return {};
  });

  control.post("/faults", async (request, reply) => reply.code(201).send({ fault: core.addFault(request.body) }));
  control.get("/faults", async () => ({ faults: core.listFaults() }));
  control.delete("/faults", async () => {
    core.clearFaults();
    return {};
  });

  control.get("/spec-violations", async () => ({ violations: core.specViolations }));
  control.post("/reset", async () => {
    core.reset();
    return {};
  });
}
