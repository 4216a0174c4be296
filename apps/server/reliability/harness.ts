import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { WidgetServerMessage } from "@zm/contracts";
import WebSocket from "ws";

const ROOT = path.resolve(import.meta.dirname, "../../..");
// Node itself runs the server (tsx only as a loader): SIGKILL must hit the server process, not a
// launcher that would leave it running.
const TSX_LOADER = pathToFileURL(path.join(ROOT, "apps/server/node_modules/tsx/dist/loader.mjs")).href;

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

export async function waitForHttp(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // down
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/** The product as a real OS process on a fixed port and data folder, so it can be killed with SIGKILL and restarted. */
export class ServerProcess {
  child: ChildProcess | null = null;
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zm-reliability-"));
  readonly logFile = path.join(this.dataDir, "server.log");
  readonly projectId = "PROJECT-c7a5c7a5";
  starts = 0;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const out = fs.openSync(this.logFile, "a");
    const profile = process.env.RELIABILITY_CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.RELIABILITY_CPU_PROFILE_DIR}`] : [];
    this.child = spawn(process.execPath, [...profile, "--import", TSX_LOADER, path.join(ROOT, "apps/server/src/main.ts")], {
      cwd: ROOT,
      stdio: ["ignore", out, out],
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: "127.0.0.1",
        PUBLIC_BASE_URL: this.url,
        DATA_DIR: this.dataDir,
        SEED_DEMO: "1",
        // Sweeps pick up work a killed instance left behind; short in tests.
        HANDOFF_SWEEP_INTERVAL_MS: "500",
        DEMO_PROJECT_ID: this.projectId,
        LOG_LEVEL: "warn",
        ...this.env,
      },
    });
    this.starts += 1;
    await waitForHttp(`${this.url}/healthz`);
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut. */
  private get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async crash() {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }

  async stop() {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  }
}

type MessageEvent = Extract<WidgetServerMessage, { type: "message" }>["message"];

/**
 * A widget that survives the server dying: it reconnects, catches up from the last sequence
 * number it saw, and resends what was not acknowledged (same clientMessageId). It records every
 * frame, so duplicates on the wire can be told from duplicates in the transcript.
 */
export class ResilientWidget {
  private ws: WebSocket | null = null;
  private conversationId: string | undefined;
  private token: string | undefined;
  private lastSeq = 0;
  private readonly unacked = new Map<string, string>();
  private stopped = false;
  readonly frames: MessageEvent[] = [];
  readonly byId = new Map<string, MessageEvent>();
  reconnects = 0;

  private urlIndex = 0;
  /** Instances to try, in turn, when one does not answer (as a load balancer would). */
  private readonly urls: string[];

  constructor(
    url: string | string[],
    private readonly projectId: string,
  ) {
    this.urls = Array.isArray(url) ? url : [url];
  }

  /** The instance the widget is connected to, or last tried. */
  get currentUrl() {
    return this.urls[this.urlIndex]!;
  }

  async connect(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      try {
        await this.open();
        return;
      } catch {
        this.urlIndex = (this.urlIndex + 1) % this.urls.length;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.currentUrl);
      let welcomed = false;
      // A server killed between accepting the socket and answering hello must not hang us.
      const helloTimer = setTimeout(() => ws.terminate(), 5_000);
      ws.on("error", (err) => {
        if (!welcomed) reject(err);
      });
      ws.on("open", () => ws.send(JSON.stringify({ type: "hello", projectId: this.projectId, conversationId: this.conversationId, token: this.token, afterSeq: this.lastSeq })));
      ws.on("message", (raw) => {
        const event = JSON.parse(String(raw)) as WidgetServerMessage;
        if (event.type === "welcome") {
          clearTimeout(helloTimer);
          this.conversationId = event.conversationId;
          this.token = event.token;
          welcomed = true;
          this.ws = ws;
          for (const [id, text] of this.unacked) ws.send(JSON.stringify({ type: "send", clientMessageId: id, text }));
          resolve();
        } else if (event.type === "message") {
          this.frames.push(event.message);
          this.byId.set(event.message.id, event.message);
          this.lastSeq = Math.max(this.lastSeq, event.message.seq);
        } else if (event.type === "ack") {
          this.unacked.delete(event.clientMessageId);
        } else if (event.type === "error" && event.clientMessageId && event.code !== "bad_request") {
          // Refused for now (too fast, or a hiccup): send it again a little later.
          const id = event.clientMessageId;
          setTimeout(() => {
            const text = this.unacked.get(id);
            if (text !== undefined && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "send", clientMessageId: id, text }));
          }, 1_000);
        }
      });
      ws.on("close", () => {
        clearTimeout(helloTimer);
        if (this.ws === ws) this.ws = null;
        if (!welcomed) reject(new Error("closed before welcome"));
        else if (!this.stopped) {
          this.reconnects += 1;
          void this.connect();
        }
      });
    });
  }

  get id() {
    return this.conversationId;
  }

  send(text: string, clientMessageId: string) {
    this.unacked.set(clientMessageId, text);
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "send", clientMessageId, text }));
  }

  get pending() {
    return this.unacked.size;
  }

  /** What the end user sees: one entry per stored message, in display order. */
  transcript(): MessageEvent[] {
    return [...this.byId.values()].sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.seq - b.seq);
  }

  close() {
    this.stopped = true;
    this.ws?.close();
  }
}
