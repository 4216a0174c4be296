import type { WidgetState } from "@zm/contracts";
import type { HandoffSessionRow } from "@zm/db";
import type { RuntimeContext } from "./context.ts";

export function widgetStateOf(session: Pick<HandoffSessionRow, "state"> | null): WidgetState {
  if (!session) return "bot";
  if (session.state === "with_agent") return "with_agent";
  if (session.state === "handoff_requested" || session.state === "waiting_for_agent") return "connecting";
  return "bot";
}

export async function stateOfConversation(ctx: RuntimeContext, conversationId: string) {
  const session = await ctx.sessions.liveForConversation(conversationId);
  return { state: widgetStateOf(session), agentName: session?.state === "with_agent" ? session.agentName : null };
}
