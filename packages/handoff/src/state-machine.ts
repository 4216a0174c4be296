import type { HandoffState } from "@zm/db";

/**
 * The hand-off session's states. A conversation with no live session is with the AI agent
 * ("bot"); `ended` and `failed` are final and hand the conversation back to it.
 *
 *   bot ─request─▶ handoff_requested ─passControl ok─▶ waiting_for_agent ─agent message─▶ with_agent
 *                        │                                  │                                │
 *                        └──── permanent failure ─▶ failed  └────── ticket solved / closed, session ended ─▶ ended
 */
export const TRANSITIONS: Readonly<Record<HandoffState, readonly HandoffState[]>> = {
  handoff_requested: ["waiting_for_agent", "with_agent", "ended", "failed"],
  waiting_for_agent: ["with_agent", "ended", "failed"],
  with_agent: ["ended", "failed"],
  ended: [],
  failed: [],
};

export function canMove(from: HandoffState, to: HandoffState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states a session may leave to reach `to`. */
export function statesBefore(to: HandoffState): HandoffState[] {
  return (Object.keys(TRANSITIONS) as HandoffState[]).filter((from) => canMove(from, to));
}

export function isLive(state: HandoffState): boolean {
  return state === "handoff_requested" || state === "waiting_for_agent" || state === "with_agent";
}

/** Why a session ended: shown in logs and recorded on the transition. */
export type EndReason =
  | "ticket_solved"
  | "ticket_closed"
  | "ticket_deleted"
  | "agent_ended_session"
  | "control_passed_elsewhere"
  | "conversation_removed"
  | "idle_timeout";

export type FailReason = "not_connected" | "zendesk_refused" | "zendesk_unreachable" | "pass_control_failed";
