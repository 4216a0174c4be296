import { DEFAULT_TRANSFER_UTTERANCE, zendeskIntegrationOptions, type HandoffResponse, type ZendeskIntegrationOptions } from "@zm/contracts";

/** What a function learns about the conversation it runs in. */
export interface ConversationContext {
  id: string;
  projectId: string;
  channel: "webchat" | "sms";
}

export interface TransferArgs {
  utterance?: string;
  options?: ZendeskIntegrationOptions;
}

/**
 * The built-in `transfer_to_zendesk` action. It decides nothing itself: it returns the shared
 * chat hand-off shape, and the runtime that receives `handoff.text_chat.zendesk_integration`
 * starts the hand-off with those routing fields.
 */
export function transferToZendesk(_conv: ConversationContext, args: TransferArgs = {}): HandoffResponse {
  const options = zendeskIntegrationOptions.parse(args.options ?? {});
  return {
    utterance: args.utterance ?? DEFAULT_TRANSFER_UTTERANCE,
    handoff: { text_chat: { zendesk_integration: options } },
  };
}

export const builtInFunctions = {
  transfer_to_zendesk: transferToZendesk,
} as const;
export type BuiltInFunctionName = keyof typeof builtInFunctions;

export class UnknownFunctionError extends Error {
  override name = "UnknownFunctionError";
}

/** Flow steps call functions by name, the same way topic actions do. */
export function callFunction(name: string, conv: ConversationContext, args: unknown): HandoffResponse {
  if (!(name in builtInFunctions)) throw new UnknownFunctionError(`There is no function called ${name}`);
  return builtInFunctions[name as BuiltInFunctionName](conv, (args ?? {}) as TransferArgs);
}
