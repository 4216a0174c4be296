import { DEFAULT_HANDOFF_SETTINGS } from "@zm/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProjectSettings } from "./project-settings.ts";
import { openTestDatabase } from "./testing.ts";
import { Topics, type TopicData } from "./topics.ts";

const A = "PROJECT-0000000a";
const B = "PROJECT-0000000b";

const talkToHuman: TopicData = {
  name: "Talk to a human",
  phrases: ["agent please", "real person"],
  answer: "",
  actions: [
    {
      action: "transfer_to_zendesk",
      utterance: "Transferring you now.",
      options: { tags: ["vip"], priority: "high", group_id: "360001", custom_fields: { "42": "gold", "7": 3 } },
    },
  ],
};

describe(`topics and project settings (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let topics: Topics;
  let settings: ProjectSettings;
  beforeAll(async () => {
    db = await openTestDatabase();
    topics = new Topics(db.prisma);
    settings = new ProjectSettings(db.prisma);
    await db.prisma.project.createMany({ data: [{ id: A, name: "A" }, { id: B, name: "B" }] });
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.prisma.topic.deleteMany({});
    await db.prisma.auditLog.deleteMany({});
  });

  it("creates a topic with its actions in order and reads it back", async () => {
    const second = { action: "transfer_to_zendesk" as const, utterance: "Second", options: {} };
    const created = await topics.create(A, "u1", { ...talkToHuman, actions: [...talkToHuman.actions, second] });
    expect(created.id).toMatch(/^topic_[A-Za-z0-9_-]{16}$/);
    expect(await topics.get(A, created.id)).toEqual(created);
    expect(created).toMatchObject({ name: "Talk to a human", phrases: ["agent please", "real person"] });
    expect(created.actions.map((a) => a.utterance)).toEqual(["Transferring you now.", "Second"]);
    expect(created.actions[0]!.options).toEqual(talkToHuman.actions[0]!.options);
  });

  it("lists a project's topics by name, case and numbers read naturally, with phrase counts", async () => {
    for (const name of ["billing", "Talk to a human", "Topic 10", "Topic 9", "Address change"]) {
      await topics.create(A, "u1", { ...talkToHuman, name, actions: name === "billing" ? [] : talkToHuman.actions });
    }
    await topics.create(B, "u1", { ...talkToHuman, name: "Another project's topic" });
    const list = await topics.list(A);
    expect(list.map((t) => t.name)).toEqual(["Address change", "billing", "Talk to a human", "Topic 9", "Topic 10"]);
    expect(list[1]).toMatchObject({ phraseCount: 2, actions: [] });
    expect(list[2]).toMatchObject({ phraseCount: 2, actions: ["transfer_to_zendesk"] });
  });

  it("never reads, changes or deletes another project's topic", async () => {
    const theirs = await topics.create(B, "u-b", talkToHuman);
    expect(await topics.get(A, theirs.id)).toBeNull();
    expect(await topics.update(A, theirs.id, "u-a", { ...talkToHuman, name: "hijacked", actions: [] })).toBeNull();
    expect(await topics.delete(A, theirs.id, "u-a")).toBe(false);
    expect(await topics.get(B, theirs.id)).toEqual(theirs);
    const audit = await db.prisma.auditLog.findMany({ where: { projectId: A } });
    expect(audit).toEqual([]);
  });

  it("replaces phrases and actions and names the changed fields", async () => {
    const created = await topics.create(A, "u1", talkToHuman);
    const result = await topics.update(A, created.id, "u2", {
      ...talkToHuman,
      phrases: ["human"],
      actions: [{ action: "transfer_to_zendesk", utterance: "Bye", options: { priority: "low" } }],
    });
    expect(result?.changed).toEqual(["phrases", "actions"]);
    expect(result?.topic).toMatchObject({ phrases: ["human"], actions: [{ utterance: "Bye", options: { priority: "low" } }] });
    expect(await db.prisma.topicAction.count({ where: { topicId: created.id } })).toBe(1);
  });

  it("does not count options in another key order as a change", async () => {
    const created = await topics.create(A, "u1", talkToHuman);
    const options = talkToHuman.actions[0]!.options;
    const reordered = { custom_fields: { "7": 3, "42": "gold" }, group_id: options.group_id, priority: options.priority, tags: options.tags };
    const result = await topics.update(A, created.id, "u1", { ...talkToHuman, actions: [{ ...talkToHuman.actions[0]!, options: reordered }] });
    expect(result?.changed).toEqual([]);
    expect(result?.topic.updatedAt).toEqual(created.updatedAt);
  });

  it("keeps the old content when replacing fails part-way", async () => {
    const created = await topics.create(A, "u1", talkToHuman);
    // PostgreSQL refuses NUL in text, so the insert of the new actions fails after the old ones were deleted.
    const broken = { ...talkToHuman, name: "Renamed", actions: [{ action: "transfer_to_zendesk" as const, utterance: "bad\u0000", options: {} }] };
    await expect(topics.update(A, created.id, "u1", broken)).rejects.toThrow();
    expect(await topics.get(A, created.id)).toEqual(created);
    expect(await db.prisma.auditLog.count({ where: { action: "topic.update" } })).toBe(0);
  });

  it("lets two saves of one topic finish one after the other", async () => {
    const created = await topics.create(A, "u1", talkToHuman);
    const variant = (n: number): TopicData => ({
      ...talkToHuman,
      actions: [1, 2, 3].map((i) => ({ action: "transfer_to_zendesk", utterance: `save ${n} action ${i}`, options: {} })),
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => topics.update(A, created.id, "u1", variant(n))));
    expect(results.every((r) => r !== null)).toBe(true);
    const final = await topics.get(A, created.id);
    expect(final?.actions).toHaveLength(3);
    expect(new Set(final?.actions.map((a) => a.utterance.split(" action")[0]))).toHaveProperty("size", 1);
  });

  it("audits topic changes by field name, never by value", async () => {
    const created = await topics.create(A, "u1", talkToHuman);
    await topics.update(A, created.id, "u2", { ...talkToHuman, name: "Human please", answer: "Sure" });
    await topics.delete(A, created.id, "u3");
    const log = await db.prisma.auditLog.findMany({ where: { projectId: A }, orderBy: { createdAt: "asc" } });
    expect(log.map((l) => [l.action, l.actorUserId, l.fields])).toEqual([
      ["topic.create", "u1", ["name", "phrases", "actions"]],
      ["topic.update", "u2", ["name", "answer"]],
      ["topic.delete", "u3", []],
    ]);
    expect(JSON.stringify(log.map(({ id: _id, createdAt: _createdAt, ...row }) => row))).not.toMatch(/Human please|Sure|agent please|vip|360001|gold/);
    expect(await db.prisma.topicAction.count({ where: { topicId: created.id } })).toBe(0);
  });

  it("fills unset hand-off settings from the defaults", async () => {
    expect(await settings.getHandoff(A)).toEqual(DEFAULT_HANDOFF_SETTINGS);
    await db.prisma.project.update({ where: { id: B }, data: { idleTimeoutMinutes: 5 } });
    expect(await settings.getHandoff(B)).toEqual({ ...DEFAULT_HANDOFF_SETTINGS, idleTimeoutMinutes: 5 });
    expect(await settings.getHandoff("PROJECT-ffffffff")).toBeNull();
  });

  it("stores hand-off settings, reports changed fields and audits them without values", async () => {
    const next = { ...DEFAULT_HANDOFF_SETTINGS, closingMessage: "Bye for now", waitNoticeAfterSeconds: 300 };
    const result = await settings.updateHandoff(A, "u1", next);
    expect(result).toEqual({ settings: next, changed: ["closingMessage", "waitNoticeAfterSeconds"] });
    expect(await settings.getHandoff(A)).toEqual(next);
    expect(await settings.getHandoff(B)).not.toEqual(next);
    const log = await db.prisma.auditLog.findMany({ where: { projectId: A } });
    expect(log.map((l) => [l.action, l.fields])).toEqual([["handoff_settings.update", ["closingMessage", "waitNoticeAfterSeconds"]]]);
    // The generated id and timestamp are left out: either may contain "300" by chance.
    expect(JSON.stringify(log.map(({ id: _id, createdAt: _createdAt, ...row }) => row))).not.toMatch(/Bye for now|300/);
    expect(await settings.updateHandoff("PROJECT-ffffffff", "u1", next)).toBeNull();
  });
});
