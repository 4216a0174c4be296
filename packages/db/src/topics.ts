import { randomBytes, randomUUID } from "node:crypto";
import { BUILT_IN_ACTIONS, zendeskIntegrationOptions, type ZendeskIntegrationOptions } from "@zm/contracts";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

export type BuiltInAction = (typeof BUILT_IN_ACTIONS)[number];

export interface TopicActionData {
  action: BuiltInAction;
  utterance: string;
  options: ZendeskIntegrationOptions;
}

/** A topic's content, already validated by `topicInput` from @zm/contracts. */
export interface TopicData {
  name: string;
  phrases: string[];
  answer: string;
  actions: TopicActionData[];
}

export interface StoredTopic extends TopicData {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface TopicListItem {
  id: string;
  name: string;
  phraseCount: number;
  actions: BuiltInAction[];
  updatedAt: Date;
}

export const TOPIC_FIELDS = ["name", "phrases", "answer", "actions"] as const;
export type TopicField = (typeof TOPIC_FIELDS)[number];

export type TopicAuditAction = "topic.create" | "topic.update" | "topic.delete";

export function newTopicId(): string {
  return `topic_${randomBytes(12).toString("base64url")}`;
}

const ACTIONS_IN_ORDER = { orderBy: { position: "asc" }, select: { action: true, utterance: true, options: true } } as const;

// Database collations differ (PGlite vs a PostgreSQL server's locale), so the order users see is decided here.
const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/**
 * A project's knowledge topics and their actions. Every method takes the project id and
 * filters on it, so a topic id from another project reads as absent and cannot be changed.
 */
export class Topics {
  constructor(private readonly prisma: PrismaClient) {}

  async list(projectId: string): Promise<TopicListItem[]> {
    const rows = await this.prisma.topic.findMany({
      where: { projectId },
      select: { id: true, name: true, phrases: true, updatedAt: true, actions: { ...ACTIONS_IN_ORDER, select: { action: true } } },
    });
    return rows
      .map((row) => ({
        id: row.id,
        name: row.name,
        phraseCount: row.phrases.length,
        actions: row.actions.map((a) => builtInAction(a.action, row.id)),
        updatedAt: row.updatedAt,
      }))
      .sort((a, b) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
  }

  async get(projectId: string, topicId: string): Promise<StoredTopic | null> {
    return readTopic(this.prisma, projectId, topicId);
  }

  async create(projectId: string, actorUserId: string, data: TopicData): Promise<StoredTopic> {
    const id = newTopicId();
    return this.prisma.$transaction(async (tx) => {
      await tx.topic.create({
        data: { id, projectId, name: data.name, phrases: data.phrases, answer: data.answer },
        select: { id: true },
      });
      await insertActions(tx, id, data.actions);
      const fields = TOPIC_FIELDS.filter((f) => hasContent(data[f]));
      await audit(tx, projectId, actorUserId, "topic.create", fields);
      return (await readTopic(tx, projectId, id))!;
    });
  }

  /**
   * Replaces the topic's content, phrases and actions included, in one transaction.
   * Returns null when the project has no such topic; `changed` names the fields whose value differs.
   */
  async update(
    projectId: string,
    topicId: string,
    actorUserId: string,
    data: TopicData,
  ): Promise<{ topic: StoredTopic; changed: TopicField[] } | null> {
    return this.prisma.$transaction(async (tx) => {
      // Lock the topic row before reading it: concurrent saves of one topic then run one after
      // the other, each replacing the actions the previous one wrote (positions are unique per
      // topic) and naming in `changed` what it really changed.
      const locked = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT "id" FROM "Topic" WHERE "id" = ${topicId} AND "projectId" = ${projectId} FOR UPDATE`;
      if (locked.length === 0) return null;
      const before = (await readTopic(tx, projectId, topicId))!;
      const changed = TOPIC_FIELDS.filter((f) => canonicalJson(before[f]) !== canonicalJson(data[f]));
      if (changed.length > 0) {
        await tx.topic.update({
          where: { id: topicId, projectId },
          data: { name: data.name, phrases: data.phrases, answer: data.answer },
          select: { id: true },
        });
        await tx.topicAction.deleteMany({ where: { topicId } });
        await insertActions(tx, topicId, data.actions);
      }
      await audit(tx, projectId, actorUserId, "topic.update", changed);
      return { topic: (await readTopic(tx, projectId, topicId))!, changed };
    });
  }

  /** Deletes the topic and its actions; false when the project has no such topic. */
  async delete(projectId: string, topicId: string, actorUserId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.topic.deleteMany({ where: { id: topicId, projectId } });
      if (count === 0) return false;
      await audit(tx, projectId, actorUserId, "topic.delete", []);
      return true;
    });
  }
}

type Reader = Pick<PrismaClient, "topic">;
type Writer = Pick<PrismaClient, "topicAction" | "auditLog">;

async function readTopic(db: Reader, projectId: string, topicId: string): Promise<StoredTopic | null> {
  const row = await db.topic.findFirst({
    where: { id: topicId, projectId },
    select: { id: true, name: true, phrases: true, answer: true, createdAt: true, updatedAt: true, actions: ACTIONS_IN_ORDER },
  });
  if (!row) return null;
  return {
    ...row,
    actions: row.actions.map((a) => ({
      action: builtInAction(a.action, row.id),
      utterance: a.utterance,
      options: zendeskIntegrationOptions.parse(a.options),
    })),
  };
}

async function insertActions(tx: Writer, topicId: string, actions: TopicActionData[]) {
  if (actions.length === 0) return;
  await tx.topicAction.createMany({
    data: actions.map((a, position) => ({
      id: randomUUID(),
      topicId,
      position,
      action: a.action,
      utterance: a.utterance,
      options: jsonObjectOf(a.options),
    })),
  });
}

async function audit(tx: Writer, projectId: string, actorUserId: string, action: TopicAuditAction, fields: readonly TopicField[]) {
  await tx.auditLog.create({
    data: { id: randomUUID(), projectId, actorUserId, action, fields: [...fields] },
    select: { id: true },
  });
}

function builtInAction(value: string, topicId: string): BuiltInAction {
  const known = BUILT_IN_ACTIONS.find((a) => a === value);
  if (!known) throw new Error(`Topic ${topicId} has an action this version does not know: ${JSON.stringify(value)}`);
  return known;
}

function hasContent(value: string | readonly unknown[]): boolean {
  return value.length > 0;
}

/** Drops absent options: JSON columns take no `undefined`. */
function jsonObjectOf(options: ZendeskIntegrationOptions): Prisma.InputJsonObject {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** JSON with object keys sorted: jsonb does not keep key order, so stored and submitted options compare by content. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
