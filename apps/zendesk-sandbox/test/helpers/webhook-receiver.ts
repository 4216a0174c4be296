import http from "node:http";

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  json: unknown;
  receivedAt: number;
}

/** What the receiver does with one request: answer with a status, or never answer. */
export type Behaviour = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | { hang: true };

/** A local webhook target that records every request and answers as scripted (200 by default). */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Behaviour[]>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly hanging = new Set<http.ServerResponse>();
  url = "";

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Queue answers for the next requests to `path`. */
  script(path: string, ...behaviours: Behaviour[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...behaviours]);
  }

  on(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Every Sunshine event received on `path`, flattened out of the batches. */
  events(path = "/events"): { id: string; type: string; createdAt: string; payload: Record<string, any> }[] {
    return this.on(path).flatMap((r) => (r.json as { events?: any[] }).events ?? []);
  }

  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 4000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        json = undefined;
      }
      const path = req.url ?? "/";
      this.requests.push({ path, headers: req.headers, rawBody, json, receivedAt: Date.now() });
      const behaviour = this.scripts.get(path)?.shift() ?? { status: 200 };
      if ("hang" in behaviour) {
        this.hanging.add(res);
        return;
      }
      const answer = () => res.writeHead(behaviour.status, { "content-type": "text/plain", ...behaviour.headers }).end(behaviour.body ?? "ok");
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  }
}
