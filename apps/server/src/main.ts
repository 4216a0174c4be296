import { buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { seedDemo } from "./seed.ts";
import { createServices } from "./services.ts";
import { smsRoutes } from "./sms-routes.ts";
import { webhookRoutes } from "./webhooks.ts";
import { widgetSocket } from "./widget-socket.ts";

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const services = await createServices(config, { log, tuning: { sweepIntervalMs: config.sweepIntervalMs } });
  const app = await buildApp({
    services,
    logger: log,
    studioDist: config.studioDist,
    plugins: [
      (a) => webhookRoutes(a, services.runtime, services.rateLimiter),
      (a) => smsRoutes(a, services.runtime, config.publicBaseUrl, services.rateLimiter),
      (a) => widgetSocket(a, services.runtime, services.bus),
    ],
  });
  const demo = config.seedDemo ? await seedDemo(services, config) : null;
  await app.listen({ port: config.port, host: config.host });
  // Resume whatever a previous run left in the inbox and outbox, then keep sweeping.
  await services.runtime.sweep();
  services.scheduler.every("handoff-sweep", services.runtime.context.tuning.sweepIntervalMs, () => services.runtime.sweep());

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  if (demo) {
    const base = config.publicBaseUrl;
    process.stdout.write(
      [
        "",
        `  Studio            ${base}/`,
        `    admin           ${demo.admin.email} / ${demo.admin.password}`,
        `    designer        ${demo.designer.email} / ${demo.designer.password}`,
        `  Demo project      ${demo.projectId} (Zendesk Messaging: ${demo.zendesk})`,
        `  Integrations      ${base}/projects/${demo.projectId}/configure/integrations`,
        `  Chat widget       ${base}/chat/${demo.projectId}`,
        ...(demo.smsNumber ? [`  SMS number        ${demo.smsNumber} (text it from the sandbox's phone simulator)`] : []),
        "",
      ].join("\n") + "\n",
    );
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
