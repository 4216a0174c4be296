export * from "./ids.ts";
export * from "./zendesk-connection.ts";
export * from "./handoff.ts";
export * from "./widget-protocol.ts";
export * from "./split-text.ts";
export * from "./sms-connection.ts";
export * from "./handoff-logs.ts";
