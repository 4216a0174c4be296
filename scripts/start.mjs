// `npm start`: installs what is missing, builds Studio, and runs the local Zendesk sandbox and
// the product on the embedded database, with a demo project already connected to the sandbox.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { installDependencies, pnpm, ROOT, step, waitForHttp } from "./lib.mjs";

const port = Number(process.env.PORT ?? 3000);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? ".data");
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
const children = [];

function launch(name, file, env) {
  const tsx = path.join(ROOT, "apps/server/node_modules/.bin/tsx");
  const child = spawn(tsx, [file], { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      process.stderr.write(`\n${name} stopped (${signal ?? `exit ${code}`}); shutting down.\n`);
      shutdown(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function shutdown(code = 0) {
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

await installDependencies();
step("Building Studio");
await pnpm(["--filter", "@zm/studio", "build"], { stdio: ["ignore", "ignore", "inherit"] });
fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

step(`Starting the Zendesk sandbox on ${sandboxUrl}`);
launch("The Zendesk sandbox", "apps/zendesk-sandbox/src/main.ts", {
  SANDBOX_PORT: String(sandboxPort),
  SANDBOX_DATA_FILE: path.join(dataDir, "zendesk-sandbox.json"),
});
await waitForHttp(`${sandboxUrl}/_sandbox/health`);

step(`Starting the server on http://localhost:${port}`);
launch("The server", "apps/server/src/main.ts", {
  PORT: String(port),
  DATA_DIR: dataDir,
  SEED_DEMO: "1",
  DEMO_SANDBOX_URL: sandboxUrl,
  ZENDESK_API_BASE_URL: process.env.ZENDESK_API_BASE_URL ?? `${sandboxUrl}/sc`,
  SMS_API_BASE_URL: process.env.SMS_API_BASE_URL ?? sandboxUrl,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
});
await waitForHttp(`http://127.0.0.1:${port}/healthz`);
process.stdout.write(
  [
    `  Agent console     http://localhost:${sandboxPort}/console   (the local Zendesk sandbox: answer as a Zendesk agent)`,
    `  Phone simulator   http://localhost:${sandboxPort}/phone     (text the project's SMS number)`,
    "",
    "  Try it: open the chat widget, ask for a human, answer in the agent console, then solve the ticket.",
    "  Stop with Ctrl+C. Data lives in .data/ (delete it to start over).",
    "",
  ].join("\n") + "\n",
);
