import { defineConfig } from "vitest/config";

// Framework-free logic only (the chat client, with its WebSocket and storage injected, and the
// form conversions); pages are covered by the Playwright journeys in e2e/.
export default defineConfig({ test: { include: ["src/**/*.test.ts"], environment: "node" } });
