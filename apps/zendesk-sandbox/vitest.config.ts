import { defineConfig } from "vitest/config";

const BROWSER_TESTS = "test/**/*-browser.test.ts";

export default defineConfig({
  // Files only talk to their own sandboxes on random loopback ports, so they can run side by side and
  // share one module graph (the compiled spec validator is the slow part to build).
  test: {
    testTimeout: 15_000,
    hookTimeout: 15_000,
    maxWorkers: 2,
    isolate: false,
    projects: [
      { extends: true, test: { name: "http", include: ["test/**/*.test.ts"], exclude: [BROWSER_TESTS], sequence: { groupOrder: 0 } } },
      // Chromium takes a core to itself: the browser files run after the HTTP ones, one at a time, so
      // they neither starve the delivery-timing tests nor each other.
      { extends: true, test: { name: "browser", include: [BROWSER_TESTS], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
