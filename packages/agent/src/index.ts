export { respond, GREETING, FALLBACK_ANSWER, type AgentTopic, type AgentTurn } from "./agent.ts";
export { callFunction, transferToZendesk, builtInFunctions, UnknownFunctionError, type ConversationContext, type TransferArgs } from "./functions.ts";
export { bestMatch, phraseScore, words, MATCH_THRESHOLD } from "./matching.ts";
