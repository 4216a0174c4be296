import { pino, type Logger, type LoggerOptions } from "pino";

/**
 * Secrets never reach the log: request and response headers are not serialised at all,
 * bodies are never logged, and these paths are redacted wherever they appear in a log object.
 */
export const REDACT_PATHS = [
  "req.headers",
  "res.headers",
  "headers",
  "*.headers",
  "authorization",
  "cookie",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "sharedSecret",
  "*.sharedSecret",
  "apiKeySecret",
  "*.apiKeySecret",
  "webhookSecretKey",
  "*.webhookSecretKey",
  "signingSecret",
  "*.signingSecret",
  "authToken",
  "*.authToken",
  "body",
  "*.body",
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        // Query strings may carry tokens (widget resume links); keep only the path.
        url: req.url.split("?")[0],
        ip: req.ip,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function createLogger(level: string, stream?: NodeJS.WritableStream): Logger {
  return stream ? pino(loggerOptions(level), stream) : pino(loggerOptions(level));
}
