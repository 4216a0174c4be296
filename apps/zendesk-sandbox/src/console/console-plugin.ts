import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { restrictToLoopback } from "../control/loopback-guard.ts";
import { SandboxHttpError } from "../domain/errors.ts";
import type { SandboxCore } from "../sandbox-core.ts";
import type { WebhookVersion } from "../state/model.ts";
import { DEFAULT_AGENT_NAME, deliveriesPage, errorPage, settingsPage, ticketListPage, ticketPage } from "./pages.ts";

export interface ConsolePluginOptions {
  core: SandboxCore;
  allowRemote: boolean;
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
const ASSETS: Record<string, string> = { "console.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8" };

/**
 * The agent console: server-rendered pages that work without script, enhanced by one ES module
 * (live polling, forms without reloads). Forms post here; JSON callers get JSON, browsers a redirect.
 */
export async function consolePlugin(server: FastifyInstance, { core, allowRemote }: ConsolePluginOptions): Promise<void> {
  await server.register(async (consoleScope) => {
    preparePageScope(consoleScope, allowRemote);

    consoleScope.get("/console", async (_request, reply) => page(reply, ticketListPage(core.listTickets(), core.currentSetup())));
    consoleScope.get("/console/", async (_request, reply) => reply.redirect("/console"));
    consoleScope.get("/console/tickets/:id", async (request, reply) => page(reply, ticketPage(core.getTicket(ticketIdOf(request)))));
    consoleScope.get("/console/deliveries", async (_request, reply) => page(reply, deliveriesPage(core.deliveries())));
    consoleScope.get("/console/settings", async (_request, reply) => page(reply, settingsPage(core.currentSetup(), core.store.state.apps[0])));

    consoleScope.get("/console/assets/:file", async (request, reply) => {
      const file = (request.params as { file: string }).file;
      const type = ASSETS[file];
      if (!type) return reply.code(404).send("not found");
      return reply.type(type).header("cache-control", "no-cache").send(fs.readFileSync(path.join(ASSETS_DIR, file)));
    });
    // Browsers ask for it on every page; answering keeps the console's error log clean.
    consoleScope.get("/favicon.ico", async (_request, reply) => reply.code(204).send());
    consoleScope.get("/console/avatars/:file", async (request, reply) => {
      const agentId = (request.params as { file: string }).file.replace(/\.svg$/, "");
      const hue = Number(agentId.slice(-3)) % 360 || 200;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><circle cx="32" cy="32" r="32" fill="hsl(${hue},55%,45%)"/><text x="32" y="41" font-size="26" text-anchor="middle" fill="#fff" font-family="sans-serif">A</text></svg>`;
      return reply.type("image/svg+xml").send(svg);
    });

    consoleScope.post("/console/tickets/:id/reply", async (request, reply) => {
      const form = formOf(request);
      const message = core.reply(ticketIdOf(request), { agentName: form.get("agentName") ?? DEFAULT_AGENT_NAME, text: form.get("text") ?? "" });
      return done(request, reply, `/console/tickets/${ticketIdOf(request)}`, { message });
    });
    consoleScope.post("/console/tickets/:id/typing", async (request, reply) => {
      const form = formOf(request);
      core.typing(ticketIdOf(request), { agentName: form.get("agentName") ?? DEFAULT_AGENT_NAME, typing: form.get("typing") !== "stop" });
      return done(request, reply, `/console/tickets/${ticketIdOf(request)}`, {});
    });
    consoleScope.post("/console/tickets/:id/status", async (request, reply) => {
      const ticket = core.setStatus(ticketIdOf(request), formOf(request).get("status") ?? "");
      return done(request, reply, `/console/tickets/${ticket.id}`, { ticket });
    });
    consoleScope.post("/console/tickets/:id/end-session", async (request, reply) => {
      const ticket = core.endSession(ticketIdOf(request));
      return done(request, reply, `/console/tickets/${ticket.id}`, { ticket });
    });
    consoleScope.post("/console/settings/setup", async (request, reply) => {
      core.setup({});
      return done(request, reply, "/console/settings", {});
    });
    consoleScope.post("/console/settings/webhook", async (request, reply) => {
      const form = formOf(request);
      core.updateWebhook({
        target: form.get("target") ?? "",
        version: (form.get("version") ?? "v2") as WebhookVersion,
        triggers: form.getAll("triggers"),
      });
      return done(request, reply, "/console/settings", { saved: "webhook" });
    });
    consoleScope.post("/console/settings/status-webhook", async (request, reply) => {
      const form = formOf(request);
      const headerValue = form.get("headerValue") ?? "";
      const signingSecret = form.get("signingSecret") ?? "";
      core.updateStatusWebhook({
        target: form.get("target") ?? "",
        headerName: form.get("headerName") || "X-API-Key",
        ...(headerValue ? { headerValue } : {}),
        ...(form.get("signingOff") ? { signingSecret: null } : signingSecret ? { signingSecret } : {}),
      });
      return done(request, reply, "/console/settings", { saved: "status webhook" });
    });
  });
}

/**
 * What every human-facing page scope (console, phone simulator) shares: loopback callers only, form
 * posts, a strict CSP (no inline script), and errors as JSON for the script or as a page otherwise.
 */
export function preparePageScope(scope: FastifyInstance, allowRemote: boolean): void {
  restrictToLoopback(scope, allowRemote);
  scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, new URLSearchParams(String(body)));
  });
  scope.addHook("onSend", async (_request, reply, payload) => {
    reply.header("content-security-policy", CSP);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    return payload;
  });
  scope.setErrorHandler((error, request, reply) => {
    const status = error instanceof SandboxHttpError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
    const message = error instanceof Error ? error.message : String(error);
    if (wantsJson(request)) return reply.code(status).send({ error: message });
    return reply.code(status).type("text/html; charset=utf-8").send(errorPage(status, message));
  });
}

export function page(reply: FastifyReply, markup: string) {
  return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(markup);
}

function ticketIdOf(request: FastifyRequest): number {
  const id = Number((request.params as { id: string }).id);
  if (!Number.isInteger(id)) throw new SandboxHttpError(404, "ticket_not_found", "Ticket not found");
  return id;
}

export function formOf(request: FastifyRequest): URLSearchParams {
  if (request.body instanceof URLSearchParams) return request.body;
  if (typeof request.body === "object" && request.body !== null) {
    const pairs = Object.entries(request.body as Record<string, unknown>).flatMap(([k, v]): [string, string][] =>
      Array.isArray(v) ? v.map((x): [string, string] => [k, String(x)]) : [[k, String(v)]],
    );
    return new URLSearchParams(pairs);
  }
  return new URLSearchParams();
}

export function wantsJson(request: FastifyRequest): boolean {
  return String(request.headers.accept ?? "").includes("application/json");
}

/** JSON for the console script, Post/Redirect/Get for a browser without script. */
export function done(request: FastifyRequest, reply: FastifyReply, location: string, body: unknown) {
  if (wantsJson(request)) return reply.send(body);
  return reply.redirect(location, 303);
}
