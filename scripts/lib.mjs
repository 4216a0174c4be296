// Helpers for the two README commands. Plain Node: they run before dependencies exist.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PNPM_VERSION = "12.4.2";

/** pnpm 12.4.2: the global one when it is that version, else through npx (Node 20's corepack cannot verify pnpm 12). */
export function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ["pnpm"];
  return ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
}

export function step(title) {
  process.stdout.write(`\n\u25b6 ${title}\n`);
}

/** Runs a command with inherited output; rejects with its exit code. */
export function run(command, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", ...opts, env: { ...process.env, ...opts.env } });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${[command, ...args].join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

export async function pnpm(args, opts) {
  const [cmd, ...pre] = pnpmCommand();
  await run(cmd, [...pre, ...args], opts);
}

export async function installDependencies() {
  step("Installing dependencies (pnpm)");
  await pnpm(["install", "--frozen-lockfile", "--prefer-offline"]);
  step("Generating the Prisma client");
  await pnpm(["--filter", "@zm/db", "generate"], { stdio: ["ignore", "ignore", "inherit"] });
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's chromium for the browser tests; installed with apt when missing. */
export async function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  step("Installing Debian's chromium for the browser tests");
  const asRoot = process.getuid?.() === 0;
  const apt = asRoot ? ["apt-get"] : ["sudo", "apt-get"];
  try {
    await run(apt[0], [...apt.slice(1), "install", "-y", "--no-install-recommends", "chromium"], { env: { DEBIAN_FRONTEND: "noninteractive" } });
  } catch {
    await run(apt[0], [...apt.slice(1), "update"]);
    await run(apt[0], [...apt.slice(1), "install", "-y", "--no-install-recommends", "chromium"], { env: { DEBIAN_FRONTEND: "noninteractive" } });
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium is still missing at ${CHROMIUM}`);
}

export async function waitForHttp(url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
