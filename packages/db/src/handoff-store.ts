import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { newId } from "./ids.ts";

export type HandoffState = "handoff_requested" | "waiting_for_agent" | "with_agent" | "ended" | "failed";
export const LIVE_STATES: readonly HandoffState[] = ["handoff_requested", "waiting_for_agent", "with_agent"];

export interface HandoffSessionRow {
  id: string;
  projectId: string;
  conversationId: string;
  state: HandoffState;
  sessionTag: string;
  routing: Prisma.JsonValue;
  zendeskUserId: string | null;
  zendeskConversationId: string | null;
  firstMessageId: string | null;
  ticketId: string | null;
  agentName: string | null;
  lastAgentMessageAt: Date | null;
  endReason: string | null;
  waitNoticeSentAt: Date | null;
  lastActivityAt: Date;
  endedAt: Date | null;
  createdAt: Date;
}

const SESSION_SELECT = {
  id: true,
  projectId: true,
  conversationId: true,
  state: true,
  sessionTag: true,
  routing: true,
  zendeskUserId: true,
  zendeskConversationId: true,
  firstMessageId: true,
  ticketId: true,
  agentName: true,
  lastAgentMessageAt: true,
  endReason: true,
  waitNoticeSentAt: true,
  lastActivityAt: true,
  endedAt: true,
  createdAt: true,
} as const;

type Db = PrismaClient | Prisma.TransactionClient;
export type SessionPatch = Partial<
  Pick<
    HandoffSessionRow,
    "zendeskUserId" | "zendeskConversationId" | "firstMessageId" | "ticketId" | "agentName" | "lastAgentMessageAt" | "endReason" | "waitNoticeSentAt" | "lastActivityAt" | "endedAt"
  >
>;

/** Hand-off sessions and their recorded transitions. */
export class HandoffStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates a session in `handoff_requested`, recording how it got there. */
  async create(
    input: { projectId: string; conversationId: string; routing: Prisma.InputJsonValue; cause: string },
    tx: Db = this.prisma,
  ): Promise<HandoffSessionRow> {
    const id = newId("hs");
    // Zendesk tags are lower-case without spaces; this one links the ticket back to the session.
    const sessionTag = `handoff_${id.slice(3).toLowerCase().replace(/[^a-z0-9]/g, "")}`;
    const row = await tx.handoffSession.create({
      data: { id, projectId: input.projectId, conversationId: input.conversationId, state: "handoff_requested", sessionTag, routing: input.routing },
      select: SESSION_SELECT,
    });
    await tx.handoffTransition.create({
      data: { id: newId("tr"), sessionId: id, fromState: "bot", toState: "handoff_requested", cause: input.cause },
      select: { id: true },
    });
    return row as HandoffSessionRow;
  }

  async get(id: string, tx: Db = this.prisma): Promise<HandoffSessionRow | null> {
    return (await tx.handoffSession.findUnique({ where: { id }, select: SESSION_SELECT })) as HandoffSessionRow | null;
  }

  async liveForConversation(conversationId: string, tx: Db = this.prisma): Promise<HandoffSessionRow | null> {
    return (await tx.handoffSession.findFirst({
      where: { conversationId, state: { in: [...LIVE_STATES] } },
      orderBy: { createdAt: "desc" },
      select: SESSION_SELECT,
    })) as HandoffSessionRow | null;
  }

  async byZendeskConversation(zendeskConversationId: string): Promise<HandoffSessionRow | null> {
    return (await this.prisma.handoffSession.findUnique({ where: { zendeskConversationId }, select: SESSION_SELECT })) as HandoffSessionRow | null;
  }

  /** Ids of sessions (of this project) whose tag is among `tags`. */
  async byTags(projectId: string, tags: string[]): Promise<HandoffSessionRow[]> {
    const candidates = tags.filter((t) => t.startsWith("handoff_"));
    if (candidates.length === 0) return [];
    return (await this.prisma.handoffSession.findMany({
      where: { projectId, sessionTag: { in: candidates } },
      select: SESSION_SELECT,
    })) as HandoffSessionRow[];
  }

  async byTicket(projectId: string, ticketId: string): Promise<HandoffSessionRow | null> {
    return (await this.prisma.handoffSession.findFirst({ where: { projectId, ticketId }, orderBy: { createdAt: "desc" }, select: SESSION_SELECT })) as HandoffSessionRow | null;
  }

  async update(id: string, patch: SessionPatch, tx: Db = this.prisma) {
    await tx.handoffSession.update({ where: { id }, data: patch, select: { id: true } });
  }

  /**
   * Moves a session from one of `from` to `to`, atomically: only one of several racing
   * signals (status webhook, releaseControl, idle timer…) wins. Returns false when the
   * session was not in one of `from`.
   */
  async transition(id: string, from: readonly HandoffState[], to: HandoffState, cause: string, patch: SessionPatch = {}, tx?: Prisma.TransactionClient): Promise<boolean> {
    const run = async (db: Prisma.TransactionClient) => {
      const current = await db.handoffSession.findUnique({ where: { id }, select: { state: true } });
      if (!current) return false;
      const { count } = await db.handoffSession.updateMany({
        where: { id, state: { in: [...from] } },
        data: { ...patch, state: to },
      });
      if (count !== 1) return false;
      await db.handoffTransition.create({
        data: { id: newId("tr"), sessionId: id, fromState: current.state, toState: to, cause },
        select: { id: true },
      });
      return true;
    };
    return tx ? run(tx) : this.prisma.$transaction(run);
  }

  async transitions(sessionId: string) {
    return this.prisma.handoffTransition.findMany({
      where: { sessionId },
      orderBy: { at: "asc" },
      select: { fromState: true, toState: true, cause: true, at: true },
    });
  }

  /** Sessions waiting for an agent since before `before` that have not had the waiting notice. */
  async waitingWithoutNotice(before: Date, limit = 100): Promise<HandoffSessionRow[]> {
    return (await this.prisma.handoffSession.findMany({
      where: { state: "waiting_for_agent", waitNoticeSentAt: null, createdAt: { lt: before } },
      take: limit,
      select: SESSION_SELECT,
    })) as HandoffSessionRow[];
  }

  /** Live sessions with no traffic since `before`. */
  async idleSince(before: Date, limit = 100): Promise<HandoffSessionRow[]> {
    return (await this.prisma.handoffSession.findMany({
      where: { state: { in: ["waiting_for_agent", "with_agent"] }, lastActivityAt: { lt: before } },
      take: limit,
      select: SESSION_SELECT,
    })) as HandoffSessionRow[];
  }

  async recent(projectId: string, limit = 50): Promise<HandoffSessionRow[]> {
    return (await this.prisma.handoffSession.findMany({
      where: { projectId },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: SESSION_SELECT,
    })) as HandoffSessionRow[];
  }
}
