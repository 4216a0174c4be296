import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import { newId } from "./ids.ts";

export type Channel = "webchat" | "sms";
export type ChatRole = "user" | "bot" | "agent" | "system";

export interface ConversationRow {
  id: string;
  projectId: string;
  channel: Channel;
  channelKey: string | null;
  optedOut: boolean;
}

export interface ChatMessageRow {
  id: string;
  conversationId: string;
  seq: number;
  role: ChatRole;
  text: string;
  authorName: string | null;
  mediaUrl: string | null;
  sentAt: Date;
  clientMessageId: string | null;
  externalId: string | null;
  handoffSessionId: string | null;
}

export interface NewChatMessage {
  role: ChatRole;
  text: string;
  authorName?: string | null;
  mediaUrl?: string | null;
  sentAt?: Date;
  /** Set by the widget: a resend with the same id is the same message. */
  clientMessageId?: string | null;
  /** Set from a provider's message id: a redelivery is the same message. */
  externalId?: string | null;
  handoffSessionId?: string | null;
}

export type Tx = Prisma.TransactionClient;

const CONVERSATION_SELECT = { id: true, projectId: true, channel: true, channelKey: true, optedOut: true } as const;
const MESSAGE_SELECT = {
  id: true,
  conversationId: true,
  seq: true,
  role: true,
  text: true,
  authorName: true,
  mediaUrl: true,
  sentAt: true,
  clientMessageId: true,
  externalId: true,
  handoffSessionId: true,
} as const;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/** End users' conversations and their transcripts. */
export class ChatStore {
  constructor(private readonly prisma: PrismaClient) {}

  async createConversation(input: { projectId: string; channel: Channel; channelKey?: string | null; visitorTokenHash?: string | null }) {
    return (await this.prisma.conversation.create({
      data: { id: newId("conv"), projectId: input.projectId, channel: input.channel, channelKey: input.channelKey ?? null, visitorTokenHash: input.visitorTokenHash ?? null },
      select: CONVERSATION_SELECT,
    })) as ConversationRow;
  }

  /** Finds or creates the conversation for a channel key (an SMS number pair). */
  async conversationForChannelKey(projectId: string, channel: Channel, channelKey: string): Promise<ConversationRow> {
    const where = { projectId_channel_channelKey: { projectId, channel, channelKey } };
    const found = await this.prisma.conversation.findUnique({ where, select: CONVERSATION_SELECT });
    if (found) return found as ConversationRow;
    try {
      return await this.createConversation({ projectId, channel, channelKey });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return (await this.prisma.conversation.findUniqueOrThrow({ where, select: CONVERSATION_SELECT })) as ConversationRow;
    }
  }

  async conversation(id: string): Promise<ConversationRow | null> {
    return (await this.prisma.conversation.findUnique({ where: { id }, select: CONVERSATION_SELECT })) as ConversationRow | null;
  }

  /** The conversation when `tokenHash` is its widget token, else null (same answer for unknown and wrong). */
  async webchatConversation(projectId: string, id: string, tokenHash: string): Promise<ConversationRow | null> {
    const row = await this.prisma.conversation.findUnique({
      where: { id },
      select: { ...CONVERSATION_SELECT, visitorTokenHash: true },
    });
    if (!row || row.projectId !== projectId || row.channel !== "webchat" || row.visitorTokenHash !== tokenHash) return null;
    const { visitorTokenHash: _hash, ...conversation } = row;
    return conversation as ConversationRow;
  }

  async setOptedOut(conversationId: string, optedOut: boolean) {
    await this.prisma.conversation.update({ where: { id: conversationId }, data: { optedOut }, select: { id: true } });
  }

  /**
   * Appends a message with the next sequence number. A message whose clientMessageId or
   * externalId was seen before is not stored again: the stored one comes back with `duplicate`.
   */
  async append(conversationId: string, message: NewChatMessage, tx?: Tx): Promise<{ message: ChatMessageRow; duplicate: boolean }> {
    const run = async (db: Tx, checkFirst: boolean) => {
      // In a caller's transaction a unique violation would abort it, so look first; in our own,
      // the unique index is the check and a redelivery (rare) costs a rolled-back insert.
      if (checkFirst) {
        const existing = await this.findDuplicate(db, conversationId, message);
        if (existing) return { message: existing, duplicate: true };
      }
      const { nextSeq } = await db.conversation.update({
        where: { id: conversationId },
        data: { nextSeq: { increment: 1 }, lastActivityAt: new Date() },
        select: { nextSeq: true },
      });
      const row = await db.chatMessage.create({
        data: {
          id: newId("msg"),
          conversationId,
          seq: nextSeq - 1,
          role: message.role,
          text: message.text,
          authorName: message.authorName ?? null,
          mediaUrl: message.mediaUrl ?? null,
          sentAt: message.sentAt ?? new Date(),
          clientMessageId: message.clientMessageId ?? null,
          externalId: message.externalId ?? null,
          handoffSessionId: message.handoffSessionId ?? null,
        },
        select: MESSAGE_SELECT,
      });
      return { message: row as ChatMessageRow, duplicate: false };
    };
    if (tx) return run(tx, true);
    try {
      return await this.prisma.$transaction((db) => run(db, false));
    } catch (err) {
      // Two deliveries of the same message raced; the other one stored it.
      if (!isUniqueViolation(err)) throw err;
      const existing = await this.findDuplicate(this.prisma, conversationId, message);
      if (!existing) throw err;
      return { message: existing, duplicate: true };
    }
  }

  private async findDuplicate(db: Tx | PrismaClient, conversationId: string, message: NewChatMessage) {
    const keys = [
      message.clientMessageId ? { clientMessageId: message.clientMessageId } : null,
      message.externalId ? { externalId: message.externalId } : null,
    ].filter((k): k is NonNullable<typeof k> => k !== null);
    if (keys.length === 0) return null;
    return (await db.chatMessage.findFirst({ where: { conversationId, OR: keys }, select: MESSAGE_SELECT })) as ChatMessageRow | null;
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit = 500): Promise<ChatMessageRow[]> {
    return (await this.prisma.chatMessage.findMany({
      where: { conversationId, seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: limit,
      select: MESSAGE_SELECT,
    })) as ChatMessageRow[];
  }

  /** The transcript so far, oldest first, as the hand-off posts it to the agent. */
  async transcript(conversationId: string, limit = 200): Promise<ChatMessageRow[]> {
    const rows = await this.prisma.chatMessage.findMany({
      where: { conversationId },
      orderBy: { seq: "desc" },
      take: limit,
      select: MESSAGE_SELECT,
    });
    return (rows as ChatMessageRow[]).reverse();
  }
}
