import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the stub server saw it. */
export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
};

export type StubReply = {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering, to provoke client timeouts. */
  delayMs?: number;
};

export type StubHandler = (req: RecordedRequest, index: number) => StubReply | Promise<StubReply>;

export type StubServer = {
  /** e.g. `http://127.0.0.1:54321/sc`, ready to use as the client's baseUrl. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
};

/** A throwaway HTTP server on 127.0.0.1 (random port) that plays Zendesk in tests. */
export async function startStubServer(handler: StubHandler): Promise<StubServer> {
  const requests: RecordedRequest[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      let json: unknown;
      try {
        json = body.length > 0 ? JSON.parse(body.toString("utf8")) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
      };
      const index = requests.push(recorded) - 1;
      void Promise.resolve(handler(recorded, index)).then((reply) => {
        const send = () => {
          if (res.destroyed) return;
          const headers: Record<string, string> = { ...reply.headers };
          let payload = reply.text ?? "";
          if (reply.json !== undefined) {
            payload = JSON.stringify(reply.json);
            headers["content-type"] = "application/json";
          }
          res.writeHead(reply.status, headers);
          res.end(payload);
        };
        if (reply.delayMs) {
          const timer = setTimeout(() => {
            pendingTimers.delete(timer);
            send();
          }, reply.delayMs);
          pendingTimers.add(timer);
        } else {
          send();
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/sc`,
    requests,
    close: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback URL on which nothing listens: a port we bound, then released. */
export async function closedPortBaseUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/sc`;
}
