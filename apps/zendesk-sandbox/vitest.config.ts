import { defineConfig } from "vitest/config";

export default defineConfig({
  // Files only talk to their own sandboxes on random loopback ports, so they can run side by side and
  // share one module graph (the compiled spec validator is the slow part to build).
  test: { include: ["test/**/*.test.ts"], testTimeout: 15_000, hookTimeout: 15_000, maxWorkers: 2, isolate: false },
});
