import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "./test/app-harness.ts";

/** Studio's build ships .br and .gz beside each asset; the server must pick the one the browser takes. */
let t: Awaited<ReturnType<typeof startTestApp>>;
let dist: string;
const script = `export const answer = ${JSON.stringify("x".repeat(4000))};\n`;

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), "zm-studio-dist-"));
  fs.mkdirSync(path.join(dist, "assets"));
  fs.writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>Studio</title>");
  const file = path.join(dist, "assets", "app-abc123.js");
  fs.writeFileSync(file, script);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(script));
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(script));
  t = await startTestApp({}, { studioDist: dist });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

async function get(encoding: string | null) {
  // undici would decode the body itself; node:http shows what went over the wire.
  const { request } = await import("node:http");
  return new Promise<{ status: number; encoding: string | undefined; type: string | undefined; body: Buffer }>((resolve, reject) => {
    const req = request(`${t.url}/assets/app-abc123.js`, { headers: encoding ? { "accept-encoding": encoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Studio assets", () => {
  it("are sent brotli-compressed to a browser that accepts br", async () => {
    const res = await get("gzip, deflate, br");
    expect(res.status).toBe(200);
    expect(res.encoding).toBe("br");
    expect(res.type).toMatch(/javascript/);
    expect(zlib.brotliDecompressSync(res.body).toString()).toBe(script);
    expect(res.body.length).toBeLessThan(script.length / 10);
  });

  it("are sent gzip-compressed to a client that accepts only gzip", async () => {
    const res = await get("gzip");
    expect(res.encoding).toBe("gzip");
    expect(zlib.gunzipSync(res.body).toString()).toBe(script);
  });

  it("are sent as they are to a client that accepts no encoding", async () => {
    const res = await get(null);
    expect(res.encoding).toBeUndefined();
    expect(res.body.toString()).toBe(script);
  });
});
