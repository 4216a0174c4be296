import fs from "node:fs";
import path from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, userForSessionToken, type AppRouter, type Context, type Services } from "@zm/api";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { loggerOptions } from "./logger.ts";
import { isCrossSiteRequest, securityHeaders } from "./security.ts";

export const SESSION_COOKIE = "zm_session";

export interface AppOptions {
  services: Services;
  logLevel?: string;
  /** Folder with the built Studio; when absent, Studio routes answer 404 with a hint. */
  studioDist?: string;
  /** Extra routes (webhooks, widget socket) registered by the runtime. */
  plugins?: Array<(app: FastifyInstance) => Promise<void> | void>;
  /** Receives the log stream, e.g. for tests that search logs for secrets. */
  logStream?: NodeJS.WritableStream;
  /** A logger shared with the runtime; when given, logLevel and logStream are ignored. */
  logger?: Logger;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const app = Fastify({
    ...(opts.logger
      ? { loggerInstance: opts.logger as FastifyBaseLogger }
      : {
          logger: opts.logStream
            ? { ...loggerOptions(opts.logLevel ?? "info"), stream: opts.logStream }
            : loggerOptions(opts.logLevel ?? "info"),
        }),
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === "1",
  });
  const secure = services.publicBaseUrl.startsWith("https:");
  await app.register(fastifyCookie);
  securityHeaders(app);

  app.get("/healthz", async () => ({ ok: true }));

  app.addHook("onRequest", async (req, reply) => {
    if (req.method === "POST" && req.url.startsWith("/trpc/") && isCrossSiteRequest(req, services.publicBaseUrl)) {
      return reply.code(403).send({ error: "Cross-site requests are refused" });
    }
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      async createContext({ req, res }): Promise<Context> {
        const token = req.cookies[SESSION_COOKIE];
        const session = token ? await userForSessionToken(services.db.prisma, token, services.now?.()) : null;
        return {
          services,
          user: session?.user ?? null,
          sessionTokenHash: session?.tokenHash ?? null,
          transport: {
            clientIp: req.ip,
            setSessionToken(value, expiresAt) {
              res.setCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: "strict", secure, path: "/", expires: expiresAt });
            },
            clearSessionToken() {
              res.clearCookie(SESSION_COOKIE, { path: "/" });
            },
          },
        };
      },
      onError({ error, path: procedure }) {
        if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error.cause ?? error, procedure }, "tRPC procedure failed");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  for (const plugin of opts.plugins ?? []) await plugin(app);

  const dist = opts.studioDist;
  if (dist && fs.existsSync(path.join(dist, "index.html"))) {
    await app.register(fastifyStatic, { root: dist, prefix: "/", index: false, wildcard: false, preCompressed: true });
    const studioHtml = fs.readFileSync(path.join(dist, "index.html"));
    const chatHtml = fs.existsSync(path.join(dist, "chat.html")) ? fs.readFileSync(path.join(dist, "chat.html")) : studioHtml;
    app.get("/chat/*", (_req, reply) => reply.type("text/html; charset=utf-8").header("Cache-Control", "no-cache").send(chatHtml));
    // Client-side routes of the single-page Studio.
    app.setNotFoundHandler((req, reply) => {
      const wantsHtml = req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
      if (wantsHtml && !req.url.startsWith("/trpc") && !req.url.startsWith("/handoff")) {
        return reply.type("text/html; charset=utf-8").header("Cache-Control", "no-cache").send(studioHtml);
      }
      return reply.code(404).send({ error: "Not found" });
    });
  } else {
    app.get("/", (_req, reply) =>
      reply.code(404).type("text/plain").send("Studio is not built. Run `pnpm --filter @zm/studio build`."),
    );
  }
  return app;
}
