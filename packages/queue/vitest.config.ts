import { defineConfig } from "vitest/config";

// The suites mostly wait on timers and Redis, not the CPU, so all five files run at once even
// on a 2-core machine (the default would run them one after another).
export default defineConfig({ test: { maxWorkers: 5, testTimeout: 15_000, hookTimeout: 15_000 } });
