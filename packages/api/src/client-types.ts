/** Type-only entry for the browser: the router's type, no server code. */
export type { AppRouter } from "./router.ts";
