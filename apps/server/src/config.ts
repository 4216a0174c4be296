import path from "node:path";
import { z } from "zod";

const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

const url = (hint: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return ["http:", "https:"].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be an http(s) URL, e.g. ${hint}`);

function isMasterKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=?$/.test(value) && Buffer.from(value, "base64").length === 32;
}

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PUBLIC_BASE_URL: url("https://studio.example.com").optional(),
  DATA_DIR: z.string().trim().min(1, "must not be empty").default("./.data"),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(postgres(ql)?:\/\/|pglite:)/, "must start with postgresql:// (or pglite:<dir> for the embedded database)")
    .optional(),
  MASTER_KEY: z
    .string()
    .trim()
    .refine(isMasterKey, "must be 32 random bytes encoded as base64 (generate one with `openssl rand -base64 32`)")
    .optional(),
  MASTER_KEY_PREVIOUS: z
    .string()
    .trim()
    .refine((v) => v.split(",").every((k) => isMasterKey(k.trim())), "must be comma-separated base64 keys of 32 bytes")
    .optional(),
  REDIS_URL: z.string().trim().regex(/^rediss?:\/\//, "must start with redis://").optional(),
  REDIS_PREFIX: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, "must be 1–40 letters, digits, - or _").optional(),
  ZENDESK_API_BASE_URL: url("http://127.0.0.1:4010/sc").optional(),
  SMS_API_BASE_URL: url("http://127.0.0.1:4010").optional(),
  HANDOFF_SWEEP_INTERVAL_MS: z.coerce.number({ message: "must be a number" }).int().min(100, "must be at least 100").max(600_000, "must be at most 600000").default(5_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  STUDIO_DIST: z.string().trim().optional(),
  SEED_DEMO: z.enum(["0", "1", "true", "false"]).default("0"),
  DEMO_PROJECT_ID: z
    .string()
    .trim()
    .regex(/^PROJECT-[0-9a-f]{8}$/, "must look like PROJECT-f07a975e (PROJECT- and 8 hex digits)")
    .optional(),
  STUDIO_ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email("must be an email address")).optional(),
  STUDIO_ADMIN_PASSWORD: z.string().min(8, "must have at least 8 characters").optional(),
  DEMO_SANDBOX_URL: url("http://127.0.0.1:4010").optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface ServerConfig {
  port: number;
  host: string;
  publicBaseUrl: string;
  dataDir: string;
  databaseUrl: string;
  masterKey: string | undefined;
  previousMasterKeys: string[];
  redisUrl: string | undefined;
  /** Namespaces every Redis key and channel; every instance of one deployment uses the same. */
  redisPrefix: string | undefined;
  zendeskApiBaseUrl: string | undefined;
  smsApiBaseUrl: string | undefined;
  logLevel: Env["LOG_LEVEL"];
  /** How often the runtime's safety-net sweep runs (recovery, wait notices, idle sessions). */
  sweepIntervalMs: number;
  studioDist: string;
  seedDemo: boolean;
  demo: {
    projectId: string | undefined;
    adminEmail: string | undefined;
    adminPassword: string | undefined;
    sandboxUrl: string | undefined;
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and checks the environment once at boot; a bad variable is named in the message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? "environment");
      const shown = name.includes("KEY") || name.includes("PASSWORD") || name.includes("URL") ? "" : ` (got "${String(raw[name] ?? "")}")`;
      return `  ${name} ${i.message}${shown}`;
    });
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `pglite:${path.join(dataDir, "pglite")}`;
  if (databaseUrl.startsWith("postgres") && !e.MASTER_KEY) {
    throw new ConfigError(
      "Invalid environment:\n  MASTER_KEY is required with a PostgreSQL DATABASE_URL, so every instance seals secrets with the same key (generate one with `openssl rand -base64 32`)",
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    dataDir,
    databaseUrl,
    masterKey: e.MASTER_KEY,
    previousMasterKeys: (e.MASTER_KEY_PREVIOUS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    zendeskApiBaseUrl: e.ZENDESK_API_BASE_URL,
    smsApiBaseUrl: e.SMS_API_BASE_URL,
    logLevel: e.LOG_LEVEL,
    sweepIntervalMs: e.HANDOFF_SWEEP_INTERVAL_MS,
    studioDist: path.resolve(cwd, e.STUDIO_DIST ?? path.join(import.meta.dirname, "../../studio/dist")),
    seedDemo: e.SEED_DEMO === "1" || e.SEED_DEMO === "true",
    demo: {
      projectId: e.DEMO_PROJECT_ID,
      adminEmail: e.STUDIO_ADMIN_EMAIL,
      adminPassword: e.STUDIO_ADMIN_PASSWORD,
      sandboxUrl: e.DEMO_SANDBOX_URL,
    },
  };
}
