import { TRPCError } from "@trpc/server";
import { DEFAULT_TRANSFER_UTTERANCE } from "@zm/contracts";
import type { TopicData } from "@zm/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHarness, OTHER_PROJECT, PROJECT, type Harness } from "../test/harness.ts";
import { validationErrorsOf } from "../validation-errors.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.services.db.prisma.topic.deleteMany({});
  await h.services.db.prisma.auditLog.deleteMany({});
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

/** The field errors a client receives for refused input (what the error formatter sends). */
async function fieldErrorsOf(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe("BAD_REQUEST");
  const cause = (err as TRPCError).cause;
  expect(cause).toBeInstanceOf(z.ZodError);
  return validationErrorsOf(cause as z.ZodError).fieldErrors;
}

const transfer = {
  action: "transfer_to_zendesk" as const,
  utterance: "Let me find you a person.",
  options: { tags: ["vip"], priority: "high" as const, group_id: "360001234567", custom_fields: { "360009": "gold" } },
};
const topicValues = { name: "Talk to a human", phrases: ["I want an agent", "real person please"], answer: "", actions: [transfer] };
const storedTopic: TopicData = { ...topicValues, actions: [transfer] };

/** A topic of PROJECT created behind the API, so each test starts from a known row. */
const seedTopic = (projectId = PROJECT) => h.services.topics.create(projectId, "u-seed", storedTopic);

describe("authorisation matrix", () => {
  type Who = "admin" | "designer" | "outsider" | "signedOut";
  const userOf = (who: Who) => (who === "signedOut" ? null : h.users[who]);
  const procedures = {
    listTopics: (who: Who) => h.callerFor(userOf(who)).knowledge.listTopics({ projectId: PROJECT }),
    getTopic: async (who: Who) => {
      const { id } = await seedTopic();
      return h.callerFor(userOf(who)).knowledge.getTopic({ projectId: PROJECT, topicId: id });
    },
    createTopic: (who: Who) => h.callerFor(userOf(who)).knowledge.createTopic({ projectId: PROJECT, ...topicValues }),
    updateTopic: async (who: Who) => {
      const { id } = await seedTopic();
      return h.callerFor(userOf(who)).knowledge.updateTopic({ projectId: PROJECT, topicId: id, ...topicValues, name: "Renamed" });
    },
    deleteTopic: async (who: Who) => {
      const { id } = await seedTopic();
      return h.callerFor(userOf(who)).knowledge.deleteTopic({ projectId: PROJECT, topicId: id });
    },
  };
  const members = { admin: "OK", designer: "OK", outsider: "NOT_FOUND", signedOut: "UNAUTHORIZED" };
  const expected: Record<keyof typeof procedures, Record<Who, string>> = {
    listTopics: members,
    getTopic: members,
    createTopic: members,
    updateTopic: members,
    deleteTopic: members,
  };
  for (const [name, row] of Object.entries(expected)) {
    for (const [who, code] of Object.entries(row)) {
      it(`${name} as ${who} → ${code}`, async () => {
        const call = procedures[name as keyof typeof procedures];
        expect(await codeOf(call(who as Who))).toBe(code);
      });
    }
  }

  it("leaves the topic untouched when an outsider or a signed-out caller tries to change it", async () => {
    const topic = await seedTopic();
    for (const user of [h.users.outsider, null]) {
      await codeOf(h.callerFor(user).knowledge.updateTopic({ projectId: PROJECT, topicId: topic.id, ...topicValues, name: "evil" }));
      await codeOf(h.callerFor(user).knowledge.deleteTopic({ projectId: PROJECT, topicId: topic.id }));
    }
    expect(await h.services.topics.get(PROJECT, topic.id)).toEqual(topic);
  });
});

describe("cross-project isolation", () => {
  it("a topic id of another project cannot be read, updated or deleted through this project", async () => {
    const theirs = await seedTopic(OTHER_PROJECT);
    const admin = h.callerFor(h.users.admin);
    expect(await codeOf(admin.knowledge.getTopic({ projectId: PROJECT, topicId: theirs.id }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.knowledge.updateTopic({ projectId: PROJECT, topicId: theirs.id, ...topicValues, name: "mine now" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(admin.knowledge.deleteTopic({ projectId: PROJECT, topicId: theirs.id }))).toBe("NOT_FOUND");
    expect(await admin.knowledge.listTopics({ projectId: PROJECT })).toEqual([]);
    expect(await h.services.topics.get(OTHER_PROJECT, theirs.id)).toEqual(theirs);
    expect(await h.services.db.prisma.auditLog.count({ where: { projectId: PROJECT } })).toBe(0);
  });

  it("the other project's admin cannot reach this project's topic with their own project id either", async () => {
    const ours = await seedTopic();
    const outsider = h.callerFor(h.users.outsider);
    expect(await codeOf(outsider.knowledge.getTopic({ projectId: OTHER_PROJECT, topicId: ours.id }))).toBe("NOT_FOUND");
    expect(await codeOf(outsider.knowledge.deleteTopic({ projectId: OTHER_PROJECT, topicId: ours.id }))).toBe("NOT_FOUND");
    expect(await h.services.topics.get(PROJECT, ours.id)).toEqual(ours);
  });
});

describe("topics", () => {
  it("creates a topic with the default utterance and lists it with its phrase count and actions", async () => {
    const designer = h.callerFor(h.users.designer);
    const created = await designer.knowledge.createTopic({
      projectId: PROJECT,
      name: "  Talk to a human ",
      phrases: [" agent ", "human"],
      actions: [{ action: "transfer_to_zendesk", options: { tags: ["VIP", "Billing"], requester_email: " Ann@Example.COM " } }],
    });
    expect(created).toMatchObject({
      name: "Talk to a human",
      phrases: ["agent", "human"],
      answer: "",
      actions: [{ action: "transfer_to_zendesk", utterance: DEFAULT_TRANSFER_UTTERANCE, options: { tags: ["vip", "billing"], requester_email: "ann@example.com" } }],
    });
    expect(await designer.knowledge.getTopic({ projectId: PROJECT, topicId: created.id })).toEqual(created);
    expect(await designer.knowledge.listTopics({ projectId: PROJECT })).toEqual([
      { id: created.id, name: "Talk to a human", phraseCount: 2, actions: ["transfer_to_zendesk"], updatedAt: created.updatedAt },
    ]);
  });

  it("replaces phrases and actions on update and reports the changed fields", async () => {
    const topic = await seedTopic();
    const { topic: updated, changed } = await h.callerFor(h.users.designer).knowledge.updateTopic({
      projectId: PROJECT,
      topicId: topic.id,
      ...topicValues,
      phrases: ["human"],
      actions: [],
    });
    expect(changed).toEqual(["phrases", "actions"]);
    expect(updated).toMatchObject({ phrases: ["human"], actions: [] });
  });

  it("deletes a topic, after which it is NOT_FOUND", async () => {
    const topic = await seedTopic();
    const admin = h.callerFor(h.users.admin);
    expect(await admin.knowledge.deleteTopic({ projectId: PROJECT, topicId: topic.id })).toEqual({ id: topic.id });
    expect(await codeOf(admin.knowledge.getTopic({ projectId: PROJECT, topicId: topic.id }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.knowledge.deleteTopic({ projectId: PROJECT, topicId: topic.id }))).toBe("NOT_FOUND");
  });

  it("refuses a malformed topic id before looking anything up", async () => {
    const errors = await fieldErrorsOf(h.callerFor(h.users.admin).knowledge.getTopic({ projectId: PROJECT, topicId: "'; DROP TABLE" }));
    expect(Object.keys(errors)).toEqual(["topicId"]);
  });
});

describe("routing options are validated when saved, naming the field", () => {
  const withOptions = (options: Record<string, unknown>) => ({
    projectId: PROJECT,
    ...topicValues,
    actions: [{ action: "transfer_to_zendesk" as const, options }],
  });
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["a priority Zendesk does not have", { priority: "asap" }, "actions.0.options.priority", /low, normal, high or urgent/],
    ["a non-numeric group id", { group_id: "support-team" }, "actions.0.options.group_id", /number Zendesk shows/],
    ["a non-numeric brand id", { brand_id: "12a" }, "actions.0.options.brand_id", /number Zendesk shows/],
    ["a tag with a space", { tags: ["ok", "vip customer"] }, "actions.0.options.tags.1", /no spaces/],
    ["a requester email that is not one", { requester_email: "ann at example" }, "actions.0.options.requester_email", /email address/],
    ["a custom field keyed by a name", { custom_fields: { plan: "gold" } }, "actions.0.options.custom_fields.plan", /ticket field id/],
    ["an option the schema does not know", { priority: "high", queue: "vip" }, "actions.0.options", /Unrecognized key: "queue"/],
  ];
  for (const [what, options, path, message] of cases) {
    it(`refuses ${what} at ${path}, on create and on update`, async () => {
      const designer = h.callerFor(h.users.designer);
      const onCreate = await fieldErrorsOf(designer.knowledge.createTopic(withOptions(options)));
      expect(Object.keys(onCreate)).toEqual([path]);
      expect(onCreate[path]![0]).toMatch(message);

      const topic = await seedTopic();
      const onUpdate = await fieldErrorsOf(designer.knowledge.updateTopic({ ...withOptions(options), topicId: topic.id }));
      expect(Object.keys(onUpdate)).toEqual([path]);
      expect(await h.services.topics.get(PROJECT, topic.id)).toEqual(topic);
    });
  }

  it("stores nothing and audits nothing for refused input", async () => {
    await codeOf(h.callerFor(h.users.admin).knowledge.createTopic(withOptions({ priority: "asap" })));
    expect(await h.services.db.prisma.topic.count()).toBe(0);
    expect(await h.services.db.prisma.auditLog.count()).toBe(0);
  });

  it("points at the second action when only the second is wrong", async () => {
    const input = { projectId: PROJECT, ...topicValues, actions: [transfer, { action: "transfer_to_zendesk" as const, options: { priority: "asap" } as Record<string, unknown> }] };
    expect(Object.keys(await fieldErrorsOf(h.callerFor(h.users.admin).knowledge.createTopic(input)))).toEqual(["actions.1.options.priority"]);
  });
});

describe("audit", () => {
  it("records who changed which topic fields, never their values", async () => {
    const designer = h.callerFor(h.users.designer);
    const admin = h.callerFor(h.users.admin);
    const created = await designer.knowledge.createTopic({ projectId: PROJECT, ...topicValues });
    await admin.knowledge.updateTopic({ projectId: PROJECT, topicId: created.id, ...topicValues, answer: "Connecting you" });
    await admin.knowledge.deleteTopic({ projectId: PROJECT, topicId: created.id });
    const log = await h.services.db.prisma.auditLog.findMany({ where: { projectId: PROJECT }, orderBy: { createdAt: "asc" } });
    expect(log.map((l) => [l.action, l.actorUserId, l.fields])).toEqual([
      ["topic.create", "u-designer", ["name", "phrases", "actions"]],
      ["topic.update", "u-admin", ["answer"]],
      ["topic.delete", "u-admin", []],
    ]);
    const text = JSON.stringify(log.map(({ id: _id, createdAt: _createdAt, ...row }) => row));
    for (const value of ["Talk to a human", "I want an agent", "Connecting you", "360001234567", "vip", "gold", transfer.utterance]) {
      expect(text).not.toContain(value);
    }
  });
});
