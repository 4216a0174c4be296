import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** Every process log of the run, and every secret the run used, for the final secrets check. */
export const RUN_DIR = path.join(ROOT, "e2e/.run");
export const RUN_LOG = path.join(RUN_DIR, "processes.log");
export const RUN_SECRETS = path.join(RUN_DIR, "secrets.json");

/** Remembers a secret this run handed to the product, so the last spec can prove no log holds it. */
export function recordSecrets(...values: Array<string | null | undefined>) {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const known: string[] = fs.existsSync(RUN_SECRETS) ? (JSON.parse(fs.readFileSync(RUN_SECRETS, "utf8")) as string[]) : [];
  for (const v of values) if (v && v.length >= 8 && !known.includes(v)) known.push(v);
  fs.writeFileSync(RUN_SECRETS, JSON.stringify(known));
}
const TSX = path.join(ROOT, "apps/server/node_modules/.bin/tsx");

export interface Account {
  email: string;
  password: string;
}

export interface Stack {
  studioUrl: string;
  sandboxUrl: string | null;
  projectId: string;
  admin: Account;
  designer: Account;
  dataDir: string;
  /** Everything the processes printed, for tests that search logs. */
  logFile: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Run the Zendesk sandbox and connect the demo project to it. */
  sandbox?: boolean;
  env?: Record<string, string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, logFile: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`process exited with ${child.exitCode} before ${url} answered:\n${fs.readFileSync(logFile, "utf8").slice(-3000)}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function launch(args: string[], env: Record<string, string>, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, "a");
  return spawn(TSX, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", out, out] });
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts the product (and, when asked, the Zendesk sandbox) on free loopback ports with a fresh data folder. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zm-e2e-"));
  const logFile = path.join(dataDir, "processes.log");
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    children.length = 0;
    // Keep every process's output for the run-wide secrets check.
    fs.mkdirSync(RUN_DIR, { recursive: true });
    if (fs.existsSync(logFile)) fs.appendFileSync(RUN_LOG, fs.readFileSync(logFile));
  };
  try {
    let sandboxUrl: string | null = null;
    if (opts.sandbox) {
      const sandboxPort = await freePort();
      sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
      const sandbox = launch(["apps/zendesk-sandbox/src/main.ts"], { SANDBOX_PORT: String(sandboxPort), SANDBOX_DATA_FILE: path.join(dataDir, "sandbox.json") }, logFile);
      children.push(sandbox);
      await waitForHttp(`${sandboxUrl}/_sandbox/health`, sandbox, logFile);
    }
    const port = await freePort();
    const studioUrl = `http://127.0.0.1:${port}`;
    const projectId = `PROJECT-${Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, "0")}`;
    const admin = { email: "admin@e2e.test", password: `admin-pass-${Math.random().toString(36).slice(2)}` };
    const server = launch(
      ["apps/server/src/main.ts"],
      {
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_BASE_URL: studioUrl,
        DATA_DIR: dataDir,
        SEED_DEMO: "1",
        DEMO_PROJECT_ID: projectId,
        STUDIO_ADMIN_EMAIL: admin.email,
        STUDIO_ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: "info",
        ...(sandboxUrl ? { DEMO_SANDBOX_URL: sandboxUrl, ZENDESK_API_BASE_URL: `${sandboxUrl}/sc`, SMS_API_BASE_URL: sandboxUrl } : {}),
        ...opts.env,
      },
      logFile,
    );
    children.push(server);
    await waitForHttp(`${studioUrl}/healthz`, server, logFile);
    // The seed runs before listen; its generated designer password is in the data folder.
    const seeded = JSON.parse(fs.readFileSync(path.join(dataDir, "demo-sign-in.json"), "utf8")) as { designerPassword: string };
    const masterKeys = JSON.parse(fs.readFileSync(path.join(dataDir, "master-keys.json"), "utf8")) as { keys: Record<string, string> };
    // The demo sign-in is printed on purpose (the start banner); integration secrets and keys never are.
    recordSecrets(...Object.values(masterKeys.keys));
    if (sandboxUrl) {
      const setup = (await (await fetch(`${sandboxUrl}/_sandbox/setup`)).json()) as Record<string, string | null>;
      const sms = (await (await fetch(`${sandboxUrl}/_sandbox/sms/setup`)).json()) as Record<string, string | null>;
      recordSecrets(setup.webhookSecret, setup.apiKeySecret, setup.appKeySecret, setup.statusHeaderValue, setup.signingSecret, sms.authToken);
    }
    return {
      studioUrl,
      sandboxUrl,
      projectId,
      admin,
      designer: { email: "designer@demo.local", password: seeded.designerPassword },
      dataDir,
      logFile,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
