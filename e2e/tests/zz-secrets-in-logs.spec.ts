import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT, RUN_LOG, RUN_SECRETS } from "../support/stack.ts";

/**
 * Runs last (files run in name order on one worker): every process log of this whole browser
 * run is searched for every secret the run used (Zendesk and SMS secrets, master keys,
 * passwords). The built Studio must not contain them either.
 */
test("no secret used in this run appears in any log or in the browser bundle", () => {
  test.skip(!fs.existsSync(RUN_SECRETS), "run the whole e2e suite to collect logs and secrets");
  const secrets = JSON.parse(fs.readFileSync(RUN_SECRETS, "utf8")) as string[];
  const log = fs.readFileSync(RUN_LOG, "utf8");
  expect(secrets.length).toBeGreaterThan(5);
  expect(log.length).toBeGreaterThan(1000);
  expect(secrets.filter((s) => log.includes(s)).map((s) => `${s.slice(0, 3)}…`)).toEqual([]);

  const dist = path.join(ROOT, "apps/studio/dist");
  const files = fs.readdirSync(dist, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  for (const file of files) {
    const content = fs.readFileSync(path.join(file.parentPath, file.name), "utf8");
    expect(secrets.filter((s) => content.includes(s)), file.name).toEqual([]);
  }
});
