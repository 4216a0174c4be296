export { buildApp, SESSION_COOKIE, type AppOptions } from "./app.ts";
export { loadConfig, ConfigError, type ServerConfig } from "./config.ts";
export { createServices } from "./services.ts";
export { seedDemo } from "./seed.ts";
