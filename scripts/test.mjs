// `npm test`: every check, from a fresh clone. Installs what it needs (pnpm, dependencies,
// Debian's chromium), then: migration drift, types, unit and integration suites (embedded
// PGlite), the Studio build, and the browser journeys in headless chromium.
//   --unit-only   skip the build and browser steps (CI's second pass on PostgreSQL uses it)
import { ensureChromium, installDependencies, pnpm, step } from "./lib.mjs";

const unitOnly = process.argv.includes("--unit-only");
const started = Date.now();
const timings = [];
async function timed(title, fn) {
  step(title);
  const t0 = Date.now();
  await fn();
  timings.push([title, Date.now() - t0]);
}

try {
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
  }
  process.stdout.write("\nAll checks passed.\n");
  for (const [title, ms] of timings) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${title}\n`);
  process.stdout.write(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  in all\n`);
} catch (err) {
  process.stderr.write(`\n${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
