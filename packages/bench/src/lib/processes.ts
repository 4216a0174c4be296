import { fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sleep } from "./stats.ts";

export const ROOT = path.resolve(import.meta.dirname, "../../../..");
/** Node runs the child itself with tsx only as a loader, so the pid we sample is the server's. */
const TSX_LOADER = pathToFileURL(path.join(ROOT, "apps/server/node_modules/tsx/dist/loader.mjs")).href;

/** Every child this run started, killed if the bench itself stops early. */
const children = new Set<ChildProcess>();
function track(child: ChildProcess) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}
process.once("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 120_000, child?: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}) before answering`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, graceMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  // Graceful shutdown waits for the whole backlog; a bench does not.
  const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(t);
}

export interface ServerEnv {
  /** Unset: the embedded database in a fresh data folder. */
  databaseUrl?: string;
  redisUrl?: string;
  sandboxUrl: string;
}

export const PROJECT_ID = "PROJECT-bec4bec4";
export const ADMIN = { email: "bench@bench.local", password: "bench-password-1" };

/** apps/server/src/main.ts as production runs it, in its own process, on a fresh data folder. */
export class ServerUnderTest {
  child: ChildProcess | null = null;
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zm-bench-"));
  readonly logFile = path.join(this.dataDir, "server.log");
  port = 0;

  constructor(private readonly env: ServerEnv) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  get wsUrl() {
    return `ws://127.0.0.1:${this.port}/widget/ws`;
  }
  get pid() {
    return this.child!.pid!;
  }
  /** What the bench ran, for BENCHMARKS.md (secrets left out). */
  get command() {
    const vars = [`DATABASE_URL=${this.env.databaseUrl ?? "(embedded PGlite)"}`, ...(this.env.redisUrl ? [`REDIS_URL=${this.env.redisUrl}`] : [])];
    return `${vars.join(" ")} node --import tsx apps/server/src/main.ts`;
  }

  async start() {
    this.port = await freePort();
    const out = fs.openSync(this.logFile, "a");
    this.child = track(spawn(process.execPath, ["--import", TSX_LOADER, path.join(ROOT, "apps/server/src/main.ts")], {
      cwd: ROOT,
      stdio: ["ignore", out, out],
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: "127.0.0.1",
        PUBLIC_BASE_URL: this.url,
        DATA_DIR: this.dataDir,
        SEED_DEMO: "1",
        DEMO_PROJECT_ID: PROJECT_ID,
        STUDIO_ADMIN_EMAIL: ADMIN.email,
        STUDIO_ADMIN_PASSWORD: ADMIN.password,
        DEMO_SANDBOX_URL: this.env.sandboxUrl,
        ZENDESK_API_BASE_URL: `${this.env.sandboxUrl}/sc`,
        SMS_API_BASE_URL: this.env.sandboxUrl,
        LOG_LEVEL: "warn",
        ...(this.env.databaseUrl ? { DATABASE_URL: this.env.databaseUrl, MASTER_KEY: randomBytes(32).toString("base64") } : {}),
        ...(this.env.redisUrl ? { REDIS_URL: this.env.redisUrl } : {}),
      },
    }));
    fs.closeSync(out);
    try {
      await waitForHttp(`${this.url}/healthz`, 180_000, this.child);
    } catch (err) {
      process.stderr.write(fs.readFileSync(this.logFile, "utf8").slice(-3000));
      throw err;
    }
  }

  async stop() {
    if (this.child) await stopChild(this.child, 3_000);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The baseline: node:http in its own process, answering 200 after reading the body. */
export class BareServer {
  child: ChildProcess | null = null;
  port = 0;
  readonly command = "node --import tsx packages/bench/src/bare-server.ts";

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  get pid() {
    return this.child!.pid!;
  }

  async start() {
    this.port = await freePort();
    this.child = track(spawn(process.execPath, ["--import", TSX_LOADER, path.join(ROOT, "packages/bench/src/bare-server.ts")], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, PORT: String(this.port) },
    }));
    await waitForHttp(`${this.url}/healthz`, 30_000, this.child);
  }

  async stop() {
    if (this.child) await stopChild(this.child, 2_000);
  }
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** The Zendesk sandbox in its own process (packages/bench/src/sandbox-child.ts), driven over IPC. */
export class SandboxProcess {
  child: ChildProcess | null = null;
  url = "";
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  async start() {
    this.child = track(fork(path.join(ROOT, "packages/bench/src/sandbox-child.ts"), [], {
      cwd: ROOT,
      execArgv: ["--import", TSX_LOADER],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    }));
    this.child.on("message", (m: Reply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(m.error));
    });
    this.url = (await this.call("url")) as string;
  }

  call<T = unknown>(cmd: string, args: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child!.send({ id, cmd, ...args });
    });
  }

  get pid() {
    return this.child!.pid!;
  }

  async stop() {
    if (this.child) await stopChild(this.child, 2_000);
  }
}
