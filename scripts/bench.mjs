// `pnpm bench`: runs the four benchmarks (packages/bench) and rewrites the results section of
// BENCHMARKS.md. Options: --only ingest|relay|sessions|studio (repeatable or comma-separated),
// --quick (shorter runs, smaller counts), --no-report, --report-only (rewrite BENCHMARKS.md from
// packages/bench/results without running anything). Loopback only; nothing here is a CI test.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ensureChromium, pnpm, ROOT, run, step } from "./lib.mjs";

const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (a === "--only" ? (args[i + 1] ?? "").split(",") : a.startsWith("--only=") ? a.slice(7).split(",") : []));
const wants = (name) => only.length === 0 || only.includes(name);
const quick = args.includes("--quick");
const RESULTS = path.join(ROOT, "packages/bench/results");

if (!args.includes("--report-only")) {
  step("Generating the Prisma client");
  await pnpm(["--filter", "@zm/db", "generate"], { stdio: ["ignore", "ignore", "inherit"] });
}
if (wants("studio") && !args.includes("--report-only")) {
  step("Building Studio");
  await pnpm(["--filter", "@zm/studio", "build"], { stdio: ["ignore", "ignore", "inherit"] });
  await ensureChromium();
}



// ---- the report --------------------------------------------------------------------------

function load(name) {
  const file = path.join(RESULTS, `${name}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null;
}
const n = (v, d = 0) => (v === null || v === undefined || !Number.isFinite(v) ? "not all arrived" : v.toLocaleString("en-US", { maximumFractionDigits: d }));
const msF = (v) => (v === null || v === undefined || !Number.isFinite(v) ? "∞ (not all arrived)" : `${n(v, v < 10 ? 2 : 0)} ms`);
const met = (ok) => (ok ? "**met**" : "**not met**");
const header = (r) => `_\`${r.command ?? "pnpm bench"}\`, ${r.date.slice(0, 16).replace("T", " ")} UTC${r.seconds ? `, took ${r.seconds} s` : ""}_`;

function writeReport(command, minutes) {
  const parts = [];
  const any = ["ingest", "relay", "sessions", "studio"].map(load).find(Boolean);
  const m = any?.machine;
  parts.push(
    m
      ? `Machine: ${m.cores} cores (${m.cpuModel}), ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.os}; load average at the start of the last benchmark ${m.loadAverage.join(" / ")}. ${command.includes("--report-only") ? "Rendered from packages/bench/results" : `Last command: \`${command}\` (${minutes} min)`}; each section names the command and time of its own run. Other work shared the machine during these runs.`
      : "No results yet: run `pnpm bench`.",
  );

  const ingest = load("ingest");
  parts.push("### 1. Webhook ingest\n");
  if (ingest?.error) parts.push(`${header(ingest)}: failed: ${ingest.error}\n`);
  else if (ingest) {
    parts.push(`${header(ingest)}. Throughput: closed loop, ${ingest.result[0].concurrency} keep-alive connections for ${ingest.result[0].seconds} s, after a warm-up. Latency: open loop at half the server's throughput, the same rate against both.\n`);
    parts.push("| mode | server events/s | bare events/s | ratio | target ≥ 40% | server p50 / p99 (at the fixed rate) | bare p50 / p99 | server p50 / p99 saturated | 200s | server CPU | server RSS |");
    parts.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const r of ingest.result) {
      const s = r.server;
      const b = r.bare;
      const okShare = Math.min(s.throughput.okShare, s.latency.okShare);
      parts.push(
        `| ${r.label} | ${n(s.throughput.perSecond)} | ${n(b.throughput.perSecond)} | ${(r.ratio * 100).toFixed(1)}% | ${r.valid ? met(r.ratio >= 0.4) : "**invalid** (<99% 200s)"} | ${msF(s.latency.latencyMs.p50)} / ${msF(s.latency.latencyMs.p99)} at ${r.latencyRate}/s | ${msF(b.latency.latencyMs.p50)} / ${msF(b.latency.latencyMs.p99)} | ${msF(s.throughput.latencyMs.p50)} / ${msF(s.throughput.latencyMs.p99)} | ${(okShare * 100).toFixed(2)}% | ${s.cpuPercent}% of a core | ${s.rssMiB} MiB |`,
      );
    }
    parts.push("\nProcesses: " + [...new Set(ingest.result.flatMap((r) => [`\`${r.serverCommand}\``, `\`${r.bareCommand}\``]))].join(", ") + ". The bare server's figure is also capped by the load generator, which shares the second core.\n");
  }

  const relay = load("relay");
  parts.push("### 2. Relay latency\n");
  if (relay?.error) parts.push(`${header(relay)}: failed: ${relay.error}\n`);
  else if (relay) {
    const r = relay.result;
    parts.push(`${header(relay)}. ${r.label}, ${r.sessions} live hand-offs (set up in ${r.handoffSetupSeconds} s), ${r.runs[0].seconds} s per rate, open loop; messages not arrived within the drain window count as infinitely late. Agent → widget: from the sandbox's webhook POST leaving (end to end from the agent's reply in brackets, which adds the sandbox's 5 ms batching window). Widget → Zendesk: from the widget's frame to the sandbox storing the message.\n`);
    parts.push("| direction | rate | sent | arrived | p50 | p99 | target p99 ≤ 10 ms at 1000/s | server CPU | server RSS |");
    parts.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const x of r.runs) {
      const dir = x.direction === "agent_to_widget" ? "agent → widget" : "widget → Zendesk";
      const e2e = x.endToEndMs ? ` (${msF(x.endToEndMs.p99)})` : "";
      const refused = x.rejected ? ` (${n(x.rejected)} refused by the per-socket limit)` : "";
      parts.push(`| ${dir} | ${x.rate}/s | ${n(x.sent)} | ${n(x.arrived)}${refused} | ${msF(x.latencyMs.p50)} | ${msF(x.latencyMs.p99)}${e2e} | ${x.rate >= 1000 ? met(x.latencyMs.p99 !== null && x.latencyMs.p99 <= 10) : "—"} | ${x.serverCpuPercent}% | ${x.serverRssMiB} MiB |`);
    }
    parts.push(`\nServer: \`${r.serverCommand}\`.\n`);
  }

  const sessions = load("sessions");
  parts.push("### 3. Concurrent sessions\n");
  if (sessions?.error) parts.push(`${header(sessions)}: failed: ${sessions.error}\n`);
  else if (sessions) {
    const r = sessions.result;
    parts.push(`${header(sessions)}. ${r.label}; each socket's widget asked for a human and its ticket is in the sandbox. Idle for ${r.seconds} s, then every socket sends one message a second for ${r.seconds} s (open loop). RSS is the server process's peak; CPU is % of one core over the phase.\n`);
    parts.push("| sockets in hand-off | set-up | idle CPU | idle RSS | 1 msg/s each: CPU | RSS | sent | acknowledged in the window (per s) | target ≤ 1 GiB at 10,000 |");
    parts.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const l of r.levels) {
      const peak = Math.max(l.idle.rssMiB, l.active.rssMiB);
      parts.push(`| ${n(l.sockets)}${l.handoffsInZendesk < l.sockets ? ` (${n(l.handoffsInZendesk)} had reached Zendesk)` : ""} | ${l.setupSeconds} s | ${l.idle.cpuPercent}% | ${l.idle.rssMiB} MiB | ${l.active.cpuPercent}% | ${l.active.rssMiB} MiB | ${n(l.active.sent)} | ${n(l.active.acked)} (${n(l.active.ackedPerSecond)}/s)${Object.entries(l.active.refused ?? {}).map(([code, c]) => `, ${n(c)} answered \`${code}\``).join("")} | ${l.sockets >= 10000 ? met(peak <= 1024) : "—"} |`);
    }
    parts.push(`\nServer: \`${r.serverCommand}\`.\n`);
  }

  const studio = load("studio");
  parts.push("### 4. Studio: the Integrations page\n");
  if (studio?.error) parts.push(`${header(studio)}: failed: ${studio.error}\n`);
  else if (studio) {
    const r = studio.result;
    parts.push(`${header(studio)}. Headless Chromium ${r.chromium}, signed in, cold cache, ${r.runs} loads of \`${r.url}\`. Time to interactive: navigation start until the Zendesk Messaging tile is on screen and the last long task has ended.\n`);
    parts.push("| JavaScript | raw | gzip (level 6) | target ≤ 150 KB gzip | sent compressed by the server | TTI median / p90 |");
    parts.push("| --- | --- | --- | --- | --- | --- |");
    parts.push(`| ${r.scripts.length} files | ${n(r.jsBytes / 1000, 1)} KB | ${n(r.jsGzipBytes / 1000, 1)} KB | ${met(r.jsGzipBytes <= 150_000)} | ${r.servedCompressed ? "yes" : "no (sent raw)"} | ${r.ttiMedianMs} ms / ${r.ttiP90Ms} ms |`);
    parts.push("\n" + r.scripts.map((s) => `\`${s.url}\` ${n(s.bytes / 1000, 1)} KB (${n(s.gzipBytes / 1000, 1)} KB gzip)`).join(", ") + ".\n");
  }

  const file = path.join(ROOT, "BENCHMARKS.md");
  const START = "<!-- bench:results:start (written by scripts/bench.mjs) -->";
  const END = "<!-- bench:results:end -->";
  const section = `${START}\n${parts.join("\n")}\n${END}`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : `# Benchmarks\n\n## Results\n\n${START}\n${END}\n`;
  const i = text.indexOf(START);
  const j = text.indexOf(END);
  fs.writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + END.length) : `${text}\n${section}\n`);
}

// ---- run (last: the report's helpers above must be initialised) ----------------------------

const loader = pathToFileURL(path.join(ROOT, "apps/server/node_modules/tsx/dist/loader.mjs")).href;
const reportOnly = args.includes("--report-only");
const cliArgs = [...(only.length ? ["--only", only.join(",")] : []), ...(quick ? ["--quick"] : [])];
const command = ["pnpm", "bench", ...args].join(" ");
step(`Running ${command}`);
const started = Date.now();
let failed = false;
try {
  if (!reportOnly) await run(process.execPath, ["--import", loader, "packages/bench/src/cli.ts", ...cliArgs], { env: { BENCH_COMMAND: command } });
} catch (err) {
  failed = true;
  process.stderr.write(`${err.message}\n`);
}
const minutes = ((Date.now() - started) / 60000).toFixed(1);
if (!args.includes("--no-report")) {
  writeReport(command, minutes);
  step("BENCHMARKS.md updated");
}
process.exit(failed ? 1 : 0);
