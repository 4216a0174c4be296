import fs from "node:fs";
import zlib from "node:zlib";
import { chromium } from "playwright-core";
import { ADMIN, PROJECT_ID } from "./lib/processes.ts";
import { Stack } from "./lib/stack.ts";
import { percentile, round } from "./lib/stats.ts";

/**
 * 4. Studio: the JavaScript the Integrations page loads (each script the browser fetched,
 * gzip-compressed here at zlib's default level 6, as a server compressing on the fly would send
 * it) and its time to interactive in headless Chromium: navigation start until the Zendesk
 * Messaging tile's link is on screen and the main thread's last long task (> 50 ms) has ended.
 * Cold loads (new browser context, empty cache), signed in, median of `runs`.
 */
export interface StudioResult {
  scripts: { url: string; bytes: number; gzipBytes: number; transferEncoding: string | null }[];
  jsBytes: number;
  jsGzipBytes: number;
  servedCompressed: boolean;
  runs: number;
  ttiMs: number[];
  ttiMedianMs: number;
  ttiP90Ms: number;
  chromium: string;
  url: string;
}

export async function runStudio(opts: { runs: number; chromiumPath: string; log: (s: string) => void }): Promise<StudioResult> {
  if (!fs.existsSync(opts.chromiumPath)) throw new Error(`chromium is missing at ${opts.chromiumPath} (apt-get install -y chromium)`);
  const stack = await new Stack("embedded").start();
  const browser = await chromium.launch({ executablePath: opts.chromiumPath, headless: true, args: ["--no-sandbox"] });
  try {
    const base = stack.server.url;
    const path = `/projects/${PROJECT_ID}/configure/integrations`;
    const signIn = await browser.newContext();
    const page0 = await signIn.newPage();
    await page0.goto(`${base}/login?next=${encodeURIComponent(path)}`);
    await page0.getByLabel("Email").fill(ADMIN.email);
    await page0.getByLabel("Password").fill(ADMIN.password);
    await page0.getByRole("button", { name: "Sign in" }).click();
    await page0.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 30_000 });
    const storageState = await signIn.storageState();
    await signIn.close();

    const tti: number[] = [];
    let scripts: StudioResult["scripts"] = [];
    for (let run = 0; run < opts.runs; run++) {
      const context = await browser.newContext({ storageState });
      const page = await context.newPage();
      // Runs in the page (a string, so this package needs no DOM types).
      await page.addInitScript(`
        window.__longTaskEnd = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTaskEnd = Math.max(window.__longTaskEnd, e.startTime + e.duration);
        }).observe({ type: "longtask", buffered: true });
      `);
      const seen: Promise<StudioResult["scripts"][number]>[] = [];
      page.on("response", (res) => {
        if (res.request().resourceType() !== "script") return;
        seen.push(
          res.body().then((body) => ({
            url: res.url().replace(base, ""),
            bytes: body.length,
            gzipBytes: zlib.gzipSync(body, { level: 6 }).length,
            transferEncoding: res.headers()["content-encoding"] ?? null,
          })),
        );
      });
      await page.goto(`${base}${path}`);
      await page.getByRole("link", { name: /Zendesk Messaging/ }).first().waitFor({ timeout: 30_000 });
      const readyAt = await page.evaluate(() => performance.now());
      await page.waitForTimeout(1000); // let late long tasks show
      const lastLong = Number(await page.evaluate("window.__longTaskEnd"));
      tti.push(round(Math.max(readyAt, lastLong), 0));
      scripts = await Promise.all(seen);
      await context.close();
    }
    const jsBytes = scripts.reduce((a, s) => a + s.bytes, 0);
    const jsGzipBytes = scripts.reduce((a, s) => a + s.gzipBytes, 0);
    const result: StudioResult = {
      scripts,
      jsBytes,
      jsGzipBytes,
      servedCompressed: scripts.every((s) => s.transferEncoding !== null),
      runs: opts.runs,
      ttiMs: tti,
      ttiMedianMs: percentile(tti, 50),
      ttiP90Ms: percentile(tti, 90),
      chromium: browser.version(),
      url: path,
    };
    opts.log(`studio: ${scripts.length} scripts, ${jsBytes} B, ${jsGzipBytes} B gzip; TTI ${tti.join(", ")} ms`);
    return result;
  } finally {
    await browser.close();
    await stack.stop();
  }
}
