export * from "./client.ts";
export * from "./verify.ts";
export * from "./events.ts";
export * from "./test-connection.ts";
