import { defineConfig } from "vitest/config";

// Pure form logic only; pages are covered by the Playwright journeys in e2e/.
export default defineConfig({ test: { include: ["src/**/*.test.ts"], environment: "node" } });
