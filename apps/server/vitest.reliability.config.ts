import { defineConfig } from "vitest/config";

// The reliability suite: real processes killed with SIGKILL, and a fixed-rate load run.
export default defineConfig({ test: { include: ["reliability/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 120_000, fileParallelism: false } });
