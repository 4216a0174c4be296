import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The chat client is framework-free and gets its WebSocket and storage injected.
    environment: "node",
  },
});
