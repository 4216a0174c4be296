// `npm test`: every check, from a fresh clone. Installs what it needs (pnpm, dependencies,
// Debian's chromium), then: migration drift, types, unit and integration suites (embedded
// PGlite), the Studio build, and the browser journeys in headless chromium.
//   --unit-only   skip the build and browser steps (CI's second pass on PostgreSQL uses it)
import net from "node:net";
import { ensureChromium, installDependencies, pnpm, step } from "./lib.mjs";

const unitOnly = process.argv.includes("--unit-only");

/** Whether a local service answers on its standard port (CI and dev machines run them). */
function reachable(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}
const started = Date.now();
const timings = [];
async function timed(title, fn) {
  step(title);
  const t0 = Date.now();
  await fn();
  timings.push([title, Date.now() - t0]);
}

try {
  const redis = await reachable(6379);
  const postgres = await reachable(5432);
  if (!redis) {
    process.env.SKIP_REDIS_TESTS = "1";
    process.stdout.write("Note: no Redis on 127.0.0.1:6379, so the Redis and BullMQ suites are skipped (CI runs them).\n");
  }
  await installDependencies();
  if (!unitOnly) await ensureChromium();
  await timed("Checking migrations match prisma/schema.prisma", () => pnpm(["--filter", "@zm/db", "migrate:check"]));
  await timed("Type-checking every package", () => pnpm(["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]));
  await timed(
    `Unit and integration tests${process.env.TEST_DATABASE_URL ? " (PostgreSQL)" : " (embedded PGlite)"}`,
    () => pnpm(["exec", "turbo", "run", "test", "--concurrency=1", "--output-logs=new-only"]),
  );
  if (!unitOnly) {
    await timed("Building Studio", () => pnpm(["--filter", "@zm/studio", "build"]));
    await timed("Browser journeys (Playwright, Debian chromium)", () => pnpm(["--filter", "@zm/e2e", "e2e"]));
    const reliability = ["reliability/crash.test.ts", "reliability/load.test.ts", ...(redis && postgres ? ["reliability/multi-instance.test.ts"] : [])];
    if (!(redis && postgres)) process.stdout.write("Note: the two-instance test needs PostgreSQL and Redis on their standard ports; skipped.\n");
    await timed("Reliability: SIGKILL crash test, fixed-rate load, two instances", () =>
      pnpm(["--filter", "@zm/server", "exec", "vitest", "run", "--config", "vitest.reliability.config.ts", ...reliability]),
    );
  }
  process.stdout.write("\nAll checks passed.\n");
  for (const [title, ms] of timings) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${title}\n`);
  process.stdout.write(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  in all\n`);
} catch (err) {
  process.stderr.write(`\n${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
