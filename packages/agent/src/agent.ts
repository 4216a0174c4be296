import type { HandoffResponse, ZendeskIntegrationOptions } from "@zm/contracts";
import { callFunction, type ConversationContext } from "./functions.ts";
import { bestMatch } from "./matching.ts";

export interface AgentTopic {
  id: string;
  name: string;
  phrases: string[];
  answer: string;
  actions: Array<{ action: string; utterance: string; options: ZendeskIntegrationOptions }>;
}

export interface AgentTurn {
  /** What the AI agent says, in order. */
  say: string[];
  /** A hand-off object returned by an action, for the hand-off runtime. */
  handoff: HandoffResponse["handoff"] | null;
  matchedTopicId: string | null;
}

export const GREETING = "Hi! I'm the virtual assistant. How can I help you today?";
export const FALLBACK_ANSWER =
  "Sorry, I didn't quite get that. Could you rephrase it? You can also ask to talk to a person.";

/** One turn of the AI agent: match a topic, say its answer, run its actions. */
export function respond(topics: readonly AgentTopic[], text: string, conv: ConversationContext): AgentTurn {
  const match = bestMatch(topics, text);
  if (!match) return { say: [FALLBACK_ANSWER], handoff: null, matchedTopicId: null };
  const topic = match.item;
  const say: string[] = topic.answer ? [topic.answer] : [];
  let handoff: AgentTurn["handoff"] = null;
  for (const action of topic.actions) {
    const result = callFunction(action.action, conv, { utterance: action.utterance, options: action.options });
    if (result.utterance) say.push(result.utterance);
    // The first hand-off wins; a topic hands off at most once per turn.
    handoff ??= result.handoff;
  }
  return { say, handoff, matchedTopicId: topic.id };
}
