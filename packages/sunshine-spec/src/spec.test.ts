import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SPEC_PATH, SPEC_SHA256, loadSpec } from "./index.ts";

describe("committed Sunshine Conversations spec", () => {
  it("is the official v17.12.1 file, unmodified", () => {
    const sha = createHash("sha256").update(fs.readFileSync(SPEC_PATH)).digest("hex");
    expect(sha).toBe(SPEC_SHA256);
    expect(loadSpec().info.version).toBe("17.12.1");
  });

  it("has generated types that match it", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sunshine-types-")), "sunshine.ts");
    const bin = path.resolve(import.meta.dirname, "../node_modules/.bin/openapi-typescript");
    execFileSync(bin, [SPEC_PATH, "-o", out], { stdio: "ignore" });
    const committed = fs.readFileSync(path.resolve(import.meta.dirname, "generated/sunshine.ts"), "utf8");
    expect(fs.readFileSync(out, "utf8")).toBe(committed);
  });
});
