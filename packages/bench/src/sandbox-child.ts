// The Zendesk sandbox in its own process, for the benchmarks. It records, on the machine-wide
// monotonic clock, when each benchmark message is published inside the sandbox (an agent reply,
// or an end-user message arriving through the Sunshine API) and when the webhook POST carrying
// an agent reply leaves for the server. The parent asks for those times over IPC.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startSandbox } from "@zm/zendesk-sandbox";
import { openLoop } from "./lib/schedule.ts";
import { monoMs } from "./lib/stats.ts";

const published = new Map<string, number>();
const posted = new Map<string, number>();
const BENCH = /^bench:/;

// Hook the dispatcher every sandbox event goes through (no change to the sandbox itself).
const dispatcherFile = path.resolve(import.meta.dirname, "../../../apps/zendesk-sandbox/src/deliveries/conversations-webhook.ts");
const mod = (await import(pathToFileURL(dispatcherFile).href)) as {
  ConversationsWebhookDispatcher: { prototype: { publish(app: unknown, event: { type: string; payload: Record<string, unknown> }): void } };
};
const proto = mod.ConversationsWebhookDispatcher.prototype;
const originalPublish = proto.publish;
proto.publish = function (app, event) {
  if (event.type === "conversation:message") {
    const text = (event.payload.message as { content?: { text?: unknown } } | undefined)?.content?.text;
    if (typeof text === "string" && BENCH.test(text) && !published.has(text)) published.set(text, monoMs());
  }
  return originalPublish.call(this, app, event);
};

// The sandbox posts webhooks with fetch: note when a POST carrying a benchmark message leaves.
const originalFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const body = init?.body;
  if (init?.method === "POST" && typeof body === "string" && body.includes('"bench:')) {
    const t = monoMs();
    for (const m of body.matchAll(/"text":"(bench:[^"]+)"/g)) if (!posted.has(m[1]!)) posted.set(m[1]!, t);
  }
  return originalFetch(input, init);
};

const sandbox = await startSandbox({
  port: 0,
  log: false,
  // Zendesk batches events that occur together; a short window keeps the sandbox's own share small.
  delivery: { retryDelaysMs: [1_000, 2_000, 4_000], timeoutMs: 15_000, batchWindowMs: 5 },
});

type Command = { id: number; cmd: string; [k: string]: unknown };

function take(tag: string) {
  const pick = (m: Map<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, v] of m) if (k.startsWith(`bench:${tag}:`)) {
      out[k] = v;
      m.delete(k);
    }
    return out;
  };
  return { published: pick(published), posted: pick(posted) };
}

async function handle(m: Command): Promise<unknown> {
  switch (m.cmd) {
    case "url":
      return sandbox.url;
    case "setup":
      return sandbox.currentSetup();
    case "tickets":
      return sandbox.listTickets();
    case "deliveryFailures":
      return sandbox.deliveries().filter((d) => d.outcome !== "delivered").length;
    case "agentLoad": {
      // Agent replies on a fixed-rate open loop, spread over the given tickets.
      const ticketIds = m.ticketIds as number[];
      const tag = m.tag as string;
      const sentAt: number[] = [];
      const { fired, lagMs } = await openLoop({ rate: m.rate as number, seconds: m.seconds as number }, (i) => {
        sentAt[i] = monoMs();
        sandbox.reply(ticketIds[i % ticketIds.length]!, { agentName: "Bench Agent", text: `bench:${tag}:${i}` });
      });
      return { fired, lagMs, sentAt };
    }
    case "count": {
      const prefix = `bench:${m.tag as string}:`;
      let n = 0;
      for (const k of published.keys()) if (k.startsWith(prefix)) n++;
      return n;
    }
    case "times":
      return take(m.tag as string);
    default:
      throw new Error(`unknown command ${m.cmd}`);
  }
}

process.on("message", (m: Command) => {
  handle(m).then(
    (value) => process.send!({ id: m.id, ok: true, value }),
    (err: unknown) => process.send!({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.once("SIGTERM", () => void sandbox.close().then(() => process.exit(0)));
process.once("disconnect", () => void sandbox.close().then(() => process.exit(0)));
