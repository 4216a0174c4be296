import fs from "node:fs";
import path from "node:path";
import { ROOT, RUN_DIR } from "./stack.ts";

export default function globalSetup() {
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  const studio = path.join(ROOT, "apps/studio/dist/index.html");
  if (!fs.existsSync(studio)) throw new Error("Studio is not built: run `pnpm --filter @zm/studio build` (the test command does it).");
  if (!fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
    throw new Error("Chromium is missing: run `apt-get install -y chromium` (the test command does it).");
  }
}
