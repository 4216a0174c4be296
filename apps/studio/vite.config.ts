import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.STUDIO_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  build: {
    // No inline scripts or styles: the server's CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        studio: fileURLToPath(new URL("./index.html", import.meta.url)),
        chat: fileURLToPath(new URL("./chat.html", import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      "/trpc": api,
      "/handoff": api,
      "/widget": { target: api, ws: true },
      "/healthz": api,
    },
  },
});
