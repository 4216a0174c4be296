import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./stack.ts";

export default function globalSetup() {
  const studio = path.join(ROOT, "apps/studio/dist/index.html");
  if (!fs.existsSync(studio)) throw new Error("Studio is not built: run `pnpm --filter @zm/studio build` (the test command does it).");
  if (!fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
    throw new Error("Chromium is missing: run `apt-get install -y chromium` (the test command does it).");
  }
}
