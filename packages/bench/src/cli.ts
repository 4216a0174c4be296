// Runs the benchmarks and writes results/<name>.json; scripts/bench.mjs renders BENCHMARKS.md.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { runIngest } from "./ingest.ts";
import { machine } from "./lib/proc.ts";
import { ROOT } from "./lib/processes.ts";
import type { Mode } from "./lib/stack.ts";
import { runRelay } from "./relay.ts";
import { runSessions } from "./sessions.ts";
import { runStudio } from "./studio.ts";

const ALL = ["ingest", "relay", "sessions", "studio"] as const;
const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    quick: { type: "boolean", default: false },
    out: { type: "string", default: path.join(ROOT, "packages/bench/results") },
  },
});
const only = (values.only ?? []).flatMap((s) => s.split(","));
const selected = only.length ? ALL.filter((b) => only.includes(b)) : [...ALL];
const quick = values.quick;
const out = values.out!;
fs.mkdirSync(out, { recursive: true });
const log = (s: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const save = (name: string, data: unknown) => fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify({ machine: machine(), date: new Date().toISOString(), command: process.env.BENCH_COMMAND ?? "packages/bench/src/cli.ts", quick, ...(data as object) }, null, 2));

const failures: string[] = [];
async function attempt(name: string, fn: () => Promise<unknown>) {
  const t0 = Date.now();
  try {
    save(name, { result: await fn(), seconds: Math.round((Date.now() - t0) / 1000) });
  } catch (err) {
    log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    save(name, { error: err instanceof Error ? err.message : String(err) });
    failures.push(name);
  }
}

const modes: Mode[] = ["embedded", "postgres"];
if (selected.includes("ingest")) {
  await attempt("ingest", async () => {
    const results = [];
    for (const mode of modes) results.push(await runIngest(mode, { seconds: quick ? 4 : 10, concurrency: 32, log }));
    return results;
  });
}
if (selected.includes("relay")) {
  await attempt("relay", () => runRelay("postgres", { rates: [100, 1000], seconds: quick ? 4 : 10, sessions: quick ? 100 : 400, drainMs: quick ? 15_000 : 30_000, log }));
}
if (selected.includes("sessions")) {
  await attempt("sessions", () => runSessions("postgres", { levels: quick ? [200, 1000] : [1000, 10000], seconds: quick ? 5 : 15, setupTimeoutMs: quick ? 120_000 : 240_000, log }));
}
if (selected.includes("studio")) {
  await attempt("studio", () => runStudio({ runs: quick ? 3 : 5, chromiumPath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", log }));
}
process.exit(failures.length ? 1 : 0);
