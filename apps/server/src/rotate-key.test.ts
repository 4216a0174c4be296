import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { keyFilePath } from "@zm/db";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { createServices } from "./services.ts";

const run = promisify(execFile);
const TSX = path.resolve(import.meta.dirname, "../node_modules/.bin/tsx");

describe("pnpm rotate-key (embedded default)", () => {
  it("re-seals every secret under a new key and then drops the old one", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zm-rotate-"));
    const config = loadConfig({ DATA_DIR: dataDir });
    const log = { info() {}, warn() {}, error() {} };
    let services = await createServices(config, { log });
    await services.db.prisma.project.create({ data: { id: "PROJECT-12345678", name: "p" } });
    await services.db.prisma.user.create({ data: { id: "u", email: "u@x.test", name: "u", passwordHash: "x" } });
    await services.zendeskConnections.save(
      "PROJECT-12345678",
      "u",
      { appId: "a".repeat(24), integrationId: "b".repeat(24), webhookId: "c".repeat(24), apiKeyId: "int_x", subdomain: "acme", statusAuthHeaderName: "X-API-Key", switchboardTarget: "zd-agentWorkspace" },
      { sharedSecret: "rotate-me-1", apiKeySecret: "rotate-me-2", webhookSecretKey: "rotate-me-3" },
      "zendesk.connect",
    );
    const oldKeyId = services.keyring().currentKeyId;
    await services.close();

    const { stdout } = await run(TSX, [path.resolve(import.meta.dirname, "rotate-key.ts")], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    expect(stdout).toMatch(/Re-sealed 3 secret\(s\)/);
    expect(stdout).toMatch(/Old keys removed/);

    const keyFile = JSON.parse(fs.readFileSync(keyFilePath(dataDir), "utf8")) as { current: string; keys: Record<string, string> };
    expect(keyFile.current).not.toBe(oldKeyId);
    expect(Object.keys(keyFile.keys)).toEqual([keyFile.current]);
    expect(fs.statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);

    services = await createServices(config, { log });
    try {
      const rows = await services.db.prisma.secret.findMany({ select: { keyId: true } });
      expect(new Set(rows.map((r) => r.keyId))).toEqual(new Set([keyFile.current]));
      expect(await services.zendeskConnections.credentials("PROJECT-12345678")).toMatchObject({
        sharedSecret: "rotate-me-1",
        apiKeySecret: "rotate-me-2",
        webhookSecretKey: "rotate-me-3",
      });
    } finally {
      await services.close();
    }
  });
});
