import type { RuntimeDeps, Tuning } from "./deps.ts";
import type { ChannelRegistry } from "./end-user-channels.ts";
import type { ZendeskGateway } from "./zendesk-gateway.ts";

/** Everything the runtime's modules share; built once by createHandoffRuntime. */
export interface RuntimeContext extends RuntimeDeps {
  tuning: Tuning;
  channels: ChannelRegistry;
  zendesk: ZendeskGateway;
  clock: () => Date;
}

export const QUEUES = {
  /** key: an outbox ordering key (a hand-off session id, or sms:<conversation id>) */
  outbox: "outbox",
  /** key: an inbox routing key (a hand-off session id) */
  inbox: "inbox",
} as const;
