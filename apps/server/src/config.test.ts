import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("environment", () => {
  it("needs nothing for the embedded default", () => {
    const c = loadConfig({}, "/srv/app");
    expect(c).toMatchObject({
      port: 3000,
      publicBaseUrl: "http://localhost:3000",
      dataDir: "/srv/app/.data",
      databaseUrl: "pglite:/srv/app/.data/pglite",
    });
  });

  it.each([
    [{ PORT: "abc" }, /PORT must be a number \(got "abc"\)/],
    [{ PORT: "70000" }, /PORT must be between 1 and 65535/],
    [{ PUBLIC_BASE_URL: "ftp://x" }, /PUBLIC_BASE_URL must be an http\(s\) URL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with postgresql:\/\//],
    [{ MASTER_KEY: "short" }, /MASTER_KEY must be 32 random bytes/],
    [{ DEMO_PROJECT_ID: "PROJECT-xyz" }, /DEMO_PROJECT_ID must look like PROJECT-f07a975e/],
    [{ DATABASE_URL: "postgresql://127.0.0.1/test" }, /MASTER_KEY is required with a PostgreSQL DATABASE_URL/],
  ])("names the bad variable: %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("never echoes a secret value in the error", () => {
    try {
      loadConfig({ MASTER_KEY: "my-very-secret-but-wrong-key" });
    } catch (err) {
      expect(String(err)).not.toContain("my-very-secret");
      return;
    }
    throw new Error("expected a ConfigError");
  });
});
