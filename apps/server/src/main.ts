import { buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { seedDemo } from "./seed.ts";
import { createServices } from "./services.ts";

async function main() {
  const config = loadConfig();
  const services = await createServices(config);
  const app = await buildApp({ services, logLevel: config.logLevel, studioDist: config.studioDist });
  const demo = config.seedDemo ? await seedDemo(services, config) : null;
  await app.listen({ port: config.port, host: config.host });

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, "shutting down");
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
