import { TRPCError } from "@trpc/server";
import type { TopicSummary, TopicValues, TopicView } from "@zm/contracts";
import type { StoredTopic } from "@zm/db";
import type { Services } from "../services.ts";

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "Topic not found" });

export function toTopicView(topic: StoredTopic): TopicView {
  return {
    id: topic.id,
    name: topic.name,
    phrases: topic.phrases,
    answer: topic.answer,
    actions: topic.actions,
    updatedAt: topic.updatedAt.toISOString(),
  };
}

export async function listProjectTopics(services: Services, projectId: string): Promise<TopicSummary[]> {
  const topics = await services.topics.list(projectId);
  return topics.map((t) => ({ ...t, updatedAt: t.updatedAt.toISOString() }));
}

/** A topic of this project; another project's topic id is NOT_FOUND, like an unknown one. */
export async function getProjectTopic(services: Services, projectId: string, topicId: string): Promise<TopicView> {
  const topic = await services.topics.get(projectId, topicId);
  if (!topic) throw notFound();
  return toTopicView(topic);
}

export async function createProjectTopic(
  services: Services,
  actorUserId: string,
  projectId: string,
  values: TopicValues,
): Promise<TopicView> {
  return toTopicView(await services.topics.create(projectId, actorUserId, values));
}

export async function updateProjectTopic(
  services: Services,
  actorUserId: string,
  projectId: string,
  topicId: string,
  values: TopicValues,
): Promise<{ topic: TopicView; changed: string[] }> {
  const result = await services.topics.update(projectId, topicId, actorUserId, values);
  if (!result) throw notFound();
  return { topic: toTopicView(result.topic), changed: result.changed };
}

export async function deleteProjectTopic(services: Services, actorUserId: string, projectId: string, topicId: string) {
  if (!(await services.topics.delete(projectId, topicId, actorUserId))) throw notFound();
  return { id: topicId };
}
