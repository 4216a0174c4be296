export * from "./ids.ts";
export * from "./zendesk-connection.ts";
