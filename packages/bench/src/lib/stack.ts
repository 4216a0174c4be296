import { randomBytes } from "node:crypto";
import type { SetupResult, TicketSummary } from "@zm/zendesk-sandbox";
import { ProductionInfra } from "./infra.ts";
import { PROJECT_ID, SandboxProcess, ServerUnderTest } from "./processes.ts";
import { mapLimit } from "./schedule.ts";
import { sleep } from "./stats.ts";
import { BenchWidget } from "./widget.ts";

export type Mode = "embedded" | "postgres";
export const MODE_LABEL: Record<Mode, string> = { embedded: "embedded (PGlite)", postgres: "PostgreSQL + Redis" };

/** The sandbox and the server (in their own processes), the demo project connected to the sandbox. */
export class Stack {
  readonly sandbox = new SandboxProcess();
  server!: ServerUnderTest;
  infra: ProductionInfra | null = null;
  setup!: SetupResult;

  constructor(readonly mode: Mode) {}

  async start() {
    await this.sandbox.start();
    if (this.mode === "postgres") {
      this.infra = new ProductionInfra();
      await this.infra.create();
    }
    this.server = new ServerUnderTest({
      sandboxUrl: this.sandbox.url,
      ...(this.infra ? { databaseUrl: this.infra.databaseUrl, redisUrl: this.infra.redisUrl } : {}),
    });
    await this.server.start();
    const setup = await this.sandbox.call<SetupResult | null>("setup");
    if (!setup) throw new Error("the server did not connect the demo project to the sandbox");
    this.setup = setup;
    return this;
  }

  get eventsUrl() {
    return `${this.server.url}/handoff/webhooks/zendesk/PLATFORM/${PROJECT_ID}/live/events`;
  }

  tickets() {
    return this.sandbox.call<TicketSummary[]>("tickets");
  }

  /**
   * Opens `count` widgets and asks each for a human, so each has a live hand-off (a Zendesk
   * ticket waiting for an agent). Returns the widgets and the sandbox's tickets.
   */
  async openHandoffs(count: number, opts: { concurrency?: number; timeoutMs?: number; allowPartial?: boolean; log?: (s: string) => void } = {}) {
    const before = (await this.tickets()).length;
    const widgets = await mapLimit(Array.from({ length: count }), opts.concurrency ?? 50, async () => {
      const w = await BenchWidget.open(this.server.wsUrl, PROJECT_ID);
      await w.sendUntilAccepted("talk to a human");
      return w;
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
    let tickets: TicketSummary[] = [];
    let last = 0;
    for (;;) {
      tickets = (await this.tickets()).slice(before);
      if (tickets.length >= count || Date.now() > deadline) break;
      if (Date.now() - last > 10_000) {
        opts.log?.(`  hand-offs: ${tickets.length}/${count}`);
        last = Date.now();
      }
      // Listing tickets costs the sandbox a copy of each: ask rarely when there are many.
      await sleep(count > 1000 ? 2000 : 250);
    }
    if (tickets.length < count && !opts.allowPartial) throw new Error(`only ${tickets.length} of ${count} hand-offs reached Zendesk in time`);
    return { widgets, tickets };
  }

  async stop() {
    await this.server?.stop();
    await this.sandbox.stop();
    await this.infra?.destroy();
  }
}
